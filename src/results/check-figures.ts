/**
 * Figures no measurement can produce: a negative latency, count or rate, percentiles out of
 * order, a loss above 100 %. A results.json holding one was edited or corrupted; reading it is an
 * input error naming the trial and repetition, not a chart with a negative bar.
 */
import type { InputProblem } from '../core/errors.js';
import type { Results } from './schema.js';

/**
 * Numbers that may be below zero: a trace span's `parent` is an index, −1 for the entry; its
 * `hopUs` is the caller's call time minus the callee's server time, each rounded to whole µs by
 * its own timer, so a hop shorter than that rounding reads a few µs below zero.
 */
const signedFields: ReadonlySet<string> = new Set(['parent', 'hopUs']);

/** Most problems listed; a corrupt file can have thousands. */
const maxListed = 20;

const percentileOrder = ['min', 'p50', 'p90', 'p99', 'p999', 'max'] as const;

/** Every impossible figure in `results` (the first `maxListed`), with its path and trial. */
export function impossibleFigures(results: Results): InputProblem[] {
  const out: InputProblem[] = [];
  results.trials.forEach((trial, t) => {
    trial.repetitions.forEach((repetition, r) => {
      const where = `trial ${JSON.stringify(trial.id)} repetition ${repetition.index}`;
      const base = `trials[${t}].repetitions[${r}]`;
      for (const [path, value] of numbers(repetition, base)) {
        const name = path.slice(path.lastIndexOf('.') + 1);
        if (value < 0 && !signedFields.has(name)) {
          out.push({ path, message: `${where}: ${name} ${value} is negative` });
        }
      }
      for (const key of ['latencyUs', 'serviceLatencyUs', 'scheduleLagUs'] as const) {
        const s = repetition[key];
        if (s === undefined) continue;
        for (let i = 1; i < percentileOrder.length; i++) {
          const lower = percentileOrder[i - 1]!;
          const upper = percentileOrder[i]!;
          if (s[lower] > s[upper]) {
            out.push({
              path: `${base}.${key}`,
              message: `${where}: ${lower} ${s[lower]} is above ${upper} ${s[upper]}`,
            });
          }
        }
      }
      const loss = repetition.udp?.lossPercent;
      if (loss !== undefined && loss > 100) {
        out.push({
          path: `${base}.udp.lossPercent`,
          message: `${where}: loss ${loss} % is above 100 %`,
        });
      }
    });
  });
  return out.length > maxListed
    ? [...out.slice(0, maxListed), { path: '', message: `and ${out.length - maxListed} more` }]
    : out;
}

/** Every numeric leaf under `value`, with its dotted path. */
function numbers(value: unknown, path: string): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  return Object.entries(value).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
}
