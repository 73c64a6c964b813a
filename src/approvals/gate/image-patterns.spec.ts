import { checkServiceImages } from './image-patterns';

const SHA = 'a'.repeat(40);

describe('checkServiceImages', () => {
  it('passes everything when no pattern is set', () => {
    expect(checkServiceImages({ web: null }, {}, SHA)).toEqual({ ok: true });
  });

  it('substitutes the approved commit and matches the whole image', () => {
    const patterns = { web: 'registry\\.example\\.com/web:{{GIT_COMMIT}}' };
    expect(checkServiceImages({ web: `registry.example.com/web:${SHA}` }, patterns, SHA)).toEqual({
      ok: true,
    });
    // anchored: a longer image with the right text inside does not pass
    expect(
      checkServiceImages({ web: `evil.example.com/registry.example.com/web:${SHA}` }, patterns, SHA),
    ).toEqual({
      ok: false,
      reason: `service web image "evil.example.com/registry.example.com/web:${SHA}" does not match "registry\\.example\\.com/web:${SHA}"`,
    });
  });

  it('refuses another commit than the approved one, naming the service', () => {
    const verdict = checkServiceImages(
      { web: `r/web:${'b'.repeat(40)}` },
      { '*': 'r/web:{{GIT_COMMIT}}' },
      SHA,
    );
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/^service web image/);
  });

  it('lets a service pattern win over the wildcard and leaves unpatterned services alone', () => {
    const patterns = { web: 'r/web:.*', '*': 'r/other:{{GIT_COMMIT}}' };
    expect(checkServiceImages({ web: 'r/web:anything', worker: `r/other:${SHA}` }, patterns, SHA)).toEqual({
      ok: true,
    });
    expect(checkServiceImages({ web: 'r/web:x', cron: 'r/cron:1' }, { web: 'r/web:.*' }, SHA)).toEqual({
      ok: true,
    });
  });

  it('requires a pre-built image where a pattern applies', () => {
    expect(checkServiceImages({ web: null }, { '*': '.*' }, SHA)).toEqual({
      ok: false,
      reason: 'service web must use a pre-built image matching ".*" (it has no image:)',
    });
  });

  it('refuses a manifest without services when patterns are set', () => {
    expect(checkServiceImages({}, { '*': '.*' }, SHA).ok).toBe(false);
  });

  it('cannot be escaped by alternation in the pattern', () => {
    // without the group, ^a|b$ would accept anything starting with a
    expect(checkServiceImages({ web: 'a-then-anything' }, { web: 'a|b' }, SHA).ok).toBe(false);
  });
});
