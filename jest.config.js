// Two projects: unit tests sit beside the code; end-to-end tests in test/ start real servers
// (PostgreSQL, mock rack, mock Google login, the gateway) on free ports.
const swc = ['@swc/jest', { swcrc: true }];
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src', '<rootDir>/migrations', '<rootDir>/client/cli/src'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.(t|j)s$': swc },
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform: { '^.+\\.(t|j)s$': swc },
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
    },
  ],
};
