/**
 * The report's charts, each one declarative vega-lite spec built from the analysis. The same specs
 * render to SVG in Node (./render-svg.ts) for the HTML report and for the Markdown report's image
 * files, so every output shows the same pictures. A chart whose data is absent (no throughput
 * measured, no rate sweep…) is simply not produced. Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
// Types of one layer; vega-lite exports them only under types_unstable.
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { Encoding } from 'vega-lite/types_unstable/encoding.js';
import type { Scale } from 'vega-lite/types_unstable/scale.js';
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js';
import type { Analysis, TrialAnalysis } from '../analysis/analyze.js';
import { dimensionLabel, valueText } from '../analysis/format.js';

export interface ChartSpec {
  /** Stable id, used as the figure id in HTML and the file name in Markdown. */
  id: string;
  title: string;
  /** One sentence saying how to read it. */
  caption: string;
  spec: TopLevelSpec;
}

const font = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const config = {
  font,
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  range: {
    category: [
      '#4c78a8',
      '#f58518',
      '#54a24b',
      '#e45756',
      '#72b7b2',
      '#b279a2',
      '#ff9da6',
      '#9d755d',
      '#bab0ac',
      '#eeca3b',
    ],
  },
};

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';
const ms = (us: number): number => us / 1000;
const round = (v: number, digits = 4): number => Number(v.toPrecision(digits));

/**
 * With few repetitions an interval can be far wider than the figure (Student's t with 1 degree of
 * freedom is 12.7). Whiskers are cut at `factor` × the largest figure of their panel so the bars
 * stay readable; a cut whisker ends in a triangle and its tooltip keeps the true bounds.
 */
function clampWhiskers<T extends { group: string; value: number; high: number | null }>(
  rows: T[],
  factor = 2.5,
): (T & { highShown: number | null; cut: boolean })[] {
  const max = new Map<string, number>();
  for (const r of rows) max.set(r.group, Math.max(max.get(r.group) ?? 0, Math.abs(r.value)));
  return rows.map((r) => {
    const limit = factor * (max.get(r.group) ?? 0);
    const cut = r.high !== null && limit > 0 && r.high > limit;
    return { ...r, highShown: r.high === null ? null : cut ? limit : r.high, cut };
  });
}

function withLatency(a: Analysis): TrialAnalysis[] {
  return a.trials.filter((t) => t.figures.p50 !== undefined);
}

/** p50/p90/p99 bars per trial with their confidence-interval whiskers, one panel per percentile. */
function percentileBars(a: Analysis): ChartSpec | undefined {
  const trials = withLatency(a);
  if (trials.length === 0) return undefined;
  const rows = clampWhiskers(
    trials.flatMap((t) =>
      (['p50', 'p90', 'p99'] as const).map((p) => {
        const e = t.figures[p]!;
        return {
          trial: t.id,
          percentile: p,
          group: p,
          value: ms(e.value),
          high: e.high === undefined ? null : ms(e.high),
          latencyMs: round(ms(e.value)),
          lowMs: e.low === undefined ? null : round(ms(e.low)),
          highMs: e.high === undefined ? null : round(ms(e.high)),
          repetitions: e.repetitions,
        };
      }),
    ),
  );
  return {
    id: 'percentiles',
    title: 'Latency percentiles per trial',
    caption: `Bars: percentiles of the merged histogram of each trial's valid repetitions. Whiskers: ${Math.round(a.level * 100)} % confidence intervals (see "How sure are we?"); a triangle marks a whisker cut to keep the bars readable.`,
    spec: {
      $schema: schema,
      config,
      data: { values: rows },
      facet: {
        column: { field: 'percentile', type: 'nominal', title: null, sort: ['p50', 'p90', 'p99'] },
      },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: Math.max(120, Math.min(220, 60 * trials.length)),
        height: 220,
        layer: [
          {
            mark: { type: 'bar', tooltip: true },
            encoding: {
              x: { field: 'trial', type: 'nominal', title: null, axis: { labelAngle: -30 } },
              y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)' },
              color: { field: 'trial', type: 'nominal', legend: null },
              tooltip: [
                { field: 'percentile' },
                { field: 'latencyMs', title: 'latency (ms)' },
                { field: 'lowMs', title: 'CI low (ms)' },
                { field: 'highMs', title: 'CI high (ms)' },
                { field: 'repetitions' },
              ],
            },
          },
          whiskerLayer({
            along: 'y',
            at: { x: { field: 'trial', type: 'nominal' } },
            low: 'lowMs',
            high: 'highShown',
            title: 'latency (ms)',
          }),
          cutMarkerLayer('y', 'trial', { field: 'highMs', title: 'CI high (ms), cut' }),
        ],
      },
    },
  };
}

