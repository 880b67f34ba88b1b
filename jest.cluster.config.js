/**
 * `npm run test:cluster`: the scaled-out cluster (`npm run cluster`) under failures. Not part of
 * `npm test` (its files are *.cluster.ts, which the main config does not match).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  setupFiles: ['<rootDir>/test/support/quietTemporal.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
};
