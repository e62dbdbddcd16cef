/**
 * What a person sees during and after `netbench run`, on stderr: a live status line on a terminal
 * (plain lines otherwise), and a summary table at the end.
 */
import { formatMicros, formatRate } from '../core/units.js';
import type { RepetitionEvent, RunObserver } from '../matrix/run-scenario.js';
import type { Results } from '../results/schema.js';
import { decodeHistogram, mergeHistograms, summarize } from '../stats/histogram.js';
import type { CliStream } from './context.js';
import { formatTable } from './output.js';

function label(e: RepetitionEvent): string {
  return `[${e.position + 1}/${e.total}] ${e.trial.id} rep ${e.repetition + 1}`;
}

export function createRunDisplay(
  stream: CliStream,
  quiet: boolean,
): RunObserver & { clear(): void } {
  const live = stream.isTTY === true && !quiet;
  let lineShown = false;
  const clear = (): void => {
    if (lineShown) stream.write('\r\u001b[2K');
    lineShown = false;
  };
  const say = (text: string): void => {
    if (quiet) return;
    clear();
    stream.write(`${text}\n`);
  };
  return {
    clear,
    onDeploy: (trial) => {
      if (live) {
        clear();
        stream.write(
          `deploying ${trial.topology.datapath} lab (${trial.topology.nodes.length} node${trial.topology.nodes.length > 1 ? 's' : ''})…`,
        );
        lineShown = true;
      }
    },
    onRepetitionStart: (e) => {
      if (!live) say(`${label(e)}: running`);
    },
    onProgress: (e, p) => {
      if (!live) return;
      clear();
      // A pty without a size reports 0 columns.
      const width = (stream.columns ?? 0) > 20 ? (stream.columns ?? 100) : 100;
      const text = `${label(e)}  ${p.phase} ${p.elapsedS.toFixed(0)}s  ${formatRate(p.rps)}  p99 ${formatMicros(p.p99Us)}`;
      stream.write(text.slice(0, width - 1));
      lineShown = true;
    },
    onRepetitionEnd: (e, r) => {
      const figures =
        r.status === 'failed'
          ? `failed: ${r.error?.message ?? ''}`
          : `${formatRate(r.achievedRps ?? 0)} of ${r.requestedRps === null || r.requestedRps === undefined ? 'max' : formatRate(r.requestedRps)}, p50 ${formatMicros(r.latencyUs?.p50 ?? 0)} p99 ${formatMicros(r.latencyUs?.p99 ?? 0)}${r.status === 'invalid' ? ` INVALID: ${r.invalidReasons.join('; ')}` : ''}`;
      say(`${label(e)}: ${figures}`);
    },
  };
}

/**
 * Per-trial summary: latency from the histograms of all valid repetitions merged. When no
 * repetition of a trial is valid, the invalid ones are shown instead, marked with "!".
 */
export function summaryTable(results: Results): string {
  let anyFallback = false;
  const rows = results.trials.map((t) => {
    const valid = t.repetitions.filter((r) => r.status === 'ok');
    const invalid = t.repetitions.filter((r) => r.status === 'invalid');
    const fallback = valid.length === 0 && invalid.length > 0;
    anyFallback ||= fallback;
    const shown = fallback ? invalid : valid;
    const hists = shown.flatMap((r) =>
      r.histograms?.latencyUs === undefined ? [] : [decodeHistogram(r.histograms.latencyUs)],
    );
    const s = summarize(mergeHistograms(hists));
    const achieved =
      shown.reduce((a, r) => a + (r.achievedRps ?? 0), 0) / Math.max(1, shown.length);
    const requested = t.repetitions.find((r) => r.requestedRps !== undefined)?.requestedRps;
    const mark = fallback ? '!' : '';
    const figure = (v: number): string => (shown.length > 0 ? `${formatMicros(v)}${mark}` : '-');
    return [
      t.id,
      `${valid.length}/${t.repetitions.length}`,
      requested === null ? 'max' : requested === undefined ? '-' : formatRate(requested),
      shown.length > 0 ? `${formatRate(achieved)}${mark}` : '-',
      figure(s.p50),
      figure(s.p90),
      figure(s.p99),
      String(shown.reduce((a, r) => a + (r.errors ?? 0) + (r.timeouts ?? 0), 0)),
    ];
  });
  const table = formatTable(
    ['trial', 'valid reps', 'requested', 'achieved', 'p50', 'p90', 'p99', 'errors'],
    rows,
  );
  return anyFallback
    ? `${table}
! no valid repetition: figures from invalid ones (see invalidReasons in results.json)`
    : table;
}
