/**
 * `netbench export DIR`: a run's figures as OpenMetrics (or Prometheus text) on stdout or
 * `--out FILE`, and with `--push URL` to a Pushgateway, grouped by run id. Reads results.json
 * only, so any finished (or interrupted) run can be exported later.
 */
import { resolve } from 'node:path';
import { NetbenchError } from '../../core/errors.js';
import { parsePushUrl, pushMetrics } from '../../export/push.js';
import { exportFormats, renderMetrics, type ExportFormat } from '../../export/registry.js';
import { runMetricFamilies } from '../../export/run-metrics.js';
import { loadResults } from '../../results/results-store.js';
import { suggestionHint } from '../../spec/suggest.js';
import type { CliContext } from '../context.js';
import { writeLine } from '../output.js';
import { writeOutput } from '../write-output.js';

export interface ExportFlags {
  format?: string;
  out?: string;
  push?: string;
  job?: string;
}

function exportFormat(raw: string | undefined): ExportFormat {
  if (raw === undefined) return 'openmetrics';
  if ((exportFormats as readonly string[]).includes(raw)) return raw as ExportFormat;
  throw new NetbenchError(
    'NB_USAGE_BAD_FLAG',
    `--format ${JSON.stringify(raw)} is not an export format`,
    {
      hint: suggestionHint(raw, exportFormats),
    },
  );
}

export async function exportCommand(
  dir: string,
  flags: ExportFlags,
  ctx: CliContext,
): Promise<number> {
  const format = exportFormat(flags.format);
  const pushUrl = flags.push === undefined ? undefined : parsePushUrl(flags.push);
  const results = await loadResults(resolve(ctx.cwd, dir));
  const families = runMetricFamilies(results);
  if (pushUrl !== undefined) {
    await pushMetrics(families, {
      url: pushUrl,
      runId: results.runId,
      ...(flags.job === undefined ? {} : { job: flags.job }),
    });
    writeLine(
      ctx.stderr,
      `pushed ${families.length} metric families of run ${results.runId} to ${pushUrl}`,
    );
    // With --push alone nothing goes to stdout; with --out or --format the text is written too.
    if (flags.out === undefined && flags.format === undefined) return 0;
  }
  const text = await renderMetrics(families, format);
  await writeOutput(ctx, flags.out, text);
  return 0;
}
