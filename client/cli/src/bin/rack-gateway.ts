#!/usr/bin/env node
import { readCliEnvironment } from '../cli/cli-environment';
import { CommandContext } from '../cli/command-context';
import { runCli } from '../cli/program';

void runCli(process.argv, new CommandContext(readCliEnvironment())).then((code) => {
  process.exitCode = code;
});
