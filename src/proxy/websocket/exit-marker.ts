/** What the rack writes when an exec/run/shell command ends: `<GUID>:<code>\n` in its own text frame. */
export const EXIT_MARKER = 'F1E49A85-0AD7-4AEF-A618-C249C6E6568D:';

const MARKER_WITH_CODE = /F1E49A85-0AD7-4AEF-A618-C249C6E6568D:\s*(-?\d+)/;
const CARRY = EXIT_MARKER.length + 16;

/**
 * Watches the rack → client text stream for the exit marker (for the audit outcome only; the frames are
 * relayed untouched). Keeps a short tail between frames so a marker split across frames is still seen.
 */
export class ExitMarkerScanner {
  private tail = '';
  exitCode: number | undefined;

  scan(frame: Buffer): void {
    if (this.exitCode !== undefined) return;
    const text = this.tail + frame.toString('latin1');
    const found = MARKER_WITH_CODE.exec(text);
    if (found) this.exitCode = Number(found[1]);
    this.tail = text.slice(-CARRY);
  }
}
