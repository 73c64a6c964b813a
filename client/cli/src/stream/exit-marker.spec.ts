import { EXIT_MARKER, ExitMarkerScanner } from './exit-marker';

/** Feeds frames one by one and returns everything printed plus the exit code. */
function scan(frames: Array<string | Buffer>): { output: string; exitCode: number | undefined } {
  const scanner = new ExitMarkerScanner();
  const printed: Buffer[] = [];
  for (const frame of frames)
    printed.push(scanner.push(Buffer.isBuffer(frame) ? frame : Buffer.from(frame, 'utf8')));
  printed.push(scanner.end());
  return { output: Buffer.concat(printed).toString('utf8'), exitCode: scanner.exitCode };
}

describe('ExitMarkerScanner', () => {
  it('reads the code from a marker in its own frame', () => {
    expect(scan(['hello\n', `${EXIT_MARKER}3\n`])).toEqual({ output: 'hello\n', exitCode: 3 });
  });

  it('finds a marker split across frames at any position', () => {
    const whole = `output line\n${EXIT_MARKER}42\n`;
    for (let cut = 1; cut < whole.length; cut++) {
      expect(scan([whole.slice(0, cut), whole.slice(cut)])).toEqual({
        output: 'output line\n',
        exitCode: 42,
      });
    }
  });

  it('survives a marker delivered one byte per frame', () => {
    expect(scan([...`ok${EXIT_MARKER}7\n`])).toEqual({ output: 'ok', exitCode: 7 });
  });

  it('prints what follows the marker line, such as an in-band error', () => {
    expect(scan([`${EXIT_MARKER}0\n`, 'ERROR: exec failed\n'])).toEqual({
      output: 'ERROR: exec failed\n',
      exitCode: 0,
    });
  });

  it('accepts a code cut short by the end of the stream', () => {
    expect(scan([`${EXIT_MARKER}12`])).toEqual({ output: '', exitCode: 12 });
  });

  it('leaves the code undefined when no marker arrives, and releases held-back bytes at the end', () => {
    expect(scan(['abc', 'F1E49A85'])).toEqual({ output: 'abcF1E49A85', exitCode: undefined });
  });

  it('passes through bytes that are not valid UTF-8', () => {
    const scanner = new ExitMarkerScanner();
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    expect(Buffer.concat([scanner.push(binary), scanner.end()])).toEqual(binary);
  });

  it('refuses an unreadable exit code', () => {
    expect(() => scan([`${EXIT_MARKER}abc\n`])).toThrow('unable to read the exit code from "abc"');
  });
});
