/**
 * The report's tables as data (header + rows of cells), shaped like the tables the field quotes:
 * latency p50/p90/p99 per configuration, throughput same-node vs cross-node, loss at each load,
 * overhead relative to a baseline, CPU/memory per pod, run-to-run variability. HTML, Markdown and
 * the terminal render the same tables. Pure.
 */
import type { Difference, Estimate } from '../stats/estimate.js';
import type { ThresholdOutcome } from '../analysis/thresholds.js';
import type { DimensionName } from '../spec/dimensions.js';
import { figureTable } from '../spec/figures.js';
import type { Analysis, TrialAnalysis } from '../analysis/analyze.js';
import {
  dimensionLabel,
  formatBitRate,
  formatBytes,
  formatDifference,
  formatMicros,
  formatPercent,
  formatThresholdValue,
  valueText,
  verdictText,
} from '../analysis/format.js';

export interface Cell {
  text: string;
  /** Secondary text shown smaller under the main text in HTML (the interval, the verdict). */
  detail?: string;
  /** A style hint: significant / within-noise / unknown verdicts, pass/fail. */
  tone?: 'significant' | 'within-noise' | 'unknown' | 'pass' | 'fail' | 'muted';
}

export interface Table {
  id: string;
  title: string;
  caption: string;
  header: string[];
  rows: Cell[][];
}

const c = (text: string, tone?: Cell['tone']): Cell =>
  tone === undefined ? { text } : { text, tone };

function est(e: Estimate | undefined, format: (v: number) => string): Cell {
  if (e === undefined) return c('–', 'muted');
  if (e.low === undefined || e.high === undefined) return c(format(e.value));
  // A no-break space keeps an interval on one line when a narrow column wraps.
  return { text: format(e.value), detail: `[${format(e.low)},\u00a0${format(e.high)}]` };
}

