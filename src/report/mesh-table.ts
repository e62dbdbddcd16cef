/**
 * The service-mesh table: for every trial with a mesh, how many proxies a request crosses, what
 * the proxies cost (CPU per 1 000 requests, CPU and memory; from the `resources` groups whose
 * role is a proxy), and the latency each proxy adds at p50 and p99 against the trial's mesh
 * baseline (the overhead table has the intervals). Pure.
 */
import { proxyCostOf } from '../analysis/mesh-cost.js';
import type { Results } from '../results/schema.js';
import type { Analysis } from '../analysis/analyze.js';
import { formatBytes, formatMicros, formatPercent } from '../analysis/format.js';
import type { Cell, Table } from './tables.js';

const mean = (xs: readonly number[]): number | undefined =>
  xs.length === 0 ? undefined : xs.reduce((a, x) => a + x, 0) / xs.length;

const cell = (v: number | undefined, format: (v: number) => string): Cell =>
  v === undefined ? { text: '–', tone: 'muted' } : { text: format(v) };

export function meshTable(results: Results, a: Analysis): Table | undefined {
  const meshTrials = results.trials.filter((t) => t.datapath?.mesh !== undefined);
  if (meshTrials.length === 0) return undefined;
  const overheads = a.overheads.find((o) => o.dimension === 'mesh');
  const figures = (id: string) => a.trials.find((t) => t.id === id)?.figures;
  const rows = meshTrials.map((t): Cell[] => {
    const mesh = t.datapath!.mesh!;
    const costs = t.repetitions
      .filter((r) => r.status === 'ok')
      .map(proxyCostOf)
      .filter((c) => c !== undefined);
    const row = overheads?.rows.find((r) => r.trialId === t.id);
    const perProxy = (p: 'p50' | 'p99'): number | undefined => {
      const mine = figures(t.id)?.[p]?.value;
      const base = row === undefined ? undefined : figures(row.baselineTrialId)?.[p]?.value;
      return mine === undefined || base === undefined || mesh.proxyTraversals === 0
        ? undefined
        : (mine - base) / mesh.proxyTraversals;
    };
    return [
      { text: t.id },
      { text: `${mesh.mode}${mesh.mtls === 'strict' ? ', mTLS' : ''}` },
      { text: String(mesh.proxyTraversals) },
      cell(mean(costs.map((c) => c.cpuMsPer1kRequests)), (v) => `${v.toFixed(0)} ms`),
      cell(mean(costs.map((c) => c.cpuPercent)), formatPercent),
      cell(mean(costs.map((c) => c.rssBytes)), formatBytes),
      cell(perProxy('p50'), formatMicros),
      cell(perProxy('p99'), formatMicros),
    ];
  });
  return {
    id: 'mesh',
    title: 'Service mesh: what the proxies cost',
    caption:
      'Proxies a request crosses (client to server), the CPU of all proxies per 1 000 completed requests, their CPU (% of one core) and resident memory over the measured window, and the latency each proxy adds at p50 and p99 against the mesh baseline (difference of the merged-histogram percentiles divided by the proxies crossed; the overhead table above gives the intervals). Mean over valid repetitions.',
    header: [
      'trial',
      'mesh',
      'proxies crossed',
      'proxy CPU per 1k requests',
      'proxy CPU',
      'proxy memory',
      'added per proxy, p50',
      'added per proxy, p99',
    ],
    rows,
  };
}
