/**
 * A number as a person reads it in a table: integers as they are, fractions rounded to two decimals with
 * trailing zeros dropped (`3.9`, not the float `3.9000000000000004` the rack's JSON can carry). A non-zero
 * value too small for two decimals keeps two significant digits rather than printing as `0`.
 */
export function formatQuantity(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  const rounded = Number(value.toFixed(2));
  if (rounded !== 0) return String(rounded);
  return String(Number(value.toPrecision(2)));
}

/** `used/allocatable` as convox prints an instance's CPU and MEM, or the used amount alone. */
export function usedOfAllocatable(used: number | undefined, allocatable: number | undefined): string {
  if (typeof used !== 'number') return '';
  if (typeof allocatable === 'number' && allocatable > 0)
    return `${formatQuantity(used)}/${formatQuantity(allocatable)}`;
  return formatQuantity(used);
}
