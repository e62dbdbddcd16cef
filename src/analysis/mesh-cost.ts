/**
 * What a mesh's proxies cost, derived from results.json alone (pure): their CPU and memory per
 * repetition, normalised per 1 000 completed requests. The latency a mesh adds is the report's
 * overhead against the mesh baseline (report/analyze.ts), with its interval.
 */
import { meshProxyRoles, type MeshProxyRole } from '../results/facts.js';
import type { RepetitionRecord } from '../results/schema.js';

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
