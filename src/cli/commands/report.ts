/**
 * `netbench report DIR`: re-render a run's report from its results.json alone (no lab, no
 * network) as HTML, Markdown, CSV or JSON, to stdout or `--out FILE`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { NetbenchError } from '../../core/errors.js';
import { renderCsv, renderJson } from '../../report/csv.js';
import { formatThresholdValue } from '../../analysis/format.js';
import { renderHtml, type ReportSection } from '../../report/html.js';
import { renderMarkdown } from '../../report/markdown.js';
import { buildReportModel } from '../../report/report-model.js';
import type { AnalysisOptions } from '../../analysis/analyze.js';
import { loadCheckedResults } from '../load-results.js';
import type { ThresholdOutcome } from '../../analysis/thresholds.js';
import type { CliContext } from '../context.js';
import type { commandFlags, FlagValues, ReportFormat } from '../flags.js';
import { writeLine } from '../output.js';
import { recommendationSections } from './recommendation-section.js';

/** `report`'s flags, typed from the flag table. */
export type ReportFlags = FlagValues<typeof commandFlags.report>;

const extensions: Record<string, ReportFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.md': 'md',
  '.markdown': 'md',
  '.csv': 'csv',
  '.json': 'json',
};

function formatOf(flags: ReportFlags): ReportFormat {
  if (flags.format !== undefined) return flags.format;
  if (flags.out !== undefined && flags.out !== '-') {
    const ext = extname(flags.out).toLowerCase();
    const inferred = extensions[ext];
    if (inferred !== undefined) return inferred;
  }
  return 'html';
}

/** `--level` and `--iterations` (parsed by the flag table), shared with `compare`. */
export function analysisFlags(flags: { level: number; iterations: number }): AnalysisOptions {
  return { level: flags.level, iterations: flags.iterations };
}

/** Renders one format; for Markdown with a file, also returns the chart files to write. */
export async function renderReport(
  results: Parameters<typeof buildReportModel>[0],
  format: ReportFormat,
  options: AnalysisOptions & { chartDirectory?: string; extraSections?: readonly ReportSection[] },
): Promise<{ text: string; charts: { fileName: string; svg: string }[] }> {
  const model = buildReportModel(results, options);
  switch (format) {
    case 'html':
      return { text: await renderHtml(model, options.extraSections), charts: [] };
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
  const results = await loadCheckedResults(resolve(ctx.cwd, dir));
  const toStdout = flags.out === undefined || flags.out === '-';
  const out = toStdout ? undefined : resolve(ctx.cwd, flags.out!);
  const chartDirectory =
    out !== undefined && format === 'md' ? `${basename(out, extname(out))}-charts` : undefined;
  const extraSections = await recommendationSections(flags.requirements, ctx.cwd, results);
  const rendered = await renderReport(results, format, {
    ...options,
    ...(chartDirectory === undefined ? {} : { chartDirectory }),
    extraSections,
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
  extraSections: readonly ReportSection[] = [],
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
    await writeFile(path, await renderHtml(model, extraSections));
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
