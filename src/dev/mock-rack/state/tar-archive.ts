import { gzipSync } from 'node:zlib';

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header block; the checksum is computed with its own field read as spaces. */
function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.write('convox', 265);
  header.write('convox', 297);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

/** A plain ustar archive of the given text files (what `convox cp` downloads from a pod). */
export function tarArchive(files: Record<string, string>, mtime = new Date()): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = Buffer.from(content);
    blocks.push(tarHeader(name, body.length, mtime), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/**
 * A small but real `.tgz` for `convox builds export`: the build's JSON as `build.json`, like the head of
 * a real export (which then carries the image layers).
 */
export function buildArchive(files: Record<string, string>): Buffer {
  return gzipSync(tarArchive(files));
}
