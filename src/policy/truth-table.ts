/**
 * Cyclonus-style truth tables, pure: one grid per port/protocol, sources down the side,
 * destinations across the top, one character per connection.
 */
import type { Verdict } from './evaluate.js';
import { portKeyText, type PortKey } from './probes.js';

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

function keyOf(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** Truth tables of evaluated verdicts, one per port/protocol. */
export function renderTruthTables(
  pods: readonly string[],
  keys: readonly PortKey[],
  verdicts: readonly Verdict[],
): string {
  const blocks: string[] = [];
  for (const k of keys) {
    const cells = new Map<string, Verdict>();
    for (const v of verdicts) {
      if (v.port === k.port && v.protocol === k.protocol) cells.set(keyOf(v.from, v.to), v);
    }
    const denied = [...cells.values()].filter((v) => !v.allowed).length;
    blocks.push(
      [
        `${portKeyText(k)}: ${denied} of ${cells.size} connections denied`,
        ...renderGrid(pods, (from, to) => {
          const v = cells.get(keyOf(from, to));
          return v === undefined ? '-' : v.allowed ? '.' : 'X';
        }),
      ].join('\n'),
    );
  }
  return `${blocks.join('\n\n')}\n\n${truthTableLegend}`;
}
