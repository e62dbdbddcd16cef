/**
 * Two runs side by side (`netbench compare A B`): trials matched by their dimensions, and for each
 * figure the change from A to B with its confidence interval and verdict, computed exactly like an
 * overhead against a baseline (A is the baseline). Environment differences between the runs are
 * listed, because a kernel or CPU change explains a regression as well as a code change. Pure.
 */
import type { Results } from '../results/schema.js';
import type { Difference, Estimate } from '../stats/estimate.js';
import { finish, relativeCheck, type ThresholdOutcome } from './thresholds.js';
import type { Threshold } from '../spec/threshold.js';
import {
  analyzeResults,
  compareTrials,
  effectDetails,
  type AnalysisOptions,
  type AnalyzedRun,
} from './analyze.js';
import { comparedFigures, type FigureKey } from '../spec/figures.js';

export type ComparedFigure = FigureKey;

export interface ComparedFigureRow {
  a: Estimate;
  b: Estimate;
  change: Difference;
}

export interface ComparisonRow {
  /** B's trial id (A's when they differ is in `aTrialId`). */
  trialId: string;
  aTrialId: string;
  dimensions: Record<string, unknown>;
  figures: Partial<Record<ComparedFigure, ComparedFigureRow>>;
  probabilitySlower: number | undefined;
  /** Valid repetitions of the trial in A and in B, out of how many ran. */
  valid: { a: number; aTotal: number; b: number; bTotal: number };
}

export interface RunSummary {
  runId: string;
  name: string;
  startedAt: string;
  status: string;
  source: string;
}

export interface Comparison {
  a: RunSummary;
  b: RunSummary;
  level: number;
  rows: ComparisonRow[];
  onlyInA: string[];
  onlyInB: string[];
  /** Environment fields that differ between the two runs: "kernel: 6.1 → 6.8". */
  environmentChanges: string[];
}

function summary(run: AnalyzedRun, source: string): RunSummary {
  const a = run.analysis;
  return { runId: a.runId, name: a.name, startedAt: a.startedAt, status: a.status, source };
}

/** Same dimensions, on the keys both trials have (a newer netbench may know more dimensions). */
function sameCell(x: Record<string, unknown>, y: Record<string, unknown>): boolean {
  return Object.keys(x)
    .filter((k) => k in y)
    .every((k) => JSON.stringify(x[k]) === JSON.stringify(y[k]));
}

function environmentChanges(a: Results, b: Results): string[] {
  const ea = a.environment;
  const eb = b.environment;
  const out: string[] = [];
  const fields = ['platform', 'hostname', 'kernel', 'cpuModel', 'cpuCount', 'nodeVersion'] as const;
  for (const f of fields) {
    if (ea[f] !== eb[f]) out.push(`${f}: ${String(ea[f])} → ${String(eb[f])}`);
  }
  for (const tool of new Set([...Object.keys(ea.tools), ...Object.keys(eb.tools)])) {
    if (ea.tools[tool] !== eb.tools[tool]) {
      out.push(`${tool}: ${ea.tools[tool] ?? '(absent)'} → ${eb.tools[tool] ?? '(absent)'}`);
    }
  }
  if (a.tool.version !== b.tool.version) {
    out.push(`netbench: ${a.tool.version} → ${b.tool.version}`);
  }
  return out;
}

export function compareRuns(
  a: Results,
  b: Results,
  sources: { a: string; b: string },
  options: AnalysisOptions = {},
): Comparison {
  const runA = analyzeResults(a, options);
  const runB = analyzeResults(b, options);
  const level = runA.analysis.level;
  const rows: ComparisonRow[] = [];
  const matchedA = new Set<string>();
  for (const tb of runB.analysis.trials) {
    const ta = runA.analysis.trials.find(
      (t) => !matchedA.has(t.id) && sameCell(t.dimensions, tb.dimensions),
    );
    if (ta === undefined) continue;
    matchedA.add(ta.id);
    const spreadA = runA.spreads.get(ta.id)!;
    const spreadB = runB.spreads.get(tb.id)!;
    const changes = compareTrials(spreadA, spreadB, comparedFigures, level);
    const figures: ComparisonRow['figures'] = {};
    for (const f of comparedFigures) {
      const change = changes[f];
      if (change === undefined) continue;
      figures[f] = { a: ta.figures[f]!, b: tb.figures[f]!, change };
    }
    const p99s = (t: typeof ta): number[] =>
      t.perRepetition.flatMap((r) => (r.status === 'ok' && r.p99 !== undefined ? [r.p99] : []));
    rows.push({
      trialId: tb.id,
      aTrialId: ta.id,
      dimensions: tb.dimensions,
      figures,
      valid: {
        a: ta.repetitions.ok,
        aTotal: ta.repetitions.total,
        b: tb.repetitions.ok,
        bTotal: tb.repetitions.total,
      },
      probabilitySlower: effectDetails(
        { merged: runA.buckets.get(ta.id), p99s: p99s(ta) },
        { merged: runB.buckets.get(tb.id), p99s: p99s(tb) },
      ).probabilitySlower,
    });
  }
  const matchedB = new Set(rows.map((r) => r.trialId));
  return {
    a: summary(runA, sources.a),
    b: summary(runB, sources.b),
    level,
    rows,
    onlyInA: runA.analysis.trials.filter((t) => !matchedA.has(t.id)).map((t) => t.id),
    onlyInB: runB.analysis.trials.filter((t) => !matchedB.has(t.id)).map((t) => t.id),
    environmentChanges: environmentChanges(a, b),
  };
}

/**
 * Checks `change.*` thresholds on every matched trial. With `requireSignificance`, a crossing
 * fails only when the change is significant (its interval excludes 0), so noise alone never fails
 * a CI job; without it, the point estimate decides (k6 semantics).
 */
export function evaluateChangeThresholds(
  comparison: Comparison,
  thresholds: readonly Threshold[],
  requireSignificance: boolean,
): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const figure = threshold.target.figure;
    const checks = comparison.rows.flatMap((row) => {
      if (
        threshold.where !== undefined &&
        !Object.entries(threshold.where).every(
          ([k, v]) => JSON.stringify(row.dimensions[k]) === JSON.stringify(v),
        )
      ) {
        return [];
      }
      const f = row.figures[figure];
      return f === undefined
        ? []
        : [relativeCheck(row.trialId, row.aTrialId, threshold, f.change, requireSignificance)];
    });
    return finish(
      threshold,
      checks,
      `no matched trial has a valid ${threshold.target.figure} in both runs`,
    );
  });
}
