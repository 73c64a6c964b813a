import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  it('logs the first failure at once and then one line per interval with the count in between', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new OutageLog({ error: (line: string) => lines.push(line) }, 10_000, () => now);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 500; i++) {
      log.report('request refused', refused);
      now += 36; // 500 requests in 18 s
    }
    expect(lines).toEqual([
      'database unavailable (request refused): connect ECONNREFUSED 127.0.0.1:5432',
      'database unavailable (request refused): connect ECONNREFUSED 127.0.0.1:5432; 277 more failures since the last report',
    ]);
  });
});
