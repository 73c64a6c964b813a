import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, unavailableReason } from './database-unavailable';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', coded('ECONNRESET')],
    ['a DNS failure', coded('ENOTFOUND')],
    [
      'an administrator shutdown (57P01)',
      coded('57P01', 'terminating connection due to administrator command'),
    ],
    ['a server starting up (57P03)', coded('57P03')],
    ['a connection exception class 08', coded('08006')],
    ['too many connections', coded('53300')],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a transaction whose connection died',
      new Error('Query runner already released. Cannot run queries anymore.'),
    ],
    ['TypeORM wrapping a termination', new QueryFailedError('SELECT 1', [], coded('57P01'))],
    ['a cause chain', new Error('audit write failed', { cause: coded('ECONNREFUSED') })],
    [
      'an AggregateError of both loopback addresses',
      new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]),
    ],
  ])('recognises %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], coded('23505'))],
    ['a syntax error', coded('42601')],
    ['a statement timeout (the query, not the server)', coded('57014')],
    ['a plain bug', new TypeError('undefined is not a function')],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('does not take %s for an outage', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('names the innermost connection failure', () => {
    const error = new QueryFailedError('SELECT 1', [], coded('57P01', 'terminating connection'));
    expect(unavailableReason(error)).toBe('57P01: terminating connection');
    expect(unavailableReason(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432',
    );
  });
});
