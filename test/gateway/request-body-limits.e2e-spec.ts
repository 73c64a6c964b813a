import { LogCapture } from '../harness/log-capture';
import { startTestGateway, type TestGateway } from '../harness/test-gateway';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('admin API request bodies: size and depth are limited before parsing', () => {
  let gateway: TestGateway;
  const logs = new LogCapture();

  beforeAll(async () => {
    gateway = await startTestGateway({ API_BODY_LIMIT: '16kb', LOG_LEVEL: 'info' }, { logDestination: logs });
  });
  afterAll(() => gateway.close());

  function post(body: string, contentType = 'application/json') {
    return fetch(`${gateway.url}/api/v1/auth/cli/start`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
  }

  it('still accepts a normal body', async () => {
    const response = await post(JSON.stringify({ codeChallenge: CHALLENGE, deviceName: 'laptop' }));
    expect(response.status).toBe(200);
  });

  it('answers 413 with a reason to a JSON body over the limit', async () => {
    const response = await post(JSON.stringify({ codeChallenge: CHALLENGE, deviceName: 'x'.repeat(20_000) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: 'body_too_large',
      message: 'request body larger than 16kb',
    });
  });

  it('answers 413 to a urlencoded body over the limit', async () => {
    const response = await post(`deviceName=${'x'.repeat(20_000)}`, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'body_too_large' });
  });

  it('answers 413 to a form with more fields than any page of ours posts', async () => {
    const form = Array.from({ length: 500 }, (_, i) => `f${i}=1`).join('&');
    const response = await post(form, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'body_too_large' });
  });

  it.each([
    ['arrays', '['.repeat(5000) + ']'.repeat(5000)],
    ['objects', '{"a":'.repeat(2000) + '1' + '}'.repeat(2000)],
  ])('answers 400 to a ~10 KB body of nested %s and logs no stack trace', async (_kind, body) => {
    const before = logs.text().length;
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'body_too_deep',
      message: 'request body JSON nested deeper than 32 levels',
    });
    const logged = logs.text().slice(before);
    expect(logged).not.toMatch(/RangeError|Maximum call stack|"stack"/);
  });

  it('answers 400 with a reason to malformed JSON', async () => {
    const response = await post('{"codeChallenge":');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_json' });
  });

  it('refuses JSON in a charset other than UTF-8 with 415', async () => {
    const response = await post('{}', 'application/json; charset=utf-16le');
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: 'unsupported_charset' });
  });
});
