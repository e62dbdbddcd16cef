/**
 * What a person sees during and after `netbench run`, on stderr: a live status line on a terminal
 * (plain lines otherwise), and a summary table at the end.
 */
import { formatBitRate, formatMicros, formatPercent, formatRate } from '../core/units.js';
import type { RepetitionEvent, RunObserver } from '../matrix/run-scenario.js';
import type { RepetitionRecord, Results } from '../results/schema.js';
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
 * Per-trial summary: latency from the histograms of all valid repetitions merged, throughput and
 * UDP loss for stream workloads. When no repetition of a trial is valid, the invalid ones are
 * shown instead, marked with "!".
 */
export function summaryTable(results: Results): string {
  let anyFallback = false;
  const hasLoss = results.trials.some((t) => t.repetitions.some((r) => r.udp !== undefined));
  const rows = results.trials.map((t) => {
    const valid = t.repetitions.filter((r) => r.status === 'ok');
    const invalid = t.repetitions.filter((r) => r.status === 'invalid');
    const fallback = valid.length === 0 && invalid.length > 0;
    anyFallback ||= fallback;
    const shown = fallback ? invalid : valid;
    const mark = fallback ? '!' : '';
    const mean = (f: (r: RepetitionRecord) => number | undefined): number | undefined => {
      const values = shown.map(f).filter((v): v is number => v !== undefined);
      return values.length === 0 ? undefined : values.reduce((a, v) => a + v, 0) / values.length;
    };
    const show = (v: number | undefined, format: (v: number) => string): string =>
      v === undefined ? '-' : `${format(v)}${mark}`;
    const hists = shown.flatMap((r) =>
      r.histograms?.latencyUs === undefined ? [] : [decodeHistogram(r.histograms.latencyUs)],
    );
    const latency = hists.length > 0 ? summarize(mergeHistograms(hists)) : undefined;
    const stream = shown.some((r) => r.throughput !== undefined);
    const first = t.repetitions.find((r) => r.status !== 'failed');
    const offered = stream
      ? (first?.throughput?.targetBitsPerSecond ?? first?.load?.offered)
      : (first?.requestedRps ?? undefined);
    const udp = shown.filter((r) => r.udp !== undefined);
    const sent = udp.reduce((a, r) => a + (r.udp?.sentPackets ?? 0), 0);
    const lost = udp.reduce((a, r) => a + (r.udp?.lostPackets ?? 0), 0);
    const rcvbuf = udp.reduce((a, r) => a + (r.udp?.rcvbufErrors ?? 0), 0);
    const loss =
      udp.length === 0
        ? '-'
        : `${formatPercent((100 * lost) / Math.max(1, sent))}${mark}${rcvbuf > 0 ? ` (${rcvbuf} rcvbuf)` : ''}`;
    return [
      t.id,
      `${valid.length}/${t.repetitions.length}`,
      offered === undefined || offered === null
        ? first === undefined
          ? '-'
          : 'max'
        : stream
          ? formatBitRate(offered)
          : formatRate(offered),
      stream
        ? show(
            mean((r) => r.throughput?.bitsPerSecond),
            formatBitRate,
          )
        : show(
            mean((r) => r.achievedRps),
            formatRate,
          ),
      show(latency?.p50, formatMicros),
      show(latency?.p90, formatMicros),
      show(latency?.p99, formatMicros),
      ...(hasLoss ? [loss] : []),
      String(shown.reduce((a, r) => a + (r.errors ?? 0) + (r.timeouts ?? 0), 0)),
    ];
  });
  const table = formatTable(
    [
      'trial',
      'valid reps',
      'offered',
      'achieved',
      'p50',
      'p90',
      'p99',
      ...(hasLoss ? ['loss'] : []),
      'errors',
    ],
    rows,
  );
  return anyFallback
    ? `${table}\n! no valid repetition: figures from invalid ones (see invalidReasons in results.json)`
    : table;
}