/** The whole latency distribution as a percentile plot with a log tail (HdrHistogram style). */
function distribution(a: Analysis): ChartSpec | undefined {
  const trials = withLatency(a).filter((t) => t.distribution.length > 1);
  if (trials.length === 0) return undefined;
  const rows = trials.flatMap((t) =>
    t.distribution.map((d) => ({
      trial: t.id,
      nines: round(d.percentile >= 100 ? 6 : -Math.log10(1 - d.percentile / 100)),
      percentile: round(d.percentile, 6),
      latencyMs: round(ms(d.valueUs)),
    })),
  );
  const maxNines = Math.min(5, Math.max(2, Math.ceil(Math.max(...rows.map((r) => r.nines)))));
  return {
    id: 'distribution',
    title: 'Latency distribution',
    caption:
      'Latency at each percentile of the merged histogram; the x axis stretches the tail (90 %, 99 %, 99.9 % … equally spaced) and the y axis is logarithmic.',
    spec: {
      $schema: schema,
      config,
      width: 560,
      height: 260,
      data: { values: rows },
      mark: { type: 'line', point: false, tooltip: true, interpolate: 'step-after' },
      encoding: {
        x: {
          field: 'nines',
          type: 'quantitative',
          title: 'percentile',
          scale: { domain: [0, maxNines] },
          axis: {
            values: [0, 1, 2, 3, 4, 5].filter((v) => v <= maxNines),
            labelExpr: "['0%', '90%', '99%', '99.9%', '99.99%', '99.999%'][datum.value]",
          },
        },
        y: {
          field: 'latencyMs',
          type: 'quantitative',
          title: 'latency (ms)',
          scale: { type: 'log' },
        },
        color: { field: 'trial', type: 'nominal', title: 'trial' },
        tooltip: [
          { field: 'trial' },
          { field: 'percentile', title: 'percentile (%)' },
          { field: 'latencyMs', title: 'latency (ms)' },
        ],
      },
    },
  };
}

/** p50 and p99 against the achieved rate, when the scenario sweeps the rate. */
function latencyVsLoad(a: Analysis): ChartSpec | undefined {
  if (!a.varying.includes('rate')) return undefined;
  const others = a.varying.filter((v) => v !== 'rate');
  const trials = withLatency(a).filter((t) => t.figures.rps !== undefined);
  if (trials.length < 2) return undefined;
  const rows = trials.flatMap((t) =>
    (['p50', 'p99'] as const).map((p) => {
      const e = t.figures[p]!;
      return {
        series: `${others.length > 0 ? `${dimensionLabel(t.dimensions, others)} ` : ''}${p}`,
        trial: t.id,
        percentile: p,
        achievedRps: round(t.figures.rps!.value),
        latencyMs: round(ms(e.value)),
        lowMs: e.low === undefined ? null : round(ms(e.low)),
        highMs: e.high === undefined ? null : round(ms(e.high)),
      };
    }),
  );
  return {
    id: 'latency-vs-load',
    title: 'Latency vs load',
    caption:
      'p50 and p99 at each requested rate, placed at the rate actually achieved; whiskers are confidence intervals. Where p99 turns upward the path (or the generator) is saturating.',
    spec: {
      $schema: schema,
      config,
      width: 560,
      height: 260,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'line', point: true, tooltip: true },
          encoding: {
            x: { field: 'achievedRps', type: 'quantitative', title: 'achieved requests/s' },
            y: {
              field: 'latencyMs',
              type: 'quantitative',
              title: 'latency (ms)',
              scale: { type: 'log' },
            },
            color: { field: 'series', type: 'nominal', title: null },
            tooltip: [
              { field: 'trial' },
              { field: 'percentile' },
              { field: 'achievedRps', title: 'achieved requests/s' },
              { field: 'latencyMs', title: 'latency (ms)' },
            ],
          },
        },
        whiskerLayer({
          along: 'y',
          at: {
            x: { field: 'achievedRps', type: 'quantitative' },
            color: { field: 'series', type: 'nominal' },
          },
          low: 'lowMs',
          high: 'highMs',
          title: 'latency (ms)',
          scale: { type: 'log' },
          colour: 'by-series',
        }),
      ],
    },
  };
}

