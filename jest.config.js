// Test projects (npm test runs them all, see scripts/test.ts):
//   unit         pure code, no database, no processes
//   integration  functions through the local cloud on a fresh database
//   conformance  the local cloud against documented cloud behaviour, through the real SDK
//   build        the weapp build compiles with wcc/wcsc; size budgets
//   e2e          the H5 build in headless Debian Chromium
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx: true },
        target: 'es2022',
        transform: { react: { runtime: 'automatic' } }
      },
      module: { type: 'commonjs' }
    }
  ]
}

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  modulePathIgnorePatterns: [
    '<rootDir>/build/',
    '<rootDir>/dist/',
    '<rootDir>/.test-data/',
    '<rootDir>/.local-cloud/'
  ],
  ...extra
})

module.exports = {
  // A bound for hangs, not a timing assertion: integration tests start a local cloud and real
  // function instances, and jest's 5 s default is too short for a hook or a test when two cores
  // are shared (a project-level testTimeout is not applied by jest-circus, hence here).
  testTimeout: 30_000,
  projects: [
    project('unit'),
    project('integration', { globalSetup: '<rootDir>/tests/integration/global-setup.ts' }),
    project('conformance', { globalSetup: '<rootDir>/tests/integration/global-setup.ts' }),
    project('build'),
    project('e2e', { globalSetup: '<rootDir>/tests/e2e/global-setup.ts' })
  ]
}
