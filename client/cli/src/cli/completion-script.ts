import type { Command } from 'commander';

/** The command tree as completion needs it: names, long options, descriptions. */
export interface CompletionNode {
  path: string[];
  description: string;
  options: string[];
  children: CompletionNode[];
}

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export function completionTree(command: Command, path: string[] = []): CompletionNode {
  return {
    path,
    description: command.description(),
    options: command.options.map((option) => option.long).filter((long): long is string => Boolean(long)),
    children: command.commands.map((child) => completionTree(child, [...path, child.name()])),
  };
}

function flatten(node: CompletionNode): CompletionNode[] {
  return [node, ...node.children.flatMap(flatten)];
}

function bashScript(root: CompletionNode): string {
  const globals = root.options.filter((option) => option !== '--version');
  const cases = flatten(root).map((node) => {
    const words = [
      ...node.children.map((child) => child.path[child.path.length - 1]),
      ...node.options,
      ...globals,
      '--help',
    ];
    return `    "${node.path.join(' ')}") echo "${[...new Set(words)].join(' ')}" ;;`;
  });
  return `# bash completion for rack-gateway: source <(rack-gateway completion bash)
_rack_gateway_words() {
  case "$1" in
${cases.join('\n')}
  esac
}
_rack_gateway() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" next i
  for ((i = 1; i < COMP_CWORD; i++)); do
    next="\${path:+$path }\${COMP_WORDS[i]}"
    if [[ -n "$(_rack_gateway_words "$next")" ]]; then path="$next"; fi
  done
  COMPREPLY=($(compgen -W "$(_rack_gateway_words "$path")" -- "$cur"))
}
complete -o default -F _rack_gateway rack-gateway
`;
}

function zshScript(root: CompletionNode): string {
  // zsh runs the bash function through bashcompinit, so both shells offer the same words.
  return `# zsh completion for rack-gateway: source <(rack-gateway completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(root).split('\n').slice(1).join('\n')}`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishScript(root: CompletionNode): string {
  const lines = [
    '# fish completion for rack-gateway: rack-gateway completion fish | source',
    'complete -c rack-gateway -f',
  ];
  for (const option of root.options) lines.push(`complete -c rack-gateway -l ${option.slice(2)}`);
  for (const child of root.children) {
    const name = child.path[0];
    lines.push(
      `complete -c rack-gateway -n __fish_use_subcommand -a ${name} -d ${fishQuote(child.description)}`,
    );
    for (const option of child.options) {
      lines.push(`complete -c rack-gateway -n '__fish_seen_subcommand_from ${name}' -l ${option.slice(2)}`);
    }
    for (const grandchild of child.children) {
      const sub = grandchild.path[1];
      lines.push(
        `complete -c rack-gateway -n '__fish_seen_subcommand_from ${name}' -a ${sub} -d ${fishQuote(grandchild.description)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: CompletionShell, program: Command): string {
  const tree = completionTree(program);
  if (shell === 'bash') return bashScript(tree);
  if (shell === 'zsh') return zshScript(tree);
  return fishScript(tree);
}
