import { assertJsonDepthAtMost, JsonTooDeepError } from './json-nesting';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('assertJsonDepthAtMost', () => {
  it('accepts nesting up to the limit', () => {
    expect(() => assertJsonDepthAtMost(bytes('{"a":[{"b":[1]}]}'), 4)).not.toThrow();
  });

  it('refuses one level more than the limit', () => {
    expect(() => assertJsonDepthAtMost(bytes('{"a":[{"b":[[1]]}]}'), 4)).toThrow(JsonTooDeepError);
  });

  it('refuses a 10 KB tower of arrays long before its end', () => {
    expect(() => assertJsonDepthAtMost(bytes('['.repeat(10_000)), 32)).toThrow('deeper than 32 levels');
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = `{"a":"${'[{'.repeat(100)}\\"${'[{'.repeat(100)}"}`;
    expect(() => assertJsonDepthAtMost(bytes(text), 1)).not.toThrow();
  });

  it('counts siblings by their own depth, not their number', () => {
    expect(() => assertJsonDepthAtMost(bytes(`[${'[1],'.repeat(5000)}[1]]`), 2)).not.toThrow();
  });

  it('is not fooled by multi-byte characters next to brackets', () => {
    expect(() => assertJsonDepthAtMost(bytes('{"ключ":["ü€😀",{"x":"}}}"}]}'), 3)).not.toThrow();
    expect(() => assertJsonDepthAtMost(bytes('[["😀",[["]]]]'), 3)).toThrow(JsonTooDeepError);
  });
});
