import { PassThrough } from 'node:stream';
import { formatElapsed, WaitProgress } from './wait-progress';

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [45_400, '45s'],
    [185_000, '3m05s'],
    [3_720_000, '1h02m'],
  ])('%d ms is %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));
});

describe('WaitProgress without a terminal', () => {
  it('prints a start line, then a line on each status change or every 30 s, never a spinner', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const pending = { id: 'r1', status: 'pending', app: 'shop', gitCommit: 'c'.repeat(40), message: 'm' };
    const progress = new WaitProgress(stream, pending);
    progress.start();
    progress.update(pending, 5000);
    progress.update(pending, 31_000);
    progress.update({ ...pending, status: 'approved' }, 33_000);
    progress.stop();
    expect(text.split('\n').filter(Boolean)).toEqual([
      'Waiting for approval of r1 (shop at cccccccccccc): pending',
      'pending after 31s',
      'approved after 33s',
    ]);
  });
});
