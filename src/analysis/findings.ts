/**
 * The answer, up front: which configuration was fastest, the overheads with their verdicts, what
 * is within noise, and what to distrust (invalid repetitions, too few repetitions). Plain
 * sentences built from the analysis, shared by the HTML and Markdown reports. Pure.
 */
import type { Difference } from '../stats/estimate.js';
import type { ThresholdOutcome } from './thresholds.js';
import type { Analysis, AnalyzedRun, TrialAnalysis } from './analyze.js';
import { compareTrials } from './analyze.js';
import { floorOfTrial } from './floors.js';
import { headlineFigure } from './headline.js';
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
  const design =
    d.design === 'paired'
      ? `, paired over ${d.pairs ?? 0} rounds`
      : d.design === 'unpaired'
        ? ', unpaired'
        : '';
  return `${formatDifference(d)} (${verdictText(d)}${design})`;
}

/** The answer of a comparison: its verdict on the headline figure (the p50). */
const verdictFigure = headlineFigure;

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

  answers.push(...floorAnswers(a));
  const adaptive = adaptiveAnswer(a);
  if (adaptive !== undefined) answers.push(adaptive);

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
        const headline = row.figures[verdictFigure];
        comparisons.push({
          text: `${row.trialId} against ${row.baselineTrialId} (${table.dimension} baseline ${valueText(table.baselineValue)}${row.differsAlsoIn.length > 0 ? `; also differs in ${row.differsAlsoIn.join(', ')}` : ''}): ${parts.join('; ')}.`,
          ...(headline === undefined ? {} : { verdict: headline.verdict }),
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
      const headline = diffs[verdictFigure];
      comparisons.push({
        text: `${t.id} against ${best.id}: ${parts.join('; ')}.`,
        ...(headline === undefined ? {} : { verdict: headline.verdict }),
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

/**
 * Each trial's p50 next to the instrument's floor (the same engine over loopback in the client's
 * pod) and what lies above it: how much of the latency is the path between the pods.
 */
function floorAnswers(a: Analysis): Finding[] {
  return a.trials.flatMap((t) => {
    const floor = floorOfTrial(a.floors, t.id);
    const p50 = t.figures.p50;
    if (floor?.p50 === undefined || p50 === undefined) return [];
    const above = p50.value - floor.p50.value;
    return [
      {
        text: `${t.id}: p50 ${formatEstimate(p50, formatMicros)}; the instrument's floor (the same engine over loopback in the client pod) ${formatEstimate(floor.p50, formatMicros)}, so the path between the pods adds about ${formatMicros(Math.max(0, above))} (${Math.round((100 * Math.max(0, above)) / p50.value)} % of the p50).`,
      },
    ];
  });
}

/** How `repetitions: auto` ended: rounds run and why it stopped. */
function adaptiveAnswer(a: Analysis): Finding | undefined {
  const ad = a.adaptive;
  if (ad === undefined) return undefined;
  const why =
    ad.reason === 'precision-met'
      ? 'the precision asked for was reached'
      : ad.reason === 'budget-spent'
        ? 'the time budget was spent before the precision was reached'
        : ad.reason === 'interrupted'
          ? 'the run was interrupted'
          : 'the most rounds allowed were run';
  return {
    text: `Repetitions auto (±${+(ad.precision * 100).toFixed(1)} % within ${Math.round(ad.budgetS)} s): ${ad.rounds} rounds, stopped because ${why}: ${ad.detail}.`,
  };
}
