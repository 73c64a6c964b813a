import { LOGGED_REQUEST_HEADERS, LOGGED_RESPONSE_HEADERS, pickLoggedHeaders } from './logged-headers';

describe('pickLoggedHeaders', () => {
  it('keeps allowed request headers and drops every other one, whatever its name', () => {
    const picked = pickLoggedHeaders(
      {
        host: 'gateway.example.com',
        'user-agent': 'convox.go/dev',
        'content-length': '0',
        command: 'psql postgres://u:p@db',
        environment: 'A=1',
        'x-api-key': 'k',
        'x-made-up': 'm',
        authorization: 'Basic abc',
      },
      LOGGED_REQUEST_HEADERS,
    );
    expect(picked).toEqual({
      host: 'gateway.example.com',
      'user-agent': 'convox.go/dev',
      'content-length': '0',
    });
  });

  it('drops Set-Cookie, Location and rack headers from the response side', () => {
    const picked = pickLoggedHeaders(
      {
        'content-type': 'application/json',
        'x-request-id': 'r1',
        'set-cookie': ['rgw_session=s'],
        location: 'https://accounts.example.com/auth?state=s',
        'release-id': 'R1',
      },
      LOGGED_RESPONSE_HEADERS,
    );
    expect(picked).toEqual({ 'content-type': 'application/json', 'x-request-id': 'r1' });
  });

  it('cuts credential shapes out of an allowed header too', () => {
    const picked = pickLoggedHeaders({ 'user-agent': 'bot rgw_abcdefghijklmnop' }, LOGGED_REQUEST_HEADERS);
    expect(picked['user-agent']).toBe('bot [REDACTED]');
  });
});
