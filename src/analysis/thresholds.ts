/**
 * Checks thresholds against an analysis (k6 semantics: the point estimate decides; the interval
 * and verdict are shown beside it so a reader sees whether a crossing is noise). A threshold that
 * could check nothing (no trial measured its figure, or `where` matched no trial) FAILS, so a
 * typo in `where` or a missing measurement never passes silently. Pure.
 */
import type { Analysis } from './analyze.js';
import type { Scenario } from '../spec/scenario-schema.js';
import type { Difference, Estimate, Verdict } from '../stats/estimate.js';
import {
  parseThreshold,
  satisfies,
  thresholdUnit,
  type Threshold,
  type ThresholdUnit,
} from '../spec/threshold.js';

export interface ThresholdCheck {
  trialId: string;
  /** For overhead/change thresholds: what the trial was compared with. */
  againstId: string | undefined;
  /** Observed value in the threshold's unit (µs, %, bit/s, requests/s). */
  observed: number;
  low: number | undefined;
  high: number | undefined;
  verdict: Verdict | undefined;
  passed: boolean;
}

export interface ThresholdOutcome {
  threshold: string;
  /** Unit of `observed`, `low` and `high` in the checks. */
  unit: ThresholdUnit;
  where: Record<string, unknown> | undefined;
  passed: boolean;
  checks: ThresholdCheck[];
  /** Why it failed without a failing check (nothing to check). */
  reason: string | undefined;
}

/** Parses the thresholds recorded in a scenario; invalid ones become failed outcomes. */
export function scenarioThresholds(scenario: Pick<Scenario, 'thresholds'>): {
  thresholds: Threshold[];
  invalid: ThresholdOutcome[];
} {
  const raw = scenario.thresholds;
  const thresholds: Threshold[] = [];
  const invalid: ThresholdOutcome[] = [];
  for (const t of Array.isArray(raw) ? raw : []) {
    const source = typeof t === 'string' ? t : t.check;
    const where = typeof t === 'string' ? undefined : t.where;
    const parsed = parseThreshold(String(source), 'scenario', where);
    if (parsed.ok) thresholds.push(parsed.value);
    else {
      invalid.push({
        threshold: String(source),
        unit: 'percent',
        where,
        passed: false,
        checks: [],
        reason: `${parsed.message} (${parsed.hint})`,
      });
    }
  }
  return { thresholds, invalid };
}

function matchesWhere(dimensions: Record<string, unknown>, where: Threshold['where']): boolean {
  if (where === undefined) return true;
  return Object.entries(where).every(
    ([k, v]) => v === undefined || JSON.stringify(dimensions[k]) === JSON.stringify(v),
  );
}

function absoluteCheck(trialId: string, threshold: Threshold, e: Estimate): ThresholdCheck {
  return {
    trialId,
    againstId: undefined,
    observed: e.value,
    low: e.low,
    high: e.high,
    verdict: undefined,
    passed: satisfies(threshold, e.value),
  };
}

/** A relative check: differences are fractions; thresholds are written in percent. */
export function relativeCheck(
  trialId: string,
  againstId: string,
  threshold: Threshold,
  d: Difference,
  requireSignificance: boolean,
): ThresholdCheck {
  const observed = d.value * 100;
  const crossed = !satisfies(threshold, observed);
  return {
    trialId,
    againstId,
    observed,
    low: d.low === undefined ? undefined : d.low * 100,
    high: d.high === undefined ? undefined : d.high * 100,
    verdict: d.verdict,
    passed: !crossed || (requireSignificance && d.verdict !== 'significant'),
  };
}

export function finish(
  threshold: Threshold,
  checks: ThresholdCheck[],
  nothing: string,
): ThresholdOutcome {
  return {
    threshold: threshold.source,
    unit: thresholdUnit(threshold),
    where: threshold.where,
    passed: checks.length > 0 && checks.every((c) => c.passed),
    checks,
    reason: checks.length === 0 ? nothing : undefined,
  };
}

/** Evaluates scenario thresholds (absolute and overhead.*) against a run's analysis. */
export function evaluateThresholds(
  analysis: Analysis,
  thresholds: readonly Threshold[],
): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const checks: ThresholdCheck[] = [];
    const target = threshold.target;
    if (target.kind === 'absolute') {
      for (const t of analysis.trials) {
        if (!matchesWhere(t.dimensions, threshold.where)) continue;
        const e = t.figures[target.figure];
        if (e !== undefined) checks.push(absoluteCheck(t.id, threshold, e));
      }
      return finish(
        threshold,
        checks,
        `no trial${threshold.where === undefined ? '' : ' matching `where`'} has a valid measurement of ${target.figure}`,
      );
    }
    const dims = new Map(analysis.trials.map((t) => [t.id, t.dimensions]));
    for (const table of analysis.overheads) {
      for (const row of table.rows) {
        if (!matchesWhere(dims.get(row.trialId) ?? {}, threshold.where)) continue;
        const d = row.figures[target.figure];
        if (d !== undefined) {
          checks.push(relativeCheck(row.trialId, row.baselineTrialId, threshold, d, false));
        }
      }
    }
    return finish(
      threshold,
      checks,
      `no overhead of ${target.figure} could be computed (needs \`baseline\` and valid measurements of ${target.figure} on both sides)`,
    );
  });
}
