import { HttpException } from '@nestjs/common';
import { SourceManifestTap } from './source-manifest-tap';
import type { SourceUploads } from './source-uploads';
import { UploadPass } from './upload-pass';

/** The upload records a pass writes, kept in memory so the pass's decisions can be read back. */
class RecordedUploads {
  completed: { id: string; url: string; manifests: unknown }[] = [];
  released: string[] = [];
  failComplete = false;

  complete(id: string, url: string, inspection: { manifests: unknown }): Promise<void> {
    if (this.failComplete) return Promise.reject(new Error('database down'));
    this.completed.push({ id, url, manifests: inspection.manifests });
    return Promise.resolve();
  }

  release(id: string): Promise<void> {
    this.released.push(id);
    return Promise.resolve();
  }
}

/** A tap that saw an empty upload end (its inspection settles with no manifests). */
function endedTap(): SourceManifestTap {
  const tap = new SourceManifestTap();
  tap.resume();
  tap.end();
  return tap;
}

describe('UploadPass', () => {
  it('records the url the rack answered with the manifests the tap read', async () => {
    const uploads = new RecordedUploads();
    const pass = new UploadPass('u1', uploads as unknown as SourceUploads, endedTap());
    await pass.settle(200, { Url: 'object://myapp/tmp/a.tgz' });
    expect(uploads.completed).toEqual([{ id: 'u1', url: 'object://myapp/tmp/a.tgz', manifests: {} }]);
    // the response closing afterwards changes nothing
    await pass.abandon();
    expect(uploads.released).toEqual([]);
  });

  it('fails the call with 503 when the answer has no Url or the record cannot be written', async () => {
    const uploads = new RecordedUploads();
    const noUrl = new UploadPass('u2', uploads as unknown as SourceUploads, endedTap());
    await expect(noUrl.settle(200, {})).rejects.toThrow(HttpException);
    uploads.failComplete = true;
    const failing = new UploadPass('u3', uploads as unknown as SourceUploads, endedTap());
    const error = await failing.settle(200, { Url: 'object://myapp/tmp/b.tgz' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpException);
    expect((error as HttpException).getStatus()).toBe(503);
    expect((error as HttpException).getResponse()).toEqual({
      error: 'the deploy approval could not record this call, so it was not completed; try again',
    });
  });

  it('frees the object key when the rack refused the upload or the client left, once', async () => {
    const uploads = new RecordedUploads();
    const refused = new UploadPass('u4', uploads as unknown as SourceUploads, endedTap());
    await refused.settle(500, undefined);
    await refused.abandon();
    const left = new UploadPass('u5', uploads as unknown as SourceUploads, endedTap());
    await left.abandon();
    expect(uploads.released).toEqual(['u4', 'u5']);
    expect(uploads.completed).toEqual([]);
  });
});
