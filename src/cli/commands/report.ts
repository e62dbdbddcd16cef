/**
 * `netbench report DIR`: re-render a run's report from its results.json alone (no lab, no
 * network) as HTML, Markdown, CSV or JSON, to stdout or `--out FILE`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { NetbenchError } from '../../core/errors.js';
import { renderCsv, renderJson } from '../../report/csv.js';
import { formatThresholdValue } from '../../analysis/format.js';
import { renderHtml } from '../../report/html.js';
import { renderMarkdown } from '../../report/markdown.js';
import { buildReportModel } from '../../report/report-model.js';
import type { AnalysisOptions } from '../../analysis/analyze.js';
import { loadResults } from '../../results/results-store.js';
import { suggestionHint } from '../../spec/suggest.js';
import type { ThresholdOutcome } from '../../analysis/thresholds.js';
import type { CliContext } from '../context.js';
import { writeLine } from '../output.js';

export const reportFormats = ['html', 'md', 'csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface ReportFlags {
  format?: string;
  out?: string;
  level?: string;
  iterations?: string;
}

const extensions: Record<string, ReportFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.md': 'md',
  '.markdown': 'md',
  '.csv': 'csv',
  '.json': 'json',
};

function formatOf(flags: ReportFlags): ReportFormat {
  if (flags.format !== undefined) {
    if ((reportFormats as readonly string[]).includes(flags.format)) {
      return flags.format as ReportFormat;
    }
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--format ${JSON.stringify(flags.format)} is not a report format`,
      { hint: suggestionHint(flags.format, reportFormats) },
    );
  }
  if (flags.out !== undefined && flags.out !== '-') {
    const ext = extname(flags.out).toLowerCase();
    const inferred = extensions[ext];
    if (inferred !== undefined) return inferred;
  }
  return 'html';
}

/** `--level 0.95` or `--level 95%` and `--iterations 2000`, shared with `compare`. */
export function analysisFlags(flags: { level?: string; iterations?: string }): AnalysisOptions {
  const options: AnalysisOptions = {};
  if (flags.level !== undefined) {
    const raw = flags.level.trim();
    const n = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (!(n >= 0.5 && n < 1)) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `--level ${JSON.stringify(flags.level)} is not a confidence level between 0.5 and 1`,
        { hint: 'e.g. --level 0.95 (or 95%), --level 0.99' },
      );
    }
    options.level = n;
  }
  if (flags.iterations !== undefined) {
    const n = Number(flags.iterations);
    if (!Number.isInteger(n) || n < 100 || n > 1_000_000) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `--iterations ${JSON.stringify(flags.iterations)} is not a whole number of resamples from 100 to 1000000`,
        { hint: 'e.g. --iterations 2000 (the default)' },
      );
    }
    options.iterations = n;
  }
  return options;
}

/** Renders one format; for Markdown with a file, also returns the chart files to write. */
export async function renderReport(
  results: Parameters<typeof buildReportModel>[0],
  format: ReportFormat,
  options: AnalysisOptions & { chartDirectory?: string },
): Promise<{ text: string; charts: { fileName: string; svg: string }[] }> {
  const model = buildReportModel(results, options);
  switch (format) {
    case 'html':
      return { text: await renderHtml(model), charts: [] };
    case 'md': {
      const md = await renderMarkdown(
        model,
        options.chartDirectory === undefined ? {} : { chartDirectory: options.chartDirectory },
      );
      return { text: md.markdown, charts: md.charts };
    }
    case 'csv':
      return { text: renderCsv(model), charts: [] };
    case 'json':
      return { text: renderJson(model), charts: [] };
  }
}

