// `npm run test:devtools`: the same resident journey as tests/e2e, inside WeChat DevTools through
// miniprogram-automator. Needs DevTools (Windows/macOS) with its service port enabled and
// WECHAT_DEVTOOLS_CLI pointing at its cli; it cannot run on Linux, so npm test does not run it.
const base = require('../../jest.config.js').projects[0]

module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: base.transform,
  modulePathIgnorePatterns: base.modulePathIgnorePatterns,
  testMatch: ['<rootDir>/tests/devtools/**/*.spec.ts'],
  testTimeout: 120_000
}
