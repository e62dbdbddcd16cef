/**
 * kube-proxy evidence: at each measured number of Services, the latency of a new connection
 * through a ClusterIP Service with kube-proxy's nftables mode against its iptables mode. Only
 * workloads that open a connection per request count (`http1-close`, `tcp-crr`): kube-proxy's
 * NAT rules see only a connection's first packet, so keep-alive traffic does not pay the lookup.
 * Pure.
 */
import type { AnalyzedRun, TrialAnalysis } from '../../analysis/analyze.js';
import type { KubeProxyComparison } from './evidence-types.js';
import { figureOf, relativeChange, stringDimension } from './figures.js';

/** The workload label of a trial that opens a connection per request, else undefined. */
function newConnectionWorkload(t: TrialAnalysis): string | undefined {
  if (t.dimensions.workload === 'tcp-crr') return 'tcp-crr';
  if (t.dimensions.workload === 'http' && t.dimensions.protocol === 'http1-close') {
    return 'http1-close';
  }
  return undefined;
}

/** Every dimension but kubeProxy, as a key: trials with equal keys differ only in the mode. */
function cellKey(t: TrialAnalysis): string {
  const rest = Object.entries(t.dimensions)
    .filter(([k]) => k !== 'kubeProxy')
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(rest);
}

export function kubeProxyEvidence(run: AnalyzedRun): KubeProxyComparison[] {
  const candidates = run.analysis.trials.filter(
    (t) =>
      stringDimension(t.dimensions, 'placement') === 'via-service' &&
      newConnectionWorkload(t) !== undefined &&
      t.figures.p50 !== undefined,
  );
  const out: KubeProxyComparison[] = [];
  for (const nft of candidates.filter((t) => t.dimensions.kubeProxy === 'nftables')) {
    const ipt = candidates.find(
      (t) => t.dimensions.kubeProxy === 'iptables' && cellKey(t) === cellKey(nft),
    );
    if (ipt === undefined) continue;
    const p50Change = relativeChange(run, ipt.id, nft.id, 'p50');
    if (p50Change === undefined) continue;
    const services = nft.dimensions.services;
    out.push({
      runId: run.analysis.runId,
      services: typeof services === 'number' ? services : 0,
      iptablesTrialId: ipt.id,
      nftablesTrialId: nft.id,
      workload: newConnectionWorkload(nft)!,
      iptablesP50Us: figureOf(ipt.figures.p50!),
      nftablesP50Us: figureOf(nft.figures.p50!),
      p50Change,
      p99Change: relativeChange(run, ipt.id, nft.id, 'p99'),
    });
  }
  return out.sort((a, b) => a.services - b.services);
}