function diff(d: Difference | undefined): Cell {
  if (d === undefined) return c('–', 'muted');
  const [value, interval] = formatDifference(d).split(' [');
  return {
    text: value!,
    detail: `${interval === undefined ? '' : `[${interval.replace(', ', ',\u00a0')} `}${verdictText(d)}`,
    tone: d.verdict,
  };
}

function latencyTable(a: Analysis): Table | undefined {
  const trials = a.trials;
  if (!trials.some((t) => t.figures.p50 !== undefined)) return undefined;
  return {
    id: 'latency',
    title: 'Latency by trial',
    caption: `Percentiles of the merged histogram of the valid repetitions, with ${Math.round(a.level * 100)} % confidence intervals in brackets. Latency is measured from each request's scheduled send time (open loop), so queueing in the path is included.`,
    header: ['trial', 'valid reps', 'requests', 'p50', 'p90', 'p99', 'p99.9', 'mean'],
    rows: trials.map((t) => [
      c(t.id),
      c(
        `${t.repetitions.ok}/${t.repetitions.total}`,
        t.repetitions.ok < t.repetitions.total ? 'fail' : undefined,
      ),
      c(t.requests === undefined ? '–' : String(t.requests)),
      est(t.figures.p50, formatMicros),
      est(t.figures.p90, formatMicros),
      est(t.figures.p99, formatMicros),
      est(t.figures.p999, formatMicros),
      est(t.figures.mean, formatMicros),
    ]),
  };
}

function overheadTables(a: Analysis): Table[] {
  return a.overheads
    .filter((o) => o.rows.length > 0)
    .map((o) => {
      const figures = (['p50', 'p90', 'p99', 'throughput', 'cpu', 'memory'] as const).filter((f) =>
        o.rows.some((r) => r.figures[f] !== undefined),
      );
      return {
        id: `overhead-${o.dimension}`,
        title: `Overhead relative to ${o.dimension} ${valueText(o.baselineValue)}`,
        caption: `Change of each figure against the baseline trial, with its ${Math.round(a.level * 100)} % confidence interval and verdict (significant: the interval excludes 0). "P(slower)" is the chance that a request of the trial took longer than one of the baseline (0.5 = no tendency).`,
        header: ['trial', 'baseline', ...figures.map((f) => figureTable[f].label), 'P(slower)'],
        rows: o.rows.map((r) => [
          c(r.trialId),
          c(
            `${r.baselineTrialId}${r.differsAlsoIn.length > 0 ? ` (also differs in ${r.differsAlsoIn.join(', ')})` : ''}`,
          ),
          ...figures.map((f) => diff(r.figures[f])),
          c(r.probabilitySlower === undefined ? '–' : r.probabilitySlower.toFixed(2)),
        ]),
      };
    });
}

/** Pivots trials into rows (other varying dimensions) × columns (one dimension's values). */
function pivot(
  a: Analysis,
  trials: TrialAnalysis[],
  column: DimensionName,
): {
  rowLabels: string[];
  columnValues: string[];
  at(row: string, col: string): TrialAnalysis | undefined;
} {
  const others = a.varying.filter((v) => v !== column);
  const label = (t: TrialAnalysis): string =>
    others.length > 0 ? dimensionLabel(t.dimensions, others) : a.name;
  const rowLabels = [...new Set(trials.map(label))];
  const columnValues = [...new Set(trials.map((t) => valueText(t.dimensions[column])))];
  return {
    rowLabels,
    columnValues,
    at: (row, col) =>
      trials.find((t) => label(t) === row && valueText(t.dimensions[column]) === col),
  };
}

function throughputTable(a: Analysis): Table | undefined {
  const trials = a.trials.filter((t) => t.figures.throughput !== undefined);
  if (trials.length === 0) return undefined;
  const caption =
    'Mean received throughput over the valid repetitions, with confidence intervals (TCP/UDP streams).';
  if (a.varying.includes('placement')) {
    const p = pivot(a, trials, 'placement');
    return {
      id: 'throughput',
      title: 'Throughput, same-node vs cross-node',
      caption,
      header: ['configuration', ...p.columnValues],
      rows: p.rowLabels.map((row) => [
        c(row),
        ...p.columnValues.map((col) => est(p.at(row, col)?.figures.throughput, formatBitRate)),
      ]),
    };
  }
  return {
    id: 'throughput',
    title: 'Throughput',
    caption,
    header: ['trial', 'throughput', 'protocol', 'streams', 'retransmits'],
    rows: trials.map((t) => [
      c(t.id),
      est(t.figures.throughput, formatBitRate),
      c(t.throughput?.protocol ?? '–'),
      c(String(t.throughput?.streams ?? '–')),
      c(t.throughput?.retransmits === undefined ? '–' : t.throughput.retransmits.toFixed(0)),
    ]),
  };
}

function lossTable(a: Analysis): Table | undefined {
  const trials = a.trials.filter((t) => t.figures.loss !== undefined);
  if (trials.length === 0) return undefined;
  const caption =
    'Share of what was sent that never arrived, mean over valid repetitions: UDP datagrams at a controlled rate (receive-buffer drops, RcvbufErrors, are counted apart), or HTTP requests that failed or timed out.';
  const pct = (v: number): string => formatPercent(Math.max(0, v));
  if (a.varying.includes('rate')) {
    const p = pivot(a, trials, 'rate');
    return {
      id: 'loss',
      title: 'Loss at each load',
      caption,
      header: ['configuration', ...p.columnValues.map((v) => `rate ${v}`)],
      rows: p.rowLabels.map((row) => [
        c(row),
        ...p.columnValues.map((col) => est(p.at(row, col)?.figures.loss, pct)),
      ]),
    };
  }
  const anyUdp = trials.some((t) => t.udp !== undefined);
  return {
    id: 'loss',
    title: 'Loss',
    caption,
    header: ['trial', 'loss', 'what', ...(anyUdp ? ['jitter', 'RcvbufErrors'] : [])],
    rows: trials.map((t) => [
      c(t.id),
      est(t.figures.loss, pct),
      c(t.lossSource === 'udp' ? 'UDP datagrams' : 'HTTP requests'),
      ...(anyUdp
        ? [
            t.udp === undefined ? c('–', 'muted') : est(t.udp.jitterUs, formatMicros),
            c(t.udp === undefined ? '–' : String(t.udp.rcvbufErrors)),
          ]
        : []),
    ]),
  };
}

function resourcesTable(a: Analysis): Table | undefined {
  const rows = a.trials.flatMap((t) =>
    t.resources.map((r) => [
      c(t.id),
      c(`${r.name}${r.node === undefined || r.scope === 'node' ? '' : ` @${r.node}`}`),
      c(r.role),
      est(r.cpuPercent, formatPercent),
      est(r.rssBytes, formatBytes),
      c(formatBytes(r.peakRssBytes)),
    ]),
  );
  if (rows.length === 0) return undefined;
  return {
    id: 'resources',
    title: 'CPU and memory per pod',
    caption:
      'Mean over valid repetitions: CPU in % of one core over the measured window (user + system), resident memory at its end, and the highest resident memory seen.',
    header: ['trial', 'pod / daemon', 'role', 'CPU', 'memory', 'peak memory'],
    rows,
  };
}

function variabilityTable(a: Analysis): Table | undefined {
  const trials = a.trials.filter((t) => Object.keys(t.variability).length > 0);
  if (trials.length === 0) return undefined;
  const cv = (t: TrialAnalysis, k: keyof TrialAnalysis['variability']): Cell => {
    const s = t.variability[k];
    return s?.cv === undefined ? c('–', 'muted') : c(`±${(s.cv * 100).toFixed(1)}%`);
  };
  const cols = (['p50', 'p99', 'mean', 'rps', 'throughput'] as const).filter((k) =>
    trials.some((t) => t.variability[k] !== undefined),
  );
  return {
    id: 'variability',
    title: 'Run-to-run variability',
    caption:
      'Coefficient of variation (standard deviation / mean) of each figure across the valid repetitions of a trial: how much one run differs from the next.',
    header: ['trial', 'valid reps', ...cols.map((k) => (k === 'rps' ? 'achieved rate' : k))],
    rows: trials.map((t) => [c(t.id), c(String(t.repetitions.ok)), ...cols.map((k) => cv(t, k))]),
  };
}

function thresholdTable(outcomes: readonly ThresholdOutcome[], a: Analysis): Table | undefined {
  if (outcomes.length === 0) return undefined;
  const fmt = (o: ThresholdOutcome, v: number): string =>
    formatThresholdValue(o.unit, v, /^\s*(overhead|change)\./i.test(o.threshold));
  return {
    id: 'thresholds',
    title: 'Thresholds',
    caption: `Each threshold is checked on every trial it applies to; the point estimate decides (as in k6), the ${Math.round(a.level * 100)} % interval is shown beside it. A threshold with nothing to check fails.`,
    header: ['threshold', 'result', 'checks'],
    rows: outcomes.map((o) => [
      c(`${o.threshold}${o.where === undefined ? '' : ` where ${JSON.stringify(o.where)}`}`),
      c(o.passed ? 'pass' : 'FAIL', o.passed ? 'pass' : 'fail'),
      c(
        o.checks.length === 0
          ? (o.reason ?? '')
          : o.checks
              .map(
                (k) =>
                  `${k.passed ? '✓' : '✗'} ${k.trialId}${k.againstId === undefined ? '' : ` vs ${k.againstId}`}: ${fmt(o, k.observed)}${k.low === undefined || k.high === undefined ? '' : ` [${fmt(o, k.low)}, ${fmt(o, k.high)}]`}${k.verdict === undefined ? '' : ` ${k.verdict === 'within-noise' ? 'within noise' : k.verdict === 'unknown' ? 'no verdict' : k.verdict}`}`,
              )
              .join('; '),
      ),
    ]),
  };
}

/** Every table the analysis has data for, in report order. */
export function buildTables(
  a: Analysis,
  thresholds: readonly ThresholdOutcome[],
  mesh?: Table,
): Table[] {
  return [
    thresholdTable(thresholds, a),
    latencyTable(a),
    ...overheadTables(a),
    mesh,
    throughputTable(a),
    lossTable(a),
    resourcesTable(a),
    variabilityTable(a),
  ].filter((t): t is Table => t !== undefined);
}

/** The run order table: which repetition ran when. */
export function orderTable(a: Analysis): Table {
  return {
    id: 'order',
    title: 'Run order',
    caption: `Repetitions ran round by round (every trial's first repetition, then every trial's second, …), trials shuffled within each round with seed ${a.order.seed}, so drift of the machine spreads evenly over trials. \`netbench run --seed ${a.order.seed}\` replays this order.`,
    header: ['#', 'trial', 'repetition', 'status'],
    rows: a.order.runs.map((r) => [
      c(String(r.position + 1)),
      c(r.trialId),
      c(String(r.repetition + 1)),
      c(r.status, r.status === 'ok' ? undefined : 'fail'),
    ]),
  };
}

/** The environment fingerprint. */
export function environmentTable(a: Analysis): Table {
  const e = a.environment;
  const rows: [string, string][] = [
    ['platform', e.platform],
    ['host', e.hostname],
    ['kernel', e.kernel],
    ['os', e.os],
    ['cpu', `${e.cpuModel} × ${e.cpuCount} (${e.arch})`],
    ['memory', formatBytes(e.memoryBytes)],
    ['node', e.nodeVersion],
    ...Object.entries(e.tools).map(([k, v]): [string, string] => [k, v]),
    ['netbench', `${a.tool.version}${a.tool.gitSha === null ? '' : ` (${a.tool.gitSha})`}`],
    ['run', `${a.runId}, ${a.startedAt} → ${a.finishedAt ?? '(unfinished)'}, ${a.status}`],
  ];
  return {
    id: 'environment',
    title: 'Environment',
    caption: 'Where and with what this run was measured.',
    header: ['', ''],
    rows: rows.map(([k, v]) => [c(k), c(v)]),
  };
}
