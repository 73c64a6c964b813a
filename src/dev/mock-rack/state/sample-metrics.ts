import { rfc3339 } from './rack-time';

/** Metric series shaped like the rack's: `{name, values:[{avg,count,max,min,sum,time}]}`, one point a minute. */
export function sampleMetrics(names: string[], points = 5, now = Date.now()) {
  return names.map((name, series) => ({
    name,
    values: Array.from({ length: points }, (_, i) => {
      const avg = 20 + series * 7 + ((i * 13) % 9);
      return {
        avg,
        count: 60,
        max: avg + 10,
        min: Math.max(0, avg - 10),
        sum: avg * 60,
        time: rfc3339(new Date(now - (points - i) * 60_000)),
      };
    }),
  }));
}
