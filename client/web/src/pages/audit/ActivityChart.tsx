import { Card, Text } from '@mantine/core';
import type { AuditEvent } from '../../api/client';

const BUCKETS = 24;
const WIDTH = 480;
const HEIGHT = 80;

/**
 * Calls and denials over the span of the events given, as bars in plain SVG: calls in the primary colour,
 * denials overlaid in red. A text summary carries the same facts for screen readers.
 */
export function ActivityChart({ events }: { events: AuditEvent[] }) {
  if (events.length === 0) return null;
  const times = events.map((event) => new Date(event.time).getTime());
  const start = Math.min(...times);
  const span = Math.max(Math.max(...times) - start, 60_000);
  const calls = new Array<number>(BUCKETS).fill(0);
  const denials = new Array<number>(BUCKETS).fill(0);
  events.forEach((event, i) => {
    const bucket = Math.min(BUCKETS - 1, Math.floor(((times[i] - start) / span) * BUCKETS));
    calls[bucket] += event.eventCount;
    if (event.decision === 'deny') denials[bucket] += event.eventCount;
  });
  const peak = Math.max(...calls, 1);
  const bar = WIDTH / BUCKETS;
  const totalDenials = denials.reduce((a, b) => a + b, 0);
  const totalCalls = calls.reduce((a, b) => a + b, 0);
  return (
    <Card withBorder mb="md">
      <Text size="sm" fw={600} id="activity-chart-title">
        Calls and denials, {new Date(start).toLocaleString()} – {new Date(start + span).toLocaleString()}
      </Text>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        height={HEIGHT}
        role="img"
        aria-labelledby="activity-chart-title"
        aria-describedby="activity-chart-summary"
      >
        {calls.map((count, i) => (
          <rect
            key={`c${i}`}
            x={i * bar + 1}
            width={bar - 2}
            y={HEIGHT - (count / peak) * HEIGHT}
            height={(count / peak) * HEIGHT}
            fill="var(--mantine-color-indigo-3)"
          />
        ))}
        {denials.map((count, i) => (
          <rect
            key={`d${i}`}
            x={i * bar + 1}
            width={bar - 2}
            y={HEIGHT - (count / peak) * HEIGHT}
            height={(count / peak) * HEIGHT}
            fill="var(--mantine-color-red-7)"
          />
        ))}
      </svg>
      <Text size="xs" id="activity-chart-summary">
        {totalCalls} calls, {totalDenials} denied (in red), over the {events.length} newest matching events.
      </Text>
    </Card>
  );
}
