import { expiryReminder } from './expiry-reminder';
import { relativeTime, elapsed } from './relative-time';
import { renderDetails, renderTable } from './table';

describe('renderTable', () => {
  it('aligns columns with two spaces and no trailing blanks', () => {
    const text = renderTable(
      ['APP', 'STATUS', 'RELEASE'],
      [
        ['web-frontend', 'running', 'RABCDEFGHIJ'],
        ['api', 'updating', undefined],
      ],
    );
    expect(text).toBe(
      [
        'APP           STATUS    RELEASE',
        'web-frontend  running   RABCDEFGHIJ',
        'api           updating',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for an empty list', () => {
    expect(renderTable(['ID', 'NAME'], [])).toBe('ID  NAME\n');
  });

  it('renders numbers, booleans and blanks', () => {
    expect(renderTable(['A', 'B', 'C'], [[1, true, null]])).toBe('A  B     C\n1  true\n');
  });
});

describe('renderDetails', () => {
  it('aligns values after the longest key', () => {
    expect(
      renderDetails([
        ['Name', 'myapp'],
        ['Release', 'R1'],
        ['Router', undefined],
      ]),
    ).toBe('Name     myapp\nRelease  R1\nRouter\n');
  });
});

describe('relative times', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it('says how long ago or how far ahead', () => {
    expect(relativeTime('2025-06-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2025-06-03T12:00:00Z', now)).toBe('in 2 days');
    expect(relativeTime('2025-06-01T11:59:59Z', now)).toBe('1 second ago');
  });

  it('is blank for missing or zero times', () => {
    expect(relativeTime(undefined, now)).toBe('');
    expect(relativeTime('0001-01-01T00:00:00Z', now)).toBe('');
  });

  it('formats build durations', () => {
    expect(elapsed('2025-06-01T12:00:00Z', '2025-06-01T12:01:20Z')).toBe('1m20s');
    expect(elapsed('2025-06-01T12:00:00Z', undefined)).toBe('');
  });
});

describe('expiryReminder', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const target = { rackName: 'staging', url: 'https://gw', token: 't', tokenSource: 'session' as const };

  it('reminds when the session ends within 7 days', () => {
    expect(expiryReminder({ ...target, expiresAt: '2025-06-04T00:00:00Z' }, now)).toMatch(
      /rack "staging" expires in 3 days .*run: rack-gateway login staging/,
    );
  });

  it('stays quiet for later expiries, API tokens and expired sessions', () => {
    expect(expiryReminder({ ...target, expiresAt: '2025-06-20T00:00:00Z' }, now)).toBeUndefined();
    expect(
      expiryReminder({ ...target, tokenSource: 'environment', expiresAt: '2025-06-02T00:00:00Z' }, now),
    ).toBeUndefined();
    expect(expiryReminder({ ...target, expiresAt: '2025-05-01T00:00:00Z' }, now)).toBeUndefined();
  });
});
