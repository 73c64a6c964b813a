import { judgeCommand } from './approved-commands';

describe('judgeCommand', () => {
  const approved = ['sleep 3600', 'bin/migrate --yes'];

  it('allows a listed command, trimmed', () => {
    expect(judgeCommand('myapp', '  bin/migrate --yes ', approved)).toEqual({
      allowed: true,
      command: 'bin/migrate --yes',
    });
  });

  it('allows sleep only with the listed duration', () => {
    expect(judgeCommand('myapp', 'sleep 3600', approved).allowed).toBe(true);
    const other = judgeCommand('myapp', 'sleep 7200', approved);
    expect(other).toEqual({
      allowed: false,
      reason: 'command "sleep 7200" is not in the approved deploy commands of myapp',
    });
  });

  it('denies everything when the list is empty, and says so', () => {
    expect(judgeCommand('myapp', 'sleep 3600', [])).toEqual({
      allowed: false,
      reason: 'no commands are approved for myapp (the deploy.approved_commands setting is empty)',
    });
  });

  it('denies a missing or blank command', () => {
    expect(judgeCommand('myapp', undefined, approved).allowed).toBe(false);
    expect(judgeCommand('myapp', '   ', approved).allowed).toBe(false);
  });

  it('does not match prefixes or extra arguments', () => {
    expect(judgeCommand('myapp', 'bin/migrate --yes; rm -rf /', approved).allowed).toBe(false);
    expect(judgeCommand('myapp', 'bin/migrate', approved).allowed).toBe(false);
  });

  it('clips a long command in the reason', () => {
    const verdict = judgeCommand('myapp', 'x'.repeat(500), approved);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason.length).toBeLessThan(280);
  });
});