/** Overhead against the baseline at p50/p90/p99, coloured by verdict, with CI whiskers. */
function overhead(a: Analysis): ChartSpec | undefined {
  const rows = a.overheads.flatMap((table) =>
    table.rows.flatMap((row) =>
      (['p50', 'p90', 'p99'] as const).flatMap((p) => {
        const d = row.figures[p];
        if (d === undefined) return [];
        return [
          {
            comparison: row.trialId,
            baseline: row.baselineTrialId,
            percentile: p,
            group: 'all',
            value: d.value * 100,
            high: d.high === undefined ? null : d.high * 100,
            overheadPct: round(d.value * 100),
            lowPct: d.low === undefined ? null : round(d.low * 100),
            highPct: d.high === undefined ? null : round(d.high * 100),
            verdict:
              d.verdict === 'significant'
                ? 'significant'
                : d.verdict === 'within-noise'
                  ? 'within noise'
                  : 'no verdict',
          },
        ];
      }),
    ),
  );
  if (rows.length === 0) return undefined;
  const shown = clampWhiskers(rows, 3).map((r) => ({
    ...r,
    highShown: r.highShown === null ? null : Math.max(r.highShown, 25),
    cut: r.cut && (r.high ?? 0) > 25,
  }));
  return {
    id: 'overhead',
    title: 'Latency overhead against the baseline',
    caption:
      'Change of each percentile of each trial relative to its baseline trial (see the overhead table); whiskers are confidence intervals of the change, a triangle marks one cut to fit. A whisker that crosses 0 means the difference is within noise.',
    spec: {
      $schema: schema,
      config,
      data: { values: shown },
      facet: {
        column: { field: 'percentile', type: 'nominal', title: null, sort: ['p50', 'p90', 'p99'] },
      },
      spec: {
        width: 220,
        height: { step: 28 },
        layer: [
          {
            mark: { type: 'bar', tooltip: true },
            encoding: {
              y: {
                field: 'comparison',
                type: 'nominal',
                title: null,
                axis: { labelLimit: 220 },
              },
              x: { field: 'overheadPct', type: 'quantitative', title: 'overhead (%)' },
              color: {
                field: 'verdict',
                type: 'nominal',
                title: 'verdict',
                scale: {
                  domain: ['significant', 'within noise', 'no verdict'],
                  range: ['#e45756', '#9ecae9', '#cccccc'],
                },
              },
              tooltip: [
                { field: 'comparison' },
                { field: 'baseline' },
                { field: 'percentile' },
                { field: 'overheadPct', title: 'overhead (%)' },
                { field: 'lowPct', title: 'CI low %' },
                { field: 'highPct', title: 'CI high %' },
                { field: 'verdict' },
              ],
            },
          },
          whiskerLayer({
            along: 'x',
            at: { y: { field: 'comparison', type: 'nominal' } },
            low: 'lowPct',
            high: 'highShown',
            title: 'overhead (%)',
          }),
          cutMarkerLayer('x', 'comparison', { field: 'highPct', title: 'CI high %, cut' }),
          {
            data: { values: [{ zero: 0 }] },
            mark: { type: 'rule', color: '#555' },
            encoding: { x: { field: 'zero', type: 'quantitative' } },
          },
        ],
      },
    },
  };
}

/** Stream throughput per trial, same-node against cross-node side by side. */
function throughput(a: Analysis): ChartSpec | undefined {
  const trials = a.trials.filter((t) => t.figures.throughput !== undefined);
  if (trials.length === 0) return undefined;
  const others = a.varying.filter((v) => v !== 'placement');
  const rows = trials.map((t) => {
    const e = t.figures.throughput!;
    return {
      trial: t.id,
      group: others.length > 0 ? dimensionLabel(t.dimensions, others) : t.id,
      placement: valueText(t.dimensions.placement),
      gbps: round(e.value / 1e9),
      lowGbps: e.low === undefined ? null : round(e.low / 1e9),
      highGbps: e.high === undefined ? null : round(e.high / 1e9),
    };
  });
  const groups = new Map<string, Set<string>>();
  for (const r of rows) groups.set(r.group, (groups.get(r.group) ?? new Set()).add(r.placement));
  const sideBySide = [...groups.values()].some((p) => p.size > 1);
  const offset = sideBySide ? { xOffset: { field: 'placement', type: 'nominal' } as const } : {};
  return {
    id: 'throughput',
    title: 'Throughput, same-node vs cross-node',
    caption:
      'Mean received throughput over the repetitions, with confidence intervals; bars side by side compare placements of the same configuration.',
    spec: {
      $schema: schema,
      config,
      width: Math.max(240, 90 * new Set(rows.map((r) => r.group)).size),
      height: 240,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'group', type: 'nominal', title: null, axis: { labelAngle: -30 } },
            ...offset,
            y: { field: 'gbps', type: 'quantitative', title: 'throughput (Gbit/s)' },
            color: { field: 'placement', type: 'nominal', title: 'placement' },
            tooltip: [
              { field: 'trial' },
              { field: 'gbps', title: 'throughput (Gbit/s)' },
              { field: 'lowGbps', title: 'CI low' },
              { field: 'highGbps', title: 'CI high' },
            ],
          },
        },
        whiskerLayer({
          along: 'y',
          at: { x: { field: 'group', type: 'nominal' }, ...offset },
          low: 'lowGbps',
          high: 'highGbps',
          title: 'throughput (Gbit/s)',
        }),
      ],
    },
  };
}

