/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads its sequencer as CommonJS, untransformed */
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const expectedSeconds = require('./expected-durations.json');

// A file not in the table: an end-to-end file takes a few seconds, a unit file a fraction of one.
const UNLISTED_E2E_MS = 5000;
const UNLISTED_UNIT_MS = 100;

/**
 * The order files start in. With several workers, the run ends when the last long file does: the long ones
 * must start first, or a 90-second file begun near the end finishes alone. Jest orders by the durations it
 * recorded on this machine (kept in its cache); a fresh CI machine has none, and Jest's fallback (file
 * size) puts a big table-driven unit spec before the browser and dev-stack journeys. So where Jest has no
 * duration of its own, the duration measured on CI (expected-durations.json: files of 8 s or more, seconds,
 * refreshed by hand from a `jest --json` report when the slow files change) stands in for it.
 */
class SlowestFirstSequencer extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded != null) return recorded;
    const file = relative(test.context.config.rootDir, test.path).split('\\').join('/');
    if (file in expectedSeconds) return expectedSeconds[file] * 1000;
    return file.startsWith('test/') ? UNLISTED_E2E_MS : UNLISTED_UNIT_MS;
  }
}

module.exports = SlowestFirstSequencer;
