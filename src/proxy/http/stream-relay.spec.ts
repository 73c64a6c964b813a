import { PassThrough, Readable, Writable } from 'node:stream';
import { relay } from './stream-relay';

/** A sink that takes each chunk only after a tick, so a fast source has to wait for it. */
function slowSink(received: Buffer[]): Writable {
  return new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk);
      setImmediate(done);
    },
  });
}

describe('relay', () => {
  it('delivers every chunk in order and resolves once the sink finished', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.from(`chunk-${i};`));
    const received: Buffer[] = [];
    const sink = slowSink(received);
    await relay(Readable.from(chunks), sink);
    expect(sink.writableFinished).toBe(true);
    expect(Buffer.concat(received).toString()).toBe(Buffer.concat(chunks).toString());
  });

  it('holds the source back while the sink is full (backpressure)', async () => {
    const source = new PassThrough({ highWaterMark: 16 });
    const received: Buffer[] = [];
    const done = relay(source, slowSink(received));
    let refused = 0;
    for (let i = 0; i < 100; i += 1) if (!source.write(Buffer.alloc(16, i))) refused += 1;
    source.end();
    await done;
    expect(refused).toBeGreaterThan(0);
    expect(Buffer.concat(received).length).toBe(1600);
  });

  it('rejects and destroys the sink when the source fails mid-stream', async () => {
    const source = new PassThrough();
    const sink = new PassThrough();
    sink.resume();
    const done = relay(source, sink);
    source.write('partial');
    source.destroy(new Error('rack connection reset'));
    await expect(done).rejects.toThrow('rack connection reset');
    expect(sink.destroyed).toBe(true);
  });

  it('rejects when the source closes before its end without an error', async () => {
    const source = new PassThrough();
    const sink = new PassThrough();
    sink.resume();
    const done = relay(source, sink);
    source.write('partial');
    source.destroy();
    await expect(done).rejects.toThrow('source closed before its end');
    expect(sink.destroyed).toBe(true);
  });

  it('rejects and destroys the source when the sink goes away (the client left)', async () => {
    const source = new PassThrough();
    const sink = new PassThrough();
    const done = relay(source, sink);
    source.write('partial');
    sink.destroy();
    await expect(done).rejects.toThrow('destination closed before it finished');
    expect(source.destroyed).toBe(true);
  });
});
