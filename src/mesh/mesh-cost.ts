/**
 * What a mesh costs, derived from results.json alone (pure): the CPU and memory of the proxies
 * per repetition, normalised per 1 000 completed requests, and the latency a mesh trial adds over
 * a baseline trial (usually the same cell with `mesh: none`), in total and per proxy traversal.
 * Percentiles come from merging the repetitions' histograms, never from averaging percentiles.
 */
import type { RepetitionRecord, TrialRecord } from '../results/schema.js';
import { decodeHistogram, mergeHistograms } from '../stats/histogram.js';
import { meshProxyRoles, type MeshProxyRole } from './mesh-spec.js';

export interface ProxyCost {
  /** User+system CPU seconds of all proxies over the measured window. */
  cpuSeconds: number;
  /** Proxy CPU time per 1 000 completed requests, in milliseconds. */
  cpuMsPer1kRequests: number;
  /** Sum of the proxies' CPU as % of one core (100 = one full core). */
  cpuPercent: number;
  /** Sum of the proxies' resident memory at the end of the window. */
  rssBytes: number;
  /** The same, per proxy role. */
  byRole: Partial<Record<MeshProxyRole, { count: number; cpuPercent: number; rssBytes: number }>>;
}

const isProxyRole = (role: string): role is MeshProxyRole =>
  (meshProxyRoles as readonly string[]).includes(role);

/**
 * Proxy cost of one repetition, from the `resources` entries whose role is a proxy role
 * (`sidecar`, `node-proxy`, `waypoint`: the daemon names the lab gives them). Undefined when the
 * repetition has no proxy readings or completed no request.
 */
export function proxyCostOf(rep: RepetitionRecord): ProxyCost | undefined {
  const proxies = (rep.resources ?? []).filter((r) => isProxyRole(r.role));
  const completed = rep.requests?.completed ?? 0;
  if (proxies.length === 0 || completed === 0) return undefined;
  const byRole: ProxyCost['byRole'] = {};
  let cpuSeconds = 0;
  let cpuPercent = 0;
  let rssBytes = 0;
  for (const p of proxies) {
    cpuSeconds += p.cpuSeconds;
    cpuPercent += p.cpuPercent;
    rssBytes += p.rssBytes;
    const role = p.role as MeshProxyRole;
    const entry = byRole[role] ?? { count: 0, cpuPercent: 0, rssBytes: 0 };
    byRole[role] = {
      count: entry.count + 1,
      cpuPercent: entry.cpuPercent + p.cpuPercent,
      rssBytes: entry.rssBytes + p.rssBytes,
    };
  }
  return {
    cpuSeconds,
    cpuMsPer1kRequests: (cpuSeconds * 1000 * 1000) / completed,
    cpuPercent,
    rssBytes,
    byRole,
  };
}

export interface PercentileOverhead {
  baselineUs: number;
  meshUs: number;
  /** meshUs − baselineUs. */
  addedUs: number;
  /** addedUs as % of baselineUs. */
  addedPercent: number;
  /** addedUs divided by the proxies a request crosses. */
  addedPerTraversalUs: number;
}

export interface MeshOverhead {
  /** Valid repetitions merged on each side. */
  repetitions: { baseline: number; mesh: number };
  traversals: number;
  p50: PercentileOverhead;
  p90: PercentileOverhead;
  p99: PercentileOverhead;
}

function mergedLatency(trial: TrialRecord): {
  histogram: ReturnType<typeof mergeHistograms>;
  n: number;
} {
  const encoded = trial.repetitions
    .filter((r) => r.status === 'ok')
    .map((r) => r.histograms?.latencyUs)
    .filter((h): h is string => h !== undefined);
  return { histogram: mergeHistograms(encoded.map(decodeHistogram)), n: encoded.length };
}

/**
 * Latency `trial` adds over `baseline` at p50/p90/p99 (coordinated-omission-corrected latency,
 * valid repetitions only). Undefined when either side has no valid repetition or `trial` has no
 * mesh facts.
 */
export function meshOverheadOf(
  trial: TrialRecord,
  baseline: TrialRecord,
): MeshOverhead | undefined {
  const traversals = trial.datapath?.mesh?.proxyTraversals;
  if (traversals === undefined) return undefined;
  const mesh = mergedLatency(trial);
  const base = mergedLatency(baseline);
  if (mesh.n === 0 || base.n === 0) return undefined;
  const at = (p: number): PercentileOverhead => {
    const baselineUs = base.histogram.getValueAtPercentile(p);
    const meshUs = mesh.histogram.getValueAtPercentile(p);
    const addedUs = meshUs - baselineUs;
    return {
      baselineUs,
      meshUs,
      addedUs,
      addedPercent: baselineUs === 0 ? 0 : (addedUs / baselineUs) * 100,
      addedPerTraversalUs: addedUs / traversals,
    };
  };
  return {
    repetitions: { baseline: base.n, mesh: mesh.n },
    traversals,
    p50: at(50),
    p90: at(90),
    p99: at(99),
  };
}