/** Loss per trial (UDP datagrams, or failed requests), when any was measured. */
function loss(a: Analysis): ChartSpec | undefined {
  const trials = a.trials.filter((t) => t.figures.loss !== undefined);
  const anyUdp = trials.some((t) => t.lossSource === 'udp');
  const anyLoss = trials.some((t) => (t.figures.loss?.value ?? 0) > 0);
  if (trials.length === 0 || (!anyUdp && !anyLoss)) return undefined;
  const rows = trials.map((t) => {
    const e = t.figures.loss!;
    return {
      trial: t.id,
      source: t.lossSource === 'udp' ? 'UDP datagrams' : 'HTTP requests',
      lossPct: round(e.value),
      lowPct: e.low === undefined ? null : round(Math.max(0, e.low)),
      highPct: e.high === undefined ? null : round(e.high),
    };
  });
  return {
    id: 'loss',
    title: 'Loss',
    caption:
      'Share of what was sent that never arrived (UDP datagrams at a controlled rate, or HTTP requests that failed or timed out), mean over repetitions with confidence intervals.',
    spec: {
      $schema: schema,
      config,
      width: Math.max(240, 60 * rows.length),
      height: 220,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'trial', type: 'nominal', title: null, axis: { labelAngle: -30 } },
            y: { field: 'lossPct', type: 'quantitative', title: 'loss (%)' },
            color: { field: 'source', type: 'nominal', title: 'what was lost' },
            tooltip: [{ field: 'trial' }, { field: 'lossPct', title: 'loss (%)' }],
          },
        },
        whiskerLayer({
          along: 'y',
          at: { x: { field: 'trial', type: 'nominal' } },
          low: 'lowPct',
          high: 'highPct',
          title: 'loss (%)',
        }),
      ],
    },
  };
}

/** CPU and memory of every pod and node daemon, stacked per trial. */
function resources(a: Analysis): ChartSpec | undefined {
  const rows = a.trials.flatMap((t) =>
    t.resources.map((r) => ({
      trial: t.id,
      component: `${r.name} (${r.role})`,
      cpuPct: round(r.cpuPercent.value),
      memoryMiB: round(r.rssBytes.value / 1024 ** 2),
    })),
  );
  if (rows.length === 0) return undefined;
  const width = Math.max(200, 50 * a.trials.length);
  const x = {
    field: 'trial',
    type: 'nominal',
    title: null,
    axis: { labelAngle: -30 },
  } as const;
  const color = { field: 'component', type: 'nominal', title: 'pod / daemon' } as const;
  return {
    id: 'resources',
    title: 'CPU and memory per pod',
    caption:
      'Mean over repetitions of each pod and node-level daemon: CPU in % of one core during the measured window, resident memory at its end.',
    spec: {
      $schema: schema,
      config,
      data: { values: rows },
      hconcat: [
        {
          width,
          height: 220,
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x,
            y: { field: 'cpuPct', type: 'quantitative', title: 'CPU (% of a core)', stack: 'zero' },
            color,
            tooltip: [
              { field: 'trial' },
              { field: 'component' },
              { field: 'cpuPct', title: 'CPU (% of a core)' },
            ],
          },
        },
        {
          width,
          height: 220,
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x,
            y: { field: 'memoryMiB', type: 'quantitative', title: 'memory (MiB)', stack: 'zero' },
            color,
            tooltip: [
              { field: 'trial' },
              { field: 'component' },
              { field: 'memoryMiB', title: 'memory (MiB)' },
            ],
          },
        },
      ],
    },
  };
}

