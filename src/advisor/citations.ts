/** Evidence items → citations a recommendation can carry, with a sentence for people. Pure. */
import { formatMicros } from '../core/units.js';
import type { EvidenceCitation } from './advice-types.js';
import type {
  DatapathLatency,
  Figure,
  KubeProxyComparison,
  MeshOverhead,
  ProxyCost,
} from './evidence/evidence.js';

/** `+1.20ms`, `-80µs`. */
export const signedMicros = (us: number): string =>
  `${us < 0 ? '-' : '+'}${formatMicros(Math.abs(us))}`;

const signedPercent = (fraction: number): string =>
  `${fraction < 0 ? '-' : '+'}${Math.abs(fraction * 100).toFixed(1)}%`;

function interval(
  f: { low: number | undefined; high: number | undefined },
  fmt: (v: number) => string,
): string {
  return f.low === undefined || f.high === undefined
    ? 'no interval'
    : `[${fmt(f.low)}, ${fmt(f.high)}]`;
}

const reps = (n: number): string => `${n} repetition${n === 1 ? '' : 's'}`;

function cite(
  base: Omit<EvidenceCitation, 'value' | 'low' | 'high' | 'repetitions' | 'text'>,
  f: Figure,
  text: string,
): EvidenceCitation {
  return { ...base, value: f.value, low: f.low, high: f.high, repetitions: f.repetitions, text };
}

export function citeMeshOverhead(o: MeshOverhead): EvidenceCitation {
  return cite(
    {
      runId: o.runId,
      trialId: o.trialId,
      againstTrialId: o.baselineTrialId,
      figure: 'p99 added by the mesh',
      unit: 'us',
    },
    o.p99AddedUs,
    `${o.meshMode} (${o.trialId}, run ${o.runId}): p99 ${signedMicros(o.p99AddedUs.value)} ${interval(o.p99AddedUs, signedMicros)} over ${o.baselineTrialId} (${signedPercent(o.p99Relative.value)}, ${o.p99Relative.verdict}), ${o.proxyTraversals} proxies crossed, ${reps(o.p99AddedUs.repetitions)}`,
  );
}

export function citeProxyCost(c: ProxyCost): EvidenceCitation {
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  return cite(
    {
      runId: c.runId,
      trialId: c.trialId,
      figure: 'proxy CPU per 1k requests',
      unit: 'ms-per-1k-requests',
    },
    c.cpuMsPer1kRequests,
    `${c.meshMode} (${c.trialId}, run ${c.runId}): proxy CPU ${ms(c.cpuMsPer1kRequests.value)} per 1 000 requests ${interval(c.cpuMsPer1kRequests, ms)}, ${reps(c.cpuMsPer1kRequests.repetitions)}`,
  );
}

export function citeKubeProxy(k: KubeProxyComparison): EvidenceCitation {
  const change: Figure = {
    value: k.p50Change.value * 100,
    low: k.p50Change.low === undefined ? undefined : k.p50Change.low * 100,
    high: k.p50Change.high === undefined ? undefined : k.p50Change.high * 100,
    repetitions: Math.min(k.iptablesP50Us.repetitions, k.nftablesP50Us.repetitions),
  };
  const pct = (v: number): string => `${v < 0 ? '-' : '+'}${Math.abs(v).toFixed(1)}%`;
  return cite(
    {
      runId: k.runId,
      trialId: k.nftablesTrialId,
      againstTrialId: k.iptablesTrialId,
      figure: 'nftables vs iptables, new-connection p50',
      unit: 'percent',
    },
    change,
    `${k.services} Services, a new connection per request (${k.workload}, run ${k.runId}): nftables p50 ${formatMicros(k.nftablesP50Us.value)} vs iptables ${formatMicros(k.iptablesP50Us.value)}, ${pct(change.value)} ${interval(change, pct)} (${k.p50Change.verdict})`,
  );
}

export function citeDatapath(d: DatapathLatency): EvidenceCitation {
  return cite(
    { runId: d.runId, trialId: d.trialId, figure: 'p99 latency', unit: 'us' },
    d.p99Us,
    `${d.datapath} ${d.placement ?? ''} (${d.trialId}, run ${d.runId}): p50 ${formatMicros(d.p50Us.value)}, p99 ${formatMicros(d.p99Us.value)} ${interval(d.p99Us, formatMicros)}, ${reps(d.p99Us.repetitions)}`,
  );
}
