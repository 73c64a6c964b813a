/**
 * The app's `deploy.approved_commands` setting as an allow-list for processes started or exec'd under a
 * deploy approval. Exact match after trimming; an empty list allows nothing. There is no built-in
 * exception for `sleep <n>`: `convox run` first starts `sleep 3600` (or `sleep <timeout>`) and then execs
 * the real command, so an app whose pipeline uses `convox run` lists both, e.g.
 * `["sleep 3600", "bin/migrate"]`.
 */
export type CommandVerdict = { allowed: true; command: string } | { allowed: false; reason: string };

export function judgeCommand(
  app: string,
  command: string | string[] | undefined,
  approved: readonly string[],
): CommandVerdict {
  const text = Array.isArray(command) ? command.join(' ') : command;
  const wanted = text?.trim() ?? '';
  if (wanted === '')
    return { allowed: false, reason: 'a command is required (the service default is not approved)' };
  if (approved.length === 0)
    return {
      allowed: false,
      reason: `no commands are approved for ${app} (the deploy.approved_commands setting is empty)`,
    };
  if (approved.some((entry) => entry.trim() === wanted)) return { allowed: true, command: wanted };
  return {
    allowed: false,
    reason: `command "${clip(wanted)}" is not in the approved deploy commands of ${app}`,
  };
}

/** Commands come from a header; a refusal quotes at most this much of one. */
function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
