/**
 * `netbench compare A B`: the change of every figure from run A to run B, trial by trial, with
 * confidence intervals and verdicts; exit code 5 (thresholds failed) when a `--threshold` is
 * crossed. Reads the two results.json files only.
 */
import { resolve } from 'node:path';
import { NetbenchError } from '../../core/errors.js';
import { compareRuns, evaluateChangeThresholds, type Comparison } from '../../analysis/compare.js';
import {
  formatBitRate,
  formatBytes,
  formatDifference,
  formatMicros,
  formatPercent,
  formatRate,
  formatThresholdValue,
  verdictText,
} from '../../analysis/format.js';
import { loadResults } from '../../results/results-store.js';
import type { ThresholdOutcome } from '../../analysis/thresholds.js';
import { parseThreshold, type Threshold } from '../../spec/threshold.js';
import type { CliContext } from '../context.js';
import { formatTable, writeJson, writeLine } from '../output.js';
import { analysisFlags } from './report.js';

export interface CompareFlags {
  threshold?: string[];
  significantOnly?: boolean;
  level?: string;
  iterations?: string;
  json?: boolean;
}

const figureFormat: Record<string, (v: number) => string> = {
  p50: formatMicros,
  p90: formatMicros,
  p99: formatMicros,
  p999: formatMicros,
  mean: formatMicros,
  rps: formatRate,
  throughput: formatBitRate,
  loss: formatPercent,
  cpu: formatPercent,
  memory: formatBytes,
};

function parseThresholds(sources: readonly string[]): Threshold[] {
  const problems = sources.flatMap((source, i) => {
    const parsed = parseThreshold(source, 'compare');
    return parsed.ok
      ? []
      : [{ path: `--threshold #${i + 1}`, message: parsed.message, hint: parsed.hint }];
  });
  if (problems.length > 0) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `${problems.length} --threshold value${problems.length === 1 ? ' is' : 's are'} not valid`,
      { problems },
    );
  }
  return sources.map((s) => {
    const parsed = parseThreshold(s, 'compare');
    if (!parsed.ok) throw new Error('unreachable');
    return parsed.value;
  });
}

function comparisonTable(c: Comparison): string {
  const rows: string[][] = [];
  for (const row of c.rows) {
    for (const [figure, f] of Object.entries(row.figures)) {
      const fmt = figureFormat[figure] ?? String;
      rows.push([
        row.trialId,
        figure,
        fmt(f.a.value),
        fmt(f.b.value),
        formatDifference(f.change),
        verdictText(f.change),
        f.change.pValue === undefined ? '' : f.change.pValue.toPrecision(2),
      ]);
    }
  }
  return formatTable(['trial', 'figure', 'A', 'B', 'change [CI]', 'verdict', 'p'], rows);
}

function thresholdLines(outcomes: readonly ThresholdOutcome[]): string[] {
  return outcomes.map((o) => {
    const detail =
      o.checks.length === 0
        ? (o.reason ?? '')
        : o.checks
            .filter((k) => !k.passed || o.passed)
            .map(
              (k) =>
                `${k.trialId} ${formatThresholdValue('percent', k.observed, true)}${k.low === undefined || k.high === undefined ? '' : ` [${formatThresholdValue('percent', k.low, true)}, ${formatThresholdValue('percent', k.high, true)}]`} ${k.verdict === 'within-noise' ? 'within noise' : k.verdict === 'unknown' ? 'no verdict' : (k.verdict ?? '')}`,
            )
            .join('; ');
    return `${o.passed ? 'pass' : 'FAIL'}  ${o.threshold}: ${detail}`;
  });
}

export async function compareCommand(
  a: string,
  b: string,
  flags: CompareFlags,
  ctx: CliContext,
): Promise<number> {
  const thresholds = parseThresholds(flags.threshold ?? []);
  const options = analysisFlags(flags);
  const [resultsA, resultsB] = await Promise.all([
    loadResults(resolve(ctx.cwd, a)),
    loadResults(resolve(ctx.cwd, b)),
  ]);
  const comparison = compareRuns(resultsA, resultsB, { a, b }, options);
  const outcomes = evaluateChangeThresholds(comparison, thresholds, flags.significantOnly === true);
  const failed = outcomes.filter((o) => !o.passed);

  if (flags.json === true) {
    writeJson(ctx.stdout, { ...comparison, thresholds: outcomes });
  } else {
    writeLine(
      ctx.stdout,
      `A: ${comparison.a.name} run ${comparison.a.runId} (${comparison.a.startedAt})\nB: ${comparison.b.name} run ${comparison.b.runId} (${comparison.b.startedAt})\nchange = B relative to A, ${Math.round(comparison.level * 100)} % confidence intervals`,
    );
    if (comparison.environmentChanges.length > 0) {
      writeLine(ctx.stdout, `environment changed: ${comparison.environmentChanges.join('; ')}`);
    }
    writeLine(ctx.stdout);
    if (comparison.rows.some((r) => Object.keys(r.figures).length > 0)) {
      writeLine(ctx.stdout, comparisonTable(comparison));
    } else if (comparison.rows.length === 0) {
      writeLine(ctx.stdout, 'no trial matched');
    }
    for (const row of comparison.rows) {
      if (Object.keys(row.figures).length > 0) continue;
      const v = row.valid;
      const why =
        v.aTotal === 0 || v.bTotal === 0
          ? 'no repetition of it finished in one of the runs'
          : 'invalid repetitions are excluded; see their invalidReasons in results.json';
      writeLine(
        ctx.stdout,
        `${row.trialId}: nothing to compare (valid repetitions: ${v.a}/${v.aTotal} in A, ${v.b}/${v.bTotal} in B; ${why})`,
      );
    }
    if (comparison.onlyInA.length > 0) {
      writeLine(ctx.stdout, `only in A: ${comparison.onlyInA.join(', ')}`);
    }
    if (comparison.onlyInB.length > 0) {
      writeLine(ctx.stdout, `only in B: ${comparison.onlyInB.join(', ')}`);
    }
    if (outcomes.length > 0) {
      writeLine(ctx.stdout);
      for (const line of thresholdLines(outcomes)) writeLine(ctx.stdout, line);
    }
  }
  if (comparison.rows.length === 0) {
    throw new NetbenchError('NB_RESULTS_INVALID', 'the two runs have no trial in common', {
      hint: 'compare runs of the same scenario (trials are matched by their dimensions)',
    });
  }
  if (failed.length > 0) {
    throw new NetbenchError(
      'NB_THRESHOLDS_FAILED',
      `${failed.length} of ${outcomes.length} thresholds failed: ${failed.map((o) => o.threshold).join('; ')}`,
      {
        hint: failed.some((o) => o.checks.length === 0)
          ? 'a threshold with nothing to check fails: both runs need valid repetitions of the trials it applies to'
          : flags.significantOnly === true
            ? 'the crossings are significant: B differs from A beyond run-to-run noise'
            : 'add --significant-only to fail only on changes beyond run-to-run noise',
      },
    );
  }
  return 0;
}