/** p99 of every repetition in the order they ran: drift over the run shows up here. */
function runOrder(a: Analysis): ChartSpec | undefined {
  const byId = new Map(a.trials.map((t) => [t.id, t]));
  const rows = a.order.runs.flatMap((r) => {
    const rep = byId.get(r.trialId)?.perRepetition.find((p) => p.index === r.repetition);
    if (rep?.p99 === undefined || rep.p50 === undefined) return [];
    return [
      {
        position: r.position + 1,
        trial: r.trialId,
        repetition: r.repetition + 1,
        status: r.status,
        p50Ms: round(ms(rep.p50)),
        p99Ms: round(ms(rep.p99)),
      },
    ];
  });
  if (rows.length < 2) return undefined;
  return {
    id: 'run-order',
    title: 'Repetitions in run order',
    caption: `p50 (filled) and p99 (hollow) of every repetition at its place in the randomised, interleaved order (seed ${a.order.seed}); crosses are repetitions marked invalid and left out of the figures. A trend across positions is drift of the machine, spread over all trials by the interleaving.`,
    spec: {
      $schema: schema,
      config,
      width: 560,
      height: 220,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'point', filled: true, tooltip: true, size: 50 },
          encoding: {
            x: {
              field: 'position',
              type: 'quantitative',
              title: 'position in run order',
              axis: { format: 'd', tickMinStep: 1 },
            },
            y: {
              field: 'p50Ms',
              type: 'quantitative',
              title: 'latency (ms)',
              scale: { type: 'log' },
            },
            color: { field: 'trial', type: 'nominal', title: 'trial' },
            shape: {
              field: 'status',
              type: 'nominal',
              title: 'repetition',
              scale: { domain: ['ok', 'invalid'], range: ['circle', 'cross'] },
            },
            tooltip: [
              { field: 'position' },
              { field: 'trial' },
              { field: 'repetition' },
              { field: 'status' },
              { field: 'p50Ms', title: 'p50 ms' },
              { field: 'p99Ms', title: 'p99 ms' },
            ],
          },
        },
        {
          mark: { type: 'point', filled: false, tooltip: true, size: 50 },
          encoding: {
            x: { field: 'position', type: 'quantitative' },
            y: { field: 'p99Ms', type: 'quantitative', scale: { type: 'log' } },
            color: { field: 'trial', type: 'nominal' },
            shape: { field: 'status', type: 'nominal' },
          },
        },
      ],
    },
  };
}

/** Every chart the analysis has data for, in report order. */
export function buildCharts(a: Analysis): ChartSpec[] {
  return [
    percentileBars(a),
    distribution(a),
    latencyVsLoad(a),
    overhead(a),
    throughput(a),
    loss(a),
    resources(a),
    runOrder(a),
  ].filter((c): c is ChartSpec => c !== undefined);
}

/**
 * A confidence-interval whisker layer: from the `low` field to the `high` field along the value
 * axis, at each point of `at` (the category encoding), drawn only where an interval exists.
 * Marks are hidden from the accessibility tree (the bars and points carry the figures).
 */
function whiskerLayer(o: {
  along: 'x' | 'y';
  at: Encoding<Field>;
  low: string;
  high: string;
  title: string;
  scale?: Scale;
  /** dark (default) on bars; by-series when `at` colours the whiskers by their series. */
  colour?: 'dark' | 'by-series';
}): UnitSpec<Field> {
  const value = {
    field: o.low,
    type: 'quantitative',
    title: o.title,
    ...(o.scale === undefined ? {} : { scale: o.scale }),
  } as const;
  const high = { field: o.high };
  return {
    transform: [{ filter: `datum.${o.low} != null` }],
    mark: {
      type: 'errorbar',
      ticks: { aria: false },
      rule: { aria: false },
      ...(o.colour === 'by-series' ? {} : { color: '#222' }),
    },
    encoding: o.along === 'y' ? { ...o.at, y: value, y2: high } : { ...o.at, x: value, x2: high },
  };
}

/** A triangle at the end of a whisker cut short (`highShown`) to keep the chart readable. */
function cutMarkerLayer(
  along: 'x' | 'y',
  category: string,
  highTooltip: { field: string; title: string },
): UnitSpec<Field> {
  const at = { field: category, type: 'nominal' } as const;
  const end = { field: 'highShown', type: 'quantitative' } as const;
  const tooltip = [{ field: category }, highTooltip];
  return {
    transform: [{ filter: 'datum.cut' }],
    mark: {
      type: 'point',
      shape: along === 'y' ? 'triangle-up' : 'triangle-right',
      filled: true,
      color: '#222',
      size: 60,
    },
    encoding: along === 'y' ? { x: at, y: end, tooltip } : { y: at, x: end, tooltip },
  };
}
