/**
 * Datapath evidence: the latency of each datapath model (the CNI shapes: vxlan for Flannel,
 * routed and routed-bgp for Calico, ebpf for Cilium and Calico's eBPF dataplane) measured
 * without a mesh, a Service or a policy in the way. Pure.
 */
import type { AnalyzedRun, TrialAnalysis } from '../../analysis/analyze.js';
import type { DatapathLatency } from './evidence-types.js';
import { figureOf, rateOf, stringDimension } from './figures.js';

function isPlainPath(t: TrialAnalysis): boolean {
  const d = t.dimensions;
  return (
    (d.mesh === undefined || d.mesh === 'none') &&
    d.placement !== 'via-service' &&
    (d.policy === undefined || d.policy === 'off')
  );
}

export function datapathEvidence(run: AnalyzedRun): DatapathLatency[] {
  const out: DatapathLatency[] = [];
  for (const t of run.analysis.trials) {
    const datapath = stringDimension(t.dimensions, 'datapath');
    const { p50, p99 } = t.figures;
    if (datapath === undefined || p50 === undefined || p99 === undefined || !isPlainPath(t)) {
      continue;
    }
    out.push({
      runId: run.analysis.runId,
      trialId: t.id,
      datapath,
      placement: stringDimension(t.dimensions, 'placement'),
      rateRps: rateOf(t),
      p50Us: figureOf(p50),
      p99Us: figureOf(p99),
    });
  }
  return out;
}
