/**
 * Cyclonus-style truth tables, pure: one grid per port/protocol, sources down the side,
 * destinations across the top, one character per connection.
 */
import type { ClassEvaluation } from './class-evaluator.js';
import { portKeyText } from './probes.js';

export const truthTableLegend =
  '. allowed   X denied   - not probed (destination does not declare the port)';

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return `${' '.repeat(left)}${text}`.padEnd(width);
}

/** A grid of `cell(from, to)` characters; rows and columns in `pods` order. */
export function renderGrid(
  pods: readonly string[],
  cell: (from: string, to: string) => string,
): string[] {
  const corner = 'from\\to';
  const labelWidth = Math.max(corner.length, ...pods.map((p) => p.length)) + 1;
  const colWidth = Math.max(3, ...pods.map((p) => p.length));
  const header = `  ${corner.padEnd(labelWidth)}${pods.map((p) => center(p, colWidth)).join(' ')}`;
  const rows = pods.map((from) =>
    `  ${from.padEnd(labelWidth)}${pods.map((to) => center(cell(from, to), colWidth)).join(' ')}`.trimEnd(),
  );
  return [header.trimEnd(), ...rows];
}

/** Truth tables of a class evaluation, one per port/protocol, with the legend. */
export function renderTruthTables(ev: ClassEvaluation): string[] {
  const ids = ev.model.pods.map((p) => p.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const { classOf } = ev.podClasses;
  const out: string[] = [];
  ev.keys.forEach((k, key) => {
    const cell = (from: string, to: string): string => {
      const f = index.get(from)!;
      const t = index.get(to)!;
      if (!ev.probed(key, classOf[t]!)) return '-';
      // A pod cannot block access to itself.
      return f === t || ev.policyAllowed(classOf[f]!, classOf[t]!, key) ? '.' : 'X';
    };
    const grid = renderGrid(ids, cell);
    const cells = ids.flatMap((from) => ids.map((to) => cell(from, to)));
    const probed = cells.filter((c) => c !== '-').length;
    const denied = cells.filter((c) => c === 'X').length;
    out.push(`${portKeyText(k)}: ${denied} of ${probed} connections denied`, ...grid, '');
  });
  out.push(truthTableLegend);
  return out;
}