export async function reportCommand(
  dir: string,
  flags: ReportFlags,
  ctx: CliContext,
): Promise<number> {
  const format = formatOf(flags);
  const options = analysisFlags(flags);
  const results = await loadResults(resolve(ctx.cwd, dir));
  const toStdout = flags.out === undefined || flags.out === '-';
  const out = toStdout ? undefined : resolve(ctx.cwd, flags.out!);
  const chartDirectory =
    out !== undefined && format === 'md' ? `${basename(out, extname(out))}-charts` : undefined;
  const rendered = await renderReport(results, format, {
    ...options,
    ...(chartDirectory === undefined ? {} : { chartDirectory }),
  });
  if (out === undefined) {
    ctx.stdout.write(rendered.text);
    if (format === 'html' && ctx.stdout.isTTY === true) {
      writeLine(ctx.stderr, 'tip: write the HTML report to a file with --out report.html');
    }
    return 0;
  }
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, rendered.text);
    if (chartDirectory !== undefined && rendered.charts.length > 0) {
      const chartsPath = join(dirname(out), chartDirectory);
      await mkdir(chartsPath, { recursive: true });
      for (const c of rendered.charts) await writeFile(join(chartsPath, c.fileName), c.svg);
    }
  } catch (error) {
    throw new NetbenchError(
      'NB_FILE_UNWRITABLE',
      `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { hint: 'check that the directory exists and is writable', cause: error },
    );
  }
  writeLine(
    ctx.stderr,
    `wrote ${out}${rendered.charts.length > 0 ? ` and ${rendered.charts.length} charts in ${chartDirectory!}/` : ''}`,
  );
  return 0;
}

/** The report `run` writes beside results.json. */
export const runReportFileName = 'report.html';

export interface RunReport {
  /** Where report.html was written; undefined when rendering failed (the run is still saved). */
  path: string | undefined;
  thresholds: ThresholdOutcome[];
}

/**
 * Called by `netbench run` once results.json is final: evaluates the scenario's thresholds and
 * writes report.html. A rendering failure is reported on stderr and never loses the run.
 */
export async function writeRunReport(
  outDir: string,
  results: Parameters<typeof buildReportModel>[0],
  stderr: CliContext['stderr'],
): Promise<RunReport> {
  const path = join(outDir, runReportFileName);
  const hint = `the results are saved; retry with \`netbench report ${outDir} --out ${path}\``;
  let model: ReturnType<typeof buildReportModel>;
  try {
    model = buildReportModel(results);
  } catch (error) {
    // Thresholds that cannot be evaluated fail: a bug here must not pass a run silently.
    const message = (error as Error).message;
    writeLine(stderr, `warning: could not analyse the results: ${message}\n  hint: ${hint}`);
    const recorded = (results.scenario.thresholds ?? []) as (string | { check: string })[];
    return {
      path: undefined,
      thresholds: recorded.map((t) => ({
        threshold: typeof t === 'string' ? t : t.check,
        unit: 'percent',
        where: undefined,
        passed: false,
        checks: [],
        reason: `not evaluated: ${message}`,
      })),
    };
  }
  try {
    await writeFile(path, await renderHtml(model));
    return { path, thresholds: model.thresholds };
  } catch (error) {
    writeLine(
      stderr,
      `warning: could not write ${path}: ${(error as Error).message}\n  hint: ${hint}`,
    );
    return { path: undefined, thresholds: model.thresholds };
  }
}

/** Threshold outcomes as lines for a person. */
export function thresholdSummary(outcomes: readonly ThresholdOutcome[]): string[] {
  return outcomes.map((o) => {
    const failing = o.checks.filter((k) => !k.passed);
    const detail = o.passed
      ? `${o.checks.length} trial${o.checks.length === 1 ? '' : 's'}`
      : failing.length > 0
        ? failing
            .map(
              (k) =>
                `${k.trialId}${k.againstId === undefined ? '' : ` vs ${k.againstId}`} ${formatThresholdValue(o.unit, k.observed, k.againstId !== undefined)}`,
            )
            .join(', ')
        : (o.reason ?? '');
    const where = o.where === undefined ? '' : ` where ${JSON.stringify(o.where)}`;
    return `${o.passed ? 'pass' : 'FAIL'}  ${o.threshold}${where}: ${detail}`;
  });
}
