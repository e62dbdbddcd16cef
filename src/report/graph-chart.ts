/**
 * The service-graph chart (pure): end-to-end latency of the chain graphs against their depth,
 * one line per mesh mode and percentile, with confidence-interval whiskers, so the slope is what
 * each hop costs in each mode.
 */
import type { TopLevelSpec } from 'vega-lite';
import { graphHopFigures } from '../analysis/graph-hops.js';
import type { Results } from '../results/schema.js';
import { config, schema, whiskerLayer, type ChartSpec } from './charts.js';

const ms = (us: number): number => Math.round(us) / 1000;
const whiskerClip = 10;

export function graphDepthChart(results: Results): ChartSpec | undefined {
  const chains = graphHopFigures(results).filter((t) => t.graph.startsWith('chain-'));
  if (new Set(chains.map((t) => t.depth)).size < 2) return undefined;
  const rows = chains.flatMap((t) =>
    (['p50', 'p99'] as const).flatMap((p) => {
      const e = t.e2eUs?.[p];
      if (e === undefined) return [];
      return [
        {
          series: `${t.mesh} ${p}`,
          mesh: t.mesh,
          percentile: p,
          depth: t.depth,
          trial: t.trialId,
          latencyMs: ms(e.value),
          // Clipped to a factor of 10 either side: wider says "unknown" and would flatten the rest.
          lowMs: e.low === undefined ? null : ms(Math.max(e.value / whiskerClip, e.low, 1)),
          highMs: e.high === undefined ? null : ms(Math.min(e.value * whiskerClip, e.high)),
        },
      ];
    }),
  );
  // Quantitative, so the whiskers' ticks stay narrow (on a band scale they span the band).
  const depthValues: number[] = [...new Set(chains.map((t) => t.depth))];
  const depth = {
    field: 'depth',
    type: 'quantitative' as const,
    title: 'services on the call path (chain depth)',
    axis: { values: depthValues, format: 'd' },
    scale: { zero: false, padding: 20 },
  };
  const spec: TopLevelSpec = {
    $schema: schema,
    config,
    width: 480,
    height: 260,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: depth,
          y: {
            field: 'latencyMs',
            type: 'quantitative',
            title: 'end-to-end latency (ms)',
            scale: { type: 'log' },
          },
          color: { field: 'mesh', type: 'nominal', title: 'mesh' },
          strokeDash: { field: 'percentile', type: 'nominal', title: null },
          detail: { field: 'series' },
        },
      },
      whiskerLayer({
        along: 'y',
        at: { x: depth, color: { field: 'mesh', type: 'nominal' } },
        low: 'lowMs',
        high: 'highMs',
        title: 'end-to-end latency (ms)',
        scale: { type: 'log' },
        colour: 'by-series',
      }),
    ],
  };
  return {
    id: 'graph-depth',
    title: 'End-to-end latency against chain depth, per mesh mode',
    caption:
      'p50 (solid) and p99 (dashed) at the client for chains of increasing depth, one colour per mesh mode; whiskers are 95 % intervals over repetitions (clipped at ×10 and ÷10; the table has them whole). The slope is what one more service, with its hop, costs.',
    spec,
  };
}
