import { FLOOD_HEADING } from './flood-report';

/** Headings of the sections `--replicas` and `--soak` write; a full benchmark run keeps them as they are. */
export const REPLICAS_HEADING = '## Two replicas on one PostgreSQL';
export const SOAK_HEADING = '## Soak: mixed load for minutes';
/** Sections a `--quick` run does not measure; kept from the previous file like the operational ones. */
export const AUDIT_QUERIES_HEADING = '## Audit queries';
const OPERATIONAL_HEADINGS = [AUDIT_QUERIES_HEADING, FLOOD_HEADING, REPLICAS_HEADING, SOAK_HEADING];

function sectionOf(markdown: string, heading: string): { start: number; end: number } | undefined {
  const start = markdown.indexOf(heading);
  if (start < 0) return undefined;
  const next = markdown.indexOf('\n## ', start + heading.length);
  return { start, end: next < 0 ? markdown.length : next + 1 };
}

/** Puts `section` (starting with `heading`) in place of the old one in `markdown`, or at its end. */
export function replaceSection(markdown: string, heading: string, section: string): string {
  const body = `${section.trimEnd()}\n`;
  const old = sectionOf(markdown, heading);
  if (!old) return `${markdown.trimEnd()}\n\n${body}`;
  const rest = markdown.slice(old.end);
  return `${markdown.slice(0, old.start)}${body}${rest ? `\n${rest}` : ''}`;
}

/**
 * A full run rewrites docs/BENCHMARKS.md from its own results; the two-replica and soak sections come from
 * separate, longer runs (and a `--quick` run measures neither audit queries nor the flood), so sections the
 * fresh report lacks are carried over from the file being replaced.
 */
export function keepOperationalSections(previous: string, fresh: string): string {
  let merged = fresh;
  for (const heading of OPERATIONAL_HEADINGS) {
    const old = sectionOf(previous, heading);
    if (old && !merged.includes(heading))
      merged = replaceSection(merged, heading, previous.slice(old.start, old.end));
  }
  return merged;
}
