/**
 * The figures netbench reports for a trial, declared once: the name a threshold, a report column
 * or a comparison uses, the unit its limit is written in, whether it can be compared with a
 * baseline or an earlier run, and the CSV column it is written to. How each figure is read from
 * a repetition (results/repetition-figures.ts) and how it is estimated over repetitions
 * (analysis/figures.ts) are keyed by this table, so adding a figure is a compile-checked change
 * in those two places and nowhere else.
 */

/** How a figure's limit is written and what unit its value is in. */
export type FigureUnit = 'duration' | 'percent' | 'bitrate' | 'rate' | 'bytes';

export interface FigureDefinition {
  /**
   * Unit of the limit in a threshold: durations in µs once parsed, percent, bits/s, requests/s,
   * bytes.
   */
  unit: FigureUnit;
  /** Compared with a baseline (overhead.*) and with an earlier run (change.*). */
  relative: boolean;
  /** Shown side by side by `netbench compare` (relative figures, and rates and loss as context). */
  compared: boolean;
  /** Column of the summary CSV; its name carries the unit. */
  csvColumn: string;
  /** Short name in table headers. */
  label: string;
  /** What it is, for help texts and reports. */
  description: string;
}

export const figureTable = {
  p50: {
    unit: 'duration',
    relative: true,
    compared: true,
    csvColumn: 'latency_p50_us',
    label: 'p50',
    description: 'median latency',
  },
  p90: {
    unit: 'duration',
    relative: true,
    compared: true,
    csvColumn: 'latency_p90_us',
    label: 'p90',
    description: '90th percentile latency',
  },
  p99: {
    unit: 'duration',
    relative: true,
    compared: true,
    csvColumn: 'latency_p99_us',
    label: 'p99',
    description: '99th percentile latency',
  },
  p999: {
    unit: 'duration',
    relative: true,
    compared: true,
    csvColumn: 'latency_p999_us',
    label: 'p99.9',
    description: '99.9th percentile latency',
  },
  mean: {
    unit: 'duration',
    relative: true,
    compared: true,
    csvColumn: 'latency_mean_us',
    label: 'mean',
    description: 'mean latency',
  },
  rps: {
    unit: 'rate',
    relative: false,
    compared: true,
    csvColumn: 'achieved_rps',
    label: 'rate',
    description: 'achieved request rate',
  },
  throughput: {
    unit: 'bitrate',
    relative: true,
    compared: true,
    csvColumn: 'throughput_bps',
    label: 'throughput',
    description: 'received stream throughput',
  },
  loss: {
    unit: 'percent',
    relative: false,
    compared: true,
    csvColumn: 'loss_percent',
    label: 'loss',
    description:
      'share of what was sent that never arrived: UDP datagrams, or HTTP requests (errors + timeouts)',
  },
  errors: {
    unit: 'percent',
    relative: false,
    compared: false,
    csvColumn: 'errors_percent',
    label: 'errors',
    description: 'share of HTTP requests that failed (errors + timeouts)',
  },
  cpu: {
    unit: 'percent',
    relative: true,
    compared: true,
    csvColumn: 'cpu_percent',
    label: 'CPU',
    description: 'CPU of every pod and node daemon of the trial, summed, in % of one core',
  },
  memory: {
    unit: 'bytes',
    relative: true,
    compared: true,
    csvColumn: 'memory_bytes',
    label: 'memory',
    description: 'resident memory of every pod and node daemon of the trial, summed',
  },
} as const satisfies Record<string, FigureDefinition>;

export type FigureKey = keyof typeof figureTable;
export const figureKeys = Object.keys(figureTable) as FigureKey[];

/** Figures that can be compared with a baseline (overhead) or a previous run (change). */
export type RelativeFigure = {
  [K in FigureKey]: (typeof figureTable)[K]['relative'] extends true ? K : never;
}[FigureKey];
export const relativeFigures = figureKeys.filter(
  (k): k is RelativeFigure => figureTable[k].relative,
);

/** Figures `netbench compare` shows for both runs. */
export const comparedFigures = figureKeys.filter((k) => figureTable[k].compared);
