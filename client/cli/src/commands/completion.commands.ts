import { Argument, type Command } from 'commander';
import type { CommandContext } from '../cli/command-context';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../cli/completion-script';

export function registerCompletionCommands(program: Command, context: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'shell').choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => {
      context.stdout.write(completionScript(shell, program));
    });
}
