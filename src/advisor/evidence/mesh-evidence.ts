/**
 * Mesh evidence: for every trial with a mesh, the latency it added over the same cell without
 * one (p50, p99, with intervals) and what its proxies cost (CPU per 1 000 requests, memory per
 * proxy). Pure.
 */
import type { AnalyzedRun } from '../../analysis/analyze.js';
import { matchBaselines } from '../../analysis/baseline.js';
import { proxyCostOf } from '../../analysis/mesh-cost.js';
import { meshProxyRoles, type MeshProxyRole } from '../../results/facts.js';
import type { RepetitionRecord, Results, TrialRecord } from '../../results/schema.js';
import type { Figure, MeshOverhead, ProxyCost } from './evidence-types.js';
import { meanFigure, rateOf, relativeChange, stringDimension } from './figures.js';

/** Dimensions a mesh trial may differ in from its no-mesh baseline and still be a clean pair. */
const meshOnlyDimensions = new Set(['mtls', 'proxyConcurrency']);

/** An added latency: the relative change's interval scaled by the baseline's value. */
function added(
  baselineUs: number,
  candidateUs: number,
  change: { low: number | undefined; high: number | undefined },
  repetitions: number,
): Figure {
  return {
    value: candidateUs - baselineUs,
    low: change.low === undefined ? undefined : change.low * baselineUs,
    high: change.high === undefined ? undefined : change.high * baselineUs,
    repetitions,
  };
}

function overheadOf(
  run: AnalyzedRun,
  trial: TrialRecord,
  baselineId: string,
): MeshOverhead | undefined {
  const mesh = trial.datapath?.mesh;
  const a = run.analysis.trials.find((t) => t.id === trial.id);
  const b = run.analysis.trials.find((t) => t.id === baselineId);
  if (mesh === undefined || a === undefined || b === undefined) return undefined;
  const p99 = relativeChange(run, baselineId, trial.id, 'p99');
  const candidateP99 = a.figures.p99;
  const baselineP99 = b.figures.p99;
  if (p99 === undefined || candidateP99 === undefined || baselineP99 === undefined) {
    return undefined;
  }
  const p50 = relativeChange(run, baselineId, trial.id, 'p50');
  const repetitions = Math.min(candidateP99.repetitions, baselineP99.repetitions);
  return {
    runId: run.analysis.runId,
    trialId: trial.id,
    baselineTrialId: baselineId,
    meshMode: mesh.mode,
    mtls: mesh.mtls,
    placement: stringDimension(a.dimensions, 'placement'),
    rateRps: rateOf(a),
    proxyTraversals: mesh.proxyTraversals,
    p99AddedUs: added(baselineP99.value, candidateP99.value, p99, repetitions),
    p50AddedUs:
      p50 === undefined || a.figures.p50 === undefined || b.figures.p50 === undefined
        ? undefined
        : added(b.figures.p50.value, a.figures.p50.value, p50, repetitions),
    p99Relative: p99,
  };
}

/** Resident memory per proxy of one role in one repetition (all instances of the role, averaged). */
function rssPerProxy(rep: RepetitionRecord, role: MeshProxyRole): number | undefined {
  const proxies = (rep.resources ?? []).filter((r) => r.role === role);
  if (proxies.length === 0) return undefined;
  return proxies.reduce((s, p) => s + p.rssBytes, 0) / proxies.length;
}

function costOf(run: AnalyzedRun, trial: TrialRecord): ProxyCost | undefined {
  const mesh = trial.datapath?.mesh;
  const a = run.analysis.trials.find((t) => t.id === trial.id);
  if (mesh === undefined || a === undefined) return undefined;
  const ok = trial.repetitions.filter((r) => r.status === 'ok');
  const perK = meanFigure(
    ok.map((r) => proxyCostOf(r)?.cpuMsPer1kRequests).filter((v) => v !== undefined),
  );
  if (perK === undefined) return undefined;
  const rssBytesPerProxy: ProxyCost['rssBytesPerProxy'] = {};
  for (const role of meshProxyRoles) {
    const f = meanFigure(ok.map((r) => rssPerProxy(r, role)).filter((v) => v !== undefined));
    if (f !== undefined) rssBytesPerProxy[role] = f;
  }
  return {
    runId: run.analysis.runId,
    trialId: trial.id,
    meshMode: mesh.mode,
    placement: stringDimension(a.dimensions, 'placement'),
    rateRps: rateOf(a),
    cpuMsPer1kRequests: perK,
    rssBytesPerProxy,
  };
}

export function meshEvidence(
  results: Results,
  run: AnalyzedRun,
): { overheads: MeshOverhead[]; costs: ProxyCost[] } {
  const meshTrials = results.trials.filter((t) => t.datapath?.mesh !== undefined);
  if (meshTrials.length === 0) return { overheads: [], costs: [] };
  const pairs = matchBaselines(run.analysis.trials, { mesh: 'none' })[0]?.pairs ?? [];
  const overheads: MeshOverhead[] = [];
  const costs: ProxyCost[] = [];
  for (const trial of meshTrials) {
    const pair = pairs.find((p) => p.trialId === trial.id);
    const clean = pair?.differsAlsoIn.every((d) => meshOnlyDimensions.has(d)) === true;
    const overhead = clean ? overheadOf(run, trial, pair.baselineId) : undefined;
    if (overhead !== undefined) overheads.push(overhead);
    const cost = costOf(run, trial);
    if (cost !== undefined) costs.push(cost);
  }
  return { overheads, costs };
}
