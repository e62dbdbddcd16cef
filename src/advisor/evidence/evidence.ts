/**
 * What the runs given to `netbench advise` measured that bears on a decision, extracted from
 * results.json through the analysis (merged histograms, repetition bootstrap), never from
 * per-repetition averages. Pure. Each item keeps the run id and trial ids it came from, so every
 * recommendation can cite it.
 */
import { analyzeResults, type AnalysisOptions } from '../../analysis/analyze.js';
import type { Results } from '../../results/schema.js';
import { datapathEvidence } from './datapath-evidence.js';
import type { Evidence } from './evidence-types.js';
import { kubeProxyEvidence } from './kube-proxy-evidence.js';
import { meshEvidence } from './mesh-evidence.js';

export type {
  DatapathLatency,
  Evidence,
  Figure,
  KubeProxyComparison,
  MeshOverhead,
  ProxyCost,
  RunInfo,
} from './evidence-types.js';

/** Extracts the evidence of every run; the order of `runs` is kept in every list. */
export function extractEvidence(runs: readonly Results[], options: AnalysisOptions = {}): Evidence {
  const out: Evidence = {
    runs: [],
    meshOverheads: [],
    proxyCosts: [],
    kubeProxy: [],
    datapaths: [],
  };
  for (const results of runs) {
    const run = analyzeResults(results, options);
    const valid = results.trials.reduce(
      (n, t) => n + t.repetitions.filter((r) => r.status === 'ok').length,
      0,
    );
    const total = results.trials.reduce((n, t) => n + t.repetitions.length, 0);
    out.runs.push({
      runId: results.runId,
      name: run.analysis.name,
      platform: results.environment.platform,
      repetitions: { valid, total },
    });
    const mesh = meshEvidence(results, run);
    out.meshOverheads.push(...mesh.overheads);
    out.proxyCosts.push(...mesh.costs);
    out.kubeProxy.push(...kubeProxyEvidence(run));
    out.datapaths.push(...datapathEvidence(run));
  }
  return out;
}
