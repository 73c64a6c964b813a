import { EXIT_MARKER, ExitMarkerScanner } from './exit-marker';
import { sendableCloseCode } from './frame-bridge';

describe('ExitMarkerScanner', () => {
  it('finds the exit code in its own frame, and across a frame split', () => {
    const whole = new ExitMarkerScanner();
    whole.scan(Buffer.from('output\n'));
    whole.scan(Buffer.from(`${EXIT_MARKER}3\n`));
    expect(whole.exitCode).toBe(3);

    const split = new ExitMarkerScanner();
    split.scan(Buffer.from(`tail ${EXIT_MARKER.slice(0, 10)}`));
    split.scan(Buffer.from(`${EXIT_MARKER.slice(10)}127\n`));
    expect(split.exitCode).toBe(127);
  });

  it('reports nothing when no marker came (logs, consoles)', () => {
    const scanner = new ExitMarkerScanner();
    scanner.scan(Buffer.from('F1E49A85 is not enough'));
    expect(scanner.exitCode).toBeUndefined();
  });

  it('only relays close codes a peer may send', () => {
    expect([1000, 1001, 1011, 4000].every(sendableCloseCode)).toBe(true);
    expect([1005, 1006, 1015, 999, 2000].some(sendableCloseCode)).toBe(false);
  });
});
