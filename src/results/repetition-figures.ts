/**
 * How each figure (spec/figures.ts) is read from one repetition of results.json: the one place
 * that knows which field holds a repetition's p99, loss or CPU. The analysis, results.csv and
 * every per-repetition table read figures through it.
 */
import type { FigureKey } from '../spec/figures.js';
import type { RepetitionRecord } from './schema.js';

type Reader = (r: RepetitionRecord) => number | undefined;

/** Failed share of the HTTP requests sent (errors + timeouts), %. */
const failedRequestsPercent: Reader = (r) =>
  r.requests === undefined || r.requests.sent === 0
    ? undefined
    : ((r.requests.errors + r.requests.timeouts) / r.requests.sent) * 100;

function sumOfResources(r: RepetitionRecord, field: 'cpuPercent' | 'rssBytes'): number | undefined {
  if (r.resources === undefined || r.resources.length === 0) return undefined;
  return r.resources.reduce((a, x) => a + x[field], 0);
}

export const repetitionFigure = {
  p50: (r) => r.latencyUs?.p50,
  p90: (r) => r.latencyUs?.p90,
  p99: (r) => r.latencyUs?.p99,
  p999: (r) => r.latencyUs?.p999,
  mean: (r) => r.latencyUs?.mean,
  rps: (r) => r.achievedRps,
  throughput: (r) => r.throughput?.bitsPerSecond,
  // UDP loss when the workload streamed datagrams, else the failed share of HTTP requests.
  loss: (r) => (r.udp !== undefined ? r.udp.lossPercent : failedRequestsPercent(r)),
  errors: failedRequestsPercent,
  cpu: (r) => sumOfResources(r, 'cpuPercent'),
  memory: (r) => sumOfResources(r, 'rssBytes'),
} satisfies Record<FigureKey, Reader>;

/** Every figure of one repetition (undefined where the workload does not measure it). */
export function repetitionFigures(r: RepetitionRecord): Record<FigureKey, number | undefined> {
  const out = {} as Record<FigureKey, number | undefined>;
  for (const [key, read] of Object.entries(repetitionFigure) as [FigureKey, Reader][]) {
    out[key] = read(r);
  }
  return out;
}
