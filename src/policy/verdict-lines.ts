/**
 * Verdicts as text lines, pure and lazy: the class evaluation is expanded to pairs of pods one
 * line at a time, so a million verdicts never sit in memory together.
 * - JSON: one object per verdict, `{"from","to","port","protocol","allowed","self"?,"reason"?}`
 *   (the `evaluate --json` element; one line of `--format ndjson`);
 * - matrix: per port/protocol, a header naming the destinations in order, then one line per
 *   source, one character per destination (`.` allowed, `X` denied, `-` not probed).
 */
import { bitsetAdd, bitsetHas, createBitset, type Bitset } from './bitset.js';
import type { ClassEvaluation } from './class-evaluator.js';
import type { Verdict } from './evaluate.js';
import { explainVerdict } from './explain.js';
import type { Protocol } from './network-policy.js';
import { portKeyText } from './probes.js';

/** Which verdicts carry their reason. */
export type ReasonFilter = 'all' | 'none' | ((from: number, to: number) => boolean);

/** Every verdict as a JSON text, ordered by port key, source, destination. */
export function* verdictJsonLines(ev: ClassEvaluation, reasons: ReasonFilter): Generator<string> {
  const ids = ev.model.pods.map((p) => JSON.stringify(p.id));
  const keys = ev.keys.map((k) => `"port":${k.port},"protocol":"${k.protocol}"`);
  for (const o of ev.outcomes()) {
    const explain = reasons === 'all' || (typeof reasons === 'function' && reasons(o.from, o.to));
    const reason = explain
      ? `,"reason":${JSON.stringify(explainVerdict(ev.verdict(o.from, o.to, o.key)))}`
      : '';
    yield `{"from":${ids[o.from]},"to":${ids[o.to]},${keys[o.key]},"allowed":${o.allowed}${o.self ? ',"self":true' : ''}${reason}}`;
  }
}

/** The compact matrix, line by line. */
export function* matrixLines(ev: ClassEvaluation): Generator<string> {
  const { pods } = ev.model;
  const { classOf } = ev.podClasses;
  const size = ev.podClasses.classes.length;
  for (let key = 0; key < ev.keys.length; key++) {
    yield `# ${portKeyText(ev.keys[key]!)} destinations: ${pods.map((p) => p.id).join(' ')}`;
    const probed: Bitset = createBitset(size);
    for (let c = 0; c < size; c++) if (ev.probed(key, c)) bitsetAdd(probed, c);
    // One row per source class, reused by every pod of the class (self cells patched in).
    const rows = new Map<number, string>();
    for (let from = 0; from < pods.length; from++) {
      const fc = classOf[from]!;
      let row = rows.get(fc);
      if (row === undefined) {
        row = pods
          .map((_, to) => {
            const tc = classOf[to]!;
            if (!bitsetHas(probed, tc)) return '-';
            return ev.policyAllowed(fc, tc, key) ? '.' : 'X';
          })
          .join('');
        rows.set(fc, row);
      }
      // A pod cannot block access to itself.
      const cells = row[from] === 'X' ? `${row.slice(0, from)}.${row.slice(from + 1)}` : row;
      yield `${pods[from]!.id} ${cells}`;
    }
  }
}

/** One verdict in the `evaluate --json` contract (field order as documented). */
export interface VerdictJson {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  allowed: boolean;
  self?: true;
  reason: string;
}

export function verdictJson(v: Verdict): VerdictJson {
  return {
    from: v.from,
    to: v.to,
    port: v.port,
    protocol: v.protocol,
    allowed: v.allowed,
    ...(v.self ? { self: true as const } : {}),
    reason: explainVerdict(v),
  };
}
