#!/usr/bin/env node
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run before anything is compiled */
// The `rack-gateway` command. This small file is committed, so npm links the command when it installs the
// workspace (`npm ci`), before the compiled CLI in dist/ exists; it runs dist/, building it on first use
// in a checkout. A packed or published package ships dist/ already built (see "prepack").
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'bin', 'rack-gateway.js');

function build() {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    tsc = undefined;
  }
  if (!tsc || !existsSync(join(root, 'tsconfig.json'))) {
    console.error(`rack-gateway: ${entry} is missing; in the repository run: npm run build -w rack-gateway`);
    process.exit(1);
  }
  console.error('rack-gateway: building the CLI once (client/cli/dist is missing)...');
  // The compiler's messages go to stderr: stdout belongs to the command (`--output token`, `--json`).
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    console.error('rack-gateway: the build failed; see above, then run: npm run build -w rack-gateway');
    process.exit(1);
  }
}

if (!existsSync(entry)) build();
require(entry);
