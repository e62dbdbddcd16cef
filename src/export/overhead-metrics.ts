/**
 * The analysis' overheads against the scenario's baseline as gauges, so a dashboard shows the
 * same figures, intervals and verdicts as report.html instead of recomputing them in PromQL
 * (PromQL cannot pair a trial with its baseline, nor bootstrap repetitions).
 */
import { analyzeResults } from '../analysis/analyze.js';
import type { Results } from '../results/schema.js';
import type { GaugeFamily } from './metric-family.js';

/** `netbench_overhead_ratio`: candidate / baseline − 1 per figure, with its interval bounds. */
export function overheadFamily(results: Results): GaugeFamily {
  const { analysis } = analyzeResults(results);
  const samples: GaugeFamily['samples'] = [];
  for (const table of analysis.overheads) {
    for (const row of table.rows) {
      for (const [figure, d] of Object.entries(row.figures)) {
        if (d === undefined || d.kind !== 'relative') continue;
        const labels = {
          run_id: results.runId,
          trial: row.trialId,
          baseline_trial: row.baselineTrialId,
          dimension: table.dimension,
          figure,
          verdict: d.verdict,
        };
        samples.push({ labels: { ...labels, bound: 'estimate' }, value: d.value });
        if (d.low !== undefined)
          samples.push({ labels: { ...labels, bound: 'low' }, value: d.low });
        if (d.high !== undefined)
          samples.push({ labels: { ...labels, bound: 'high' }, value: d.high });
      }
    }
  }
  return {
    kind: 'gauge',
    name: 'netbench_overhead_ratio',
    help: `Change of a figure against the scenario's baseline trial (0.12 = +12 %), bound estimate/low/high of the ${Math.round(analysis.level * 100)} % interval, as in report.html.`,
    samples,
  };
}
