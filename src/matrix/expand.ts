/**
 * Scenario → trials. The rule, documented in docs/scenario.md:
 *   trials = (product of the matrix − cells matching an `exclude`) ∪ `include` cells,
 * where a dimension missing from the matrix takes its default and a dimension missing from an
 * include cell takes the matrix's value(s). Duplicates are dropped; order is stable.
 */
import {
  defaultDimensions,
  dimensionNames,
  dimensions,
  type DimensionName,
  type TrialDimensions,
} from '../spec/dimensions.js';
import { usesDimension } from '../spec/dimension-applicability.js';
import type { Scenario } from '../spec/scenario-schema.js';

export interface TrialPlan {
  /**
   * Stable, readable id: the values of the dimensions that vary across the scenario's trials and
   * that this trial uses (a tcp-rr trial is not named by the HTTP trials' connections).
   */
  id: string;
  /** Position in expansion order (0-based). */
  index: number;
  dimensions: TrialDimensions;
}

type Cell = Partial<Record<DimensionName, unknown>>;

function valuesOf(matrix: Scenario['matrix'], name: DimensionName): unknown[] {
  const v = matrix[name] as unknown;
  if (v === undefined) return [dimensions[name].default];
  return Array.isArray(v) ? v : [v];
}

function product(lists: { name: DimensionName; values: unknown[] }[]): Cell[] {
  let cells: Cell[] = [{}];
  for (const { name, values } of lists) {
    const next: Cell[] = [];
    for (const cell of cells) for (const value of values) next.push({ ...cell, [name]: value });
    cells = next;
  }
  return cells;
}

function matches(cell: Cell, pattern: Cell): boolean {
  return Object.entries(pattern).every(
    ([k, v]) => v === undefined || JSON.stringify(cell[k as DimensionName]) === JSON.stringify(v),
  );
}

function keyOf(cell: Cell): string {
  return JSON.stringify(dimensionNames.map((n) => cell[n]));
}

export function expandMatrix(scenario: Scenario): TrialPlan[] {
  const defaults = defaultDimensions();
  const axes = dimensionNames.map((name) => ({ name, values: valuesOf(scenario.matrix, name) }));
  const cells = product(axes).filter((cell) => !scenario.exclude.some((x) => matches(cell, x)));
  for (const inc of scenario.include) {
    const fixed = inc as Cell;
    const rest = axes.filter((a) => fixed[a.name] === undefined);
    for (const cell of product(rest)) cells.push({ ...cell, ...stripUndefined(fixed) });
  }
  const seen = new Set<string>();
  const unique = cells.filter((c) => {
    const k = keyOf(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const full = unique.map((c) => ({ ...defaults, ...c }) as TrialDimensions);
  const varying = dimensionNames.filter(
    (n) => new Set(full.map((d) => JSON.stringify(d[n]))).size > 1,
  );
  const used = full.map((d) =>
    trialId(
      d,
      varying.filter((n) => usesDimension(d, n)),
      scenario.name,
    ),
  );
  // Trials that differ only in a dimension they ignore (the applicability check warns of them)
  // would share an id; they keep every varying dimension in theirs instead.
  const ids =
    new Set(used).size === used.length ? used : full.map((d) => trialId(d, varying, scenario.name));
  return full.map((d, index) => ({ id: ids[index] as string, index, dimensions: d }));
}

function stripUndefined(cell: Cell): Cell {
  return Object.fromEntries(Object.entries(cell).filter(([, v]) => v !== undefined));
}

function trialId(d: TrialDimensions, varying: DimensionName[], fallback: string): string {
  if (varying.length === 0) return fallback;
  return varying.map((n) => formatDimension(n, d)).join('/');
}

export function formatDimension(name: DimensionName, d: TrialDimensions): string {
  const def = dimensions[name] as { format(value: unknown): string };
  return def.format(d[name]);
}
