import { joinCommandWords } from './command-words';

describe('joinCommandWords', () => {
  it('keeps plain words as they are', () => {
    expect(joinCommandWords(['bin/rails', 'db:migrate', '--trace'])).toBe('bin/rails db:migrate --trace');
  });

  it('quotes a word with spaces so the rack sees one word', () => {
    expect(joinCommandWords(['sh', '-c', 'exit 3'])).toBe("sh -c 'exit 3'");
  });

  it('escapes single quotes inside a quoted word', () => {
    expect(joinCommandWords(['echo', "it's"])).toBe("echo 'it'\\''s'");
  });

  it('passes a single word through untouched, so a whole command line still works', () => {
    expect(joinCommandWords(['ls -la /app'])).toBe('ls -la /app');
  });

  it('quotes an empty word', () => {
    expect(joinCommandWords(['printf', ''])).toBe("printf ''");
  });
});
