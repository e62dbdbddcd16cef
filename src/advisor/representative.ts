/**
 * Which measured trial stands for the team's cluster when a run measured several: cross-node
 * first (most pod pairs in a cluster of many nodes are on different nodes), then the requested
 * rate closest, on a log scale, to what one client pod of the team offers; without a rate, the
 * highest rate measured (per-request costs amortise the proxies' idle work at higher rates).
 * Pure.
 */

interface Placed {
  placement: string | undefined;
  rateRps: number | undefined;
}

export function pickRepresentative<T extends Placed>(
  items: readonly T[],
  targetRps: number | undefined,
): T | undefined {
  if (items.length === 0) return undefined;
  const crossNode = items.filter((i) => i.placement === 'cross-node');
  const pool = crossNode.length > 0 ? crossNode : items;
  const distance = (i: T): number => {
    if (i.rateRps === undefined) return Number.POSITIVE_INFINITY;
    if (targetRps === undefined || targetRps <= 0) return -i.rateRps;
    return Math.abs(Math.log(i.rateRps) - Math.log(targetRps));
  };
  // Stable: the first of equally close items wins (the order of the runs given).
  return pool.reduce((best, i) => (distance(i) < distance(best) ? i : best));
}
