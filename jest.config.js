// Two projects: unit tests sit beside the code; end-to-end tests in test/ start real servers
// (PostgreSQL, mock rack, mock Google login, the gateway) on free ports.
const { availableParallelism } = require('node:os');

const swc = ['@swc/jest', { swcrc: true }];
module.exports = {
  testTimeout: 60000,
  // Jest's default (one worker fewer than cores) runs a 2-core CI machine's files one at a time, and most
  // end-to-end files spend their time waiting on PostgreSQL, child processes and Chromium. At least three
  // workers keep both cores busy; larger machines keep Jest's default.
  maxWorkers: Math.max(availableParallelism() - 1, 3),
  // Longest files first, also on a machine without Jest's recorded durations (see the file).
  testSequencer: '<rootDir>/test/harness/slowest-first-sequencer.js',
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
