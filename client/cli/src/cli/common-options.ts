import type { Command } from 'commander';

/** `-a/--app`, shared by every command that acts on one app. */
export function withAppOption(command: Command): Command {
  return command.option(
    '-a, --app <app>',
    'app name (default: $CONVOX_APP, .convox/app, or the directory name)',
  );
}

export function withJsonOption(command: Command): Command {
  return command.option('--json', 'print JSON instead of a table');
}
