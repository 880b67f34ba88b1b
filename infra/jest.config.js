/** ts-jest in transpile-only mode; `npm test` type-checks with tsc first (see package.json). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Synthesizing the connector stack stages the Docker build context and takes a few seconds.
  testTimeout: 60000,
  maxWorkers: 2,
};
