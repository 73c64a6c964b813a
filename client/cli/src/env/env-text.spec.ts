import { formatEnvText, mergeEnv, parseAssignments, parseEnvText, removeKeys } from './env-text';

describe('env text', () => {
  it('parses KEY=VALUE lines, splitting on the first = and keeping the value verbatim', () => {
    const env = parseEnvText('B=2\nURL=postgres://u:p@h/db?x=1\n A =  spaced \nnot-a-pair\n\nEMPTY=');
    expect([...env]).toEqual([
      ['B', '2'],
      ['URL', 'postgres://u:p@h/db?x=1'],
      ['A', '  spaced '],
      ['EMPTY', ''],
    ]);
  });

  it('formats sorted by key with no trailing newline, as the rack stores it', () => {
    expect(
      formatEnvText(
        new Map([
          ['b', '2'],
          ['A', '1'],
          ['C', '3'],
        ]),
      ),
    ).toBe('A=1\nC=3\nb=2');
  });

  it('treats an absent env as empty', () => {
    expect(parseEnvText(undefined).size).toBe(0);
    expect(formatEnvText(new Map())).toBe('');
  });

  it('merges changes over the current env without modifying it', () => {
    const current = parseEnvText('A=1\nB=2');
    const merged = mergeEnv(current, parseAssignments(['B=20', 'C=3']));
    expect(formatEnvText(merged)).toBe('A=1\nB=20\nC=3');
    expect(formatEnvText(current)).toBe('A=1\nB=2');
  });

  it('removes keys, ignoring ones that are not set', () => {
    expect(formatEnvText(removeKeys(parseEnvText('A=1\nB=2\nC=3'), ['B', 'MISSING']))).toBe('A=1\nC=3');
  });

  it('keeps = inside assigned values', () => {
    expect(parseAssignments(['TOKEN=a=b=c']).get('TOKEN')).toBe('a=b=c');
  });

  it.each(['NOVALUE', '=x', '1ABC=x', 'BAD KEY=x'])('rejects the malformed assignment %s', (arg) => {
    expect(() => parseAssignments([arg])).toThrow(`"${arg}" is not KEY=VALUE`);
  });
});
