/**
 * Counts a scenario's trials from the raw file, before any value is validated or any cell is
 * built, and refuses a sweep past the documented limits. The count is the product of the matrix
 * lists plus the cells each `include` adds, before `exclude` removes any: an upper bound that
 * costs a few multiplications however large the lists are.
 */
import type { Document, LineCounter } from 'yaml';
import { NetbenchError } from '../core/errors.js';
import { dimensionNames } from './dimensions.js';
import { maxCellPatterns, maxScheduledRepetitions, maxTrials } from './input-limits.js';
import { lineOf } from './yaml-source.js';

interface Axis {
  name: string;
  values: number;
}

function axesOf(matrix: unknown): Axis[] {
  const m =
    matrix !== null && typeof matrix === 'object' ? (matrix as Record<string, unknown>) : {};
  return dimensionNames.map((name) => {
    const v = m[name];
    return { name, values: Array.isArray(v) ? Math.max(1, v.length) : 1 };
  });
}

/** The number of trials the raw scenario can expand to (before `exclude`). */
export function countTrials(input: Readonly<Record<string, unknown>>): number {
  const axes = axesOf(input.matrix);
  const product = (list: readonly Axis[]): number => list.reduce((n, a) => n * a.values, 1);
  let count = product(axes);
  const include = Array.isArray(input.include) ? (input.include as unknown[]) : [];
  for (const cell of include.slice(0, maxCellPatterns)) {
    const fixed = cell !== null && typeof cell === 'object' ? Object.keys(cell) : [];
    count += product(axes.filter((a) => !fixed.includes(a.name)));
  }
  return count;
}

/**
 * Throws NB_SPEC_TOO_MANY_TRIALS when the raw scenario would expand past `maxTrials` trials,
 * `maxScheduledRepetitions` repetitions, or lists more than `maxCellPatterns` include/exclude
 * cells; the problem names the dimension that multiplies most, at its line.
 */
export function checkExpansion(
  input: Readonly<Record<string, unknown>>,
  name: string,
  where: { doc: Document.Parsed; lineCounter: LineCounter },
): void {
  const line = (path: (string | number)[]): { line?: number } => {
    const l = lineOf(where.doc, where.lineCounter, path);
    return l === undefined ? {} : { line: l };
  };
  for (const key of ['include', 'exclude'] as const) {
    const list = input[key];
    if (Array.isArray(list) && list.length > maxCellPatterns) {
      throw new NetbenchError(
        'NB_SPEC_TOO_MANY_TRIALS',
        `${name} lists ${list.length} ${key} cells, more than the ${maxCellPatterns} netbench accepts`,
        {
          problems: [{ path: key, ...line([key]), message: `${list.length} cells` }],
          hint: 'sweep with matrix lists instead of spelling cells out',
        },
      );
    }
  }
  const trials = countTrials(input);
  const raw = input.repetitions;
  // An invalid count is the schema's to report; count it as one here.
  const repetitions = Number.isSafeInteger(raw) && (raw as number) > 0 ? (raw as number) : 1;
  const scheduled = trials * repetitions;
  if (trials <= maxTrials && scheduled <= maxScheduledRepetitions) return;
  const widest = axesOf(input.matrix).reduce((a, b) => (b.values > a.values ? b : a));
  const count = (n: number): string => n.toLocaleString('en');
  const message =
    trials > maxTrials
      ? `${name} expands to ${count(trials)} trials, more than the ${count(maxTrials)} netbench plans`
      : `${name} schedules ${count(scheduled)} repetitions (${count(trials)} trials × ${repetitions}), more than the ${count(maxScheduledRepetitions)} netbench plans`;
  throw new NetbenchError('NB_SPEC_TOO_MANY_TRIALS', message, {
    problems: [
      {
        path: `matrix.${widest.name}`,
        ...line(['matrix', widest.name]),
        message: `${widest.name} lists ${count(widest.values)} values, the most of any dimension`,
      },
    ],
    hint: 'split the sweep into several scenarios, shorten the longest lists, or name the cells you need with include:',
  });
}
