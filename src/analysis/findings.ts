/**
 * The answer, up front: which configuration was fastest, the overheads with their verdicts, what
 * is within noise, and what to distrust (invalid repetitions, too few repetitions). Plain
 * sentences built from the analysis, shared by the HTML and Markdown reports. Pure.
 */
import type { Difference } from '../stats/estimate.js';
import type { ThresholdOutcome } from './thresholds.js';
import type { Analysis, AnalyzedRun, TrialAnalysis } from './analyze.js';
import { compareTrials } from './analyze.js';
import {
  formatDifference,
  formatEstimate,
  formatMicros,
  valueText,
  verdictText,
} from './format.js';

export interface Finding {
  text: string;
  /** For comparisons: the verdict, so renderers can colour it. */
  verdict?: Difference['verdict'];
}

export interface Findings {
  /** The headline answers. */
  answers: Finding[];
  /** Comparisons (overheads, or against the fastest trial when there is no baseline). */
  comparisons: Finding[];
  /** Differences the data cannot tell from noise. */
  withinNoise: string[];
  /** What to distrust. */
  warnings: string[];
}

function lowest(trials: TrialAnalysis[], key: 'p50' | 'p99'): TrialAnalysis | undefined {
  let best: TrialAnalysis | undefined;
  for (const t of trials) {
    const v = t.figures[key]?.value;
    if (v !== undefined && (best === undefined || v < best.figures[key]!.value)) best = t;
  }
  return best;
}

function describe(d: Difference): string {
  return `${formatDifference(d)} (${verdictText(d)})`;
}

export function buildFindings(run: AnalyzedRun, thresholds: readonly ThresholdOutcome[]): Findings {
  const a: Analysis = run.analysis;
  const answers: Finding[] = [];
  const comparisons: Finding[] = [];
  const withinNoise: string[] = [];
  const warnings: string[] = [];
  const measured = a.trials.filter((t) => t.figures.p50 !== undefined);

  if (a.status !== 'complete') {
    warnings.push(`The run is ${a.status}: only the repetitions that finished are in this report.`);
  }
  if (measured.length === 0) {
    answers.push({ text: 'No trial produced a valid latency measurement.' });
  } else if (measured.length === 1) {
    const t = measured[0]!;
    answers.push({
      text: `${t.id}: p50 ${formatEstimate(t.figures.p50!, formatMicros)}, p99 ${formatEstimate(t.figures.p99!, formatMicros)}.`,
    });
  } else {
    for (const key of ['p50', 'p99'] as const) {
      const best = lowest(measured, key)!;
      answers.push({
        text: `Lowest ${key}: ${best.id}, ${formatEstimate(best.figures[key]!, formatMicros)}.`,
      });
    }
  }

  const level = a.level;
  if (a.overheads.some((o) => o.rows.length > 0)) {
    for (const table of a.overheads) {
      for (const row of table.rows) {
        const parts = (['p50', 'p90', 'p99'] as const).flatMap((p) => {
          const d = row.figures[p];
          if (d === undefined) return [];
          if (d.verdict === 'within-noise') withinNoise.push(`${row.trialId} ${p}`);
          return [`${p} ${describe(d)}`];
        });
        if (parts.length === 0) continue;
        const worst = (['p99', 'p50'] as const).map((p) => row.figures[p]).find((d) => d);
        comparisons.push({
          text: `${row.trialId} against ${row.baselineTrialId} (${table.dimension} baseline ${valueText(table.baselineValue)}${row.differsAlsoIn.length > 0 ? `; also differs in ${row.differsAlsoIn.join(', ')}` : ''}): ${parts.join('; ')}.`,
          ...(worst === undefined ? {} : { verdict: worst.verdict }),
        });
      }
      warnings.push(...table.notes);
    }
  } else if (measured.length > 1) {
    // No baseline: compare every trial with the one that had the lowest p50.
    const best = lowest(measured, 'p50')!;
    for (const t of measured) {
      if (t === best) continue;
      const diffs = compareTrials(
        run.spreads.get(best.id)!,
        run.spreads.get(t.id)!,
        ['p50', 'p99'],
        level,
      );
      const parts = (['p50', 'p99'] as const).flatMap((p) => {
        const d = diffs[p];
        if (d === undefined) return [];
        if (d.verdict === 'within-noise') withinNoise.push(`${t.id} ${p}`);
        return [`${p} ${describe(d)}`];
      });
      comparisons.push({
        text: `${t.id} against ${best.id}: ${parts.join('; ')}.`,
        ...(diffs.p99 === undefined ? {} : { verdict: diffs.p99.verdict }),
      });
    }
  }

  for (const t of a.trials) {
    const r = t.repetitions;
    if (r.ok === 0) {
      warnings.push(
        `${t.id}: no valid repetition (${r.invalid} invalid, ${r.failed} failed), so it has no figures${t.invalidReasons.length > 0 ? `: ${t.invalidReasons[0]!}` : ''}.`,
      );
      continue;
    }
    if (r.invalid > 0) {
      warnings.push(
        `${t.id}: ${r.invalid} of ${r.total} repetitions were invalid and are excluded (${t.invalidReasons[0] ?? 'see results.json'}).`,
      );
    }
    if (r.failed > 0) {
      warnings.push(
        `${t.id}: ${r.failed} of ${r.total} repetitions failed (${t.errors[0]?.message ?? 'see results.json'}).`,
      );
    }
    if (r.ok === 1) {
      warnings.push(
        `${t.id}: one valid repetition, so its intervals cover request sampling only and say nothing about run-to-run variation; comparisons with it get no verdict.`,
      );
    } else if (r.ok === 2) {
      warnings.push(
        `${t.id}: two valid repetitions; the intervals are honest but wide (Student's t with 1 degree of freedom is 12.7). Use 5 or more repetitions for tight ones.`,
      );
    }
  }

  const failed = thresholds.filter((t) => !t.passed);
  if (thresholds.length > 0) {
    answers.push({
      text:
        failed.length === 0
          ? `All ${thresholds.length} thresholds passed.`
          : `${failed.length} of ${thresholds.length} thresholds failed: ${failed
              .map(
                (t) =>
                  `${t.threshold}${
                    t.where === undefined
                      ? ''
                      : ` (where ${Object.entries(t.where)
                          .map(([k, v]) => `${k} ${valueText(v)}`)
                          .join(', ')})`
                  }`,
              )
              .join('; ')}.`,
    });
  }
  return { answers, comparisons, withinNoise, warnings };
}
