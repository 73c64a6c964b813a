import { isWebsocketUpgrade, methodProblem } from './method-safety';

describe('methodProblem', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])('accepts %s', (method) => {
    expect(methodProblem(method, {}, false)).toBeNull();
  });

  it.each(['get', 'TRACE', 'CONNECT', 'SOCKET', 'ANY', ''])('refuses %j', (method) => {
    expect(methodProblem(method, {}, false)).toBe(`method not allowed: ${method}`);
  });

  it.each(['x-http-method-override', 'x-method-override', 'x-http-method'])(
    'refuses the override header %s',
    (name) => {
      expect(methodProblem('POST', { [name]: 'GET' }, false)).toBe(
        `method override header not allowed: ${name}`,
      );
    },
  );

  it('refuses a websocket upgrade that is not a GET', () => {
    expect(methodProblem('POST', {}, true)).toBe('websocket upgrades must use GET');
  });
});

describe('isWebsocketUpgrade', () => {
  it.each([
    [{ connection: 'Upgrade', upgrade: 'websocket' }, true],
    [{ connection: 'keep-alive, upgrade', upgrade: 'WebSocket' }, true],
    [{ connection: 'keep-alive', upgrade: 'websocket' }, false],
    [{ connection: 'Upgrade', upgrade: 'h2c' }, false],
    [{ connection: 'not-upgrade', upgrade: 'websocket' }, false],
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(isWebsocketUpgrade(headers)).toBe(expected);
  });
});
