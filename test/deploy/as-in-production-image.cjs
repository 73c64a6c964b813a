/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload for plain node: require is how it loads */
// Preloaded (`node --require`) in front of the built production entry points by the deploy tests: what
// the production image leaves out cannot be loaded here either. Development dependencies are gone from the
// image (npm prune --omit=dev), and the development-only code of the build (embedded PostgreSQL, mock
// servers, benchmarks) must never be imported by a production process. Either one fails the process
// with MODULE_NOT_FOUND, as a missing package would in the image.
'use strict';
const Module = require('node:module');
const { join, sep } = require('node:path');

const root = join(__dirname, '..', '..');
const pkg = require(join(root, 'package.json'));
const devPackages = new Set(
  Object.keys(pkg.devDependencies ?? {}).filter((name) => !(name in (pkg.dependencies ?? {}))),
);
const devCode = [
  join(root, 'dist', 'src', 'database', 'embedded-postgres.js'),
  join(root, 'dist', 'src', 'dev', 'mock-rack') + sep,
  join(root, 'dist', 'src', 'dev', 'mock-oauth') + sep,
  join(root, 'dist', 'src', 'dev', 'start-stack.js'),
  join(root, 'dist', 'bench') + sep,
];

function packageOf(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function notInImage(request, what) {
  const error = new Error(`Cannot find module '${request}' (${what}: not in the production image)`);
  error.code = 'MODULE_NOT_FOUND';
  return error;
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const name = packageOf(request);
  if (devPackages.has(name) || name.startsWith('@embedded-postgres/'))
    throw notInImage(request, 'a development dependency');
  const filename = resolveFilename.call(this, request, ...rest);
  if (devCode.some((path) => filename === path || filename.startsWith(path)))
    throw notInImage(request, 'development-only code');
  return filename;
};
