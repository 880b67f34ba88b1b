/** `npm run histories:refresh`: records the workflow histories the determinism test replays. */
const base = require('./jest.config');
module.exports = { ...base, testMatch: ['**/test/histories/record.ts'] };
