/**
 * What a policy change does, pure: the connections it opens (denied before, allowed after) and
 * closes, between the pods present in both evaluations (matched by `namespace/name`), on the
 * port/protocol combinations probed in both. Each side decides with its own pods and policies,
 * so two dumps taken at different times compare too. The walk is per pair of pods but each
 * pair costs two bit tests; explanations are computed only for the pairs printed.
 */
import type { ClassEvaluation } from './class-evaluator.js';
import type { Verdict } from './evaluate.js';
import { portKeyText } from './probes.js';

/** A connection whose verdict differs between the old and the new policies. */
export interface PolicyChange {
  change: 'opened' | 'closed';
  from: string;
  to: string;
  port: number;
  protocol: Verdict['protocol'];
  /** Indices into each side's pods and keys, to explain the change. */
  at: { old: [number, number, number]; new: [number, number, number] };
}

/** Changes per namespace pair. */
export interface DiffPairSummary {
  from: string;
  to: string;
  opened: number;
  closed: number;
}

/** What the diff compared, and the counts. */
export interface DiffSummary {
  /** Pods present on both sides (compared), and only on one side (not compared). */
  pods: { compared: number; onlyOld: number; onlyNew: number };
  /** Port/protocol combinations probed on both sides. */
  ports: string[];
  connections: number;
  opened: number;
  closed: number;
  namespacePairs: DiffPairSummary[];
}

interface Alignment {
  /** For each compared pod (new side's order): its index on the old and the new side. */
  pods: [number, number][];
  /** For each compared key: its index on the old and the new side. */
  keys: [number, number][];
}

function align(a: ClassEvaluation, b: ClassEvaluation): Alignment {
  const oldIndex = new Map(a.model.pods.map((p, i) => [p.id, i]));
  const pods: [number, number][] = [];
  b.model.pods.forEach((p, j) => {
    const i = oldIndex.get(p.id);
    if (i !== undefined) pods.push([i, j]);
  });
  const keys: [number, number][] = [];
  b.keys.forEach((k, j) => {
    const i = a.keys.findIndex((x) => x.port === k.port && x.protocol === k.protocol);
    if (i >= 0) keys.push([i, j]);
  });
  return { pods, keys };
}

/** Every change, ordered by port key, source, destination (the new side's pod order). */
export function* policyChanges(a: ClassEvaluation, b: ClassEvaluation): Generator<PolicyChange> {
  const { pods, keys } = align(a, b);
  const ca = a.podClasses.classOf;
  const cb = b.podClasses.classOf;
  for (const [ka, kb] of keys) {
    const key = b.keys[kb]!;
    for (const [fa, fb] of pods) {
      for (const [ta, tb] of pods) {
        // A pod reaches itself whatever the policies say: nothing to open or close.
        if (fb === tb) continue;
        if (!a.probed(ka, ca[ta]!) || !b.probed(kb, cb[tb]!)) continue;
        const before = a.policyAllowed(ca[fa]!, ca[ta]!, ka);
        const after = b.policyAllowed(cb[fb]!, cb[tb]!, kb);
        if (before === after) continue;
        yield {
          change: after ? 'opened' : 'closed',
          from: b.model.pods[fb]!.id,
          to: b.model.pods[tb]!.id,
          port: key.port,
          protocol: key.protocol,
          at: { old: [fa, ta, ka], new: [fb, tb, kb] },
        };
      }
    }
  }
}

export function summarizeDiff(a: ClassEvaluation, b: ClassEvaluation): DiffSummary {
  const { pods, keys } = align(a, b);
  const namespaces = [...new Set(pods.map(([, j]) => b.model.pods[j]!.namespace))];
  const nsIndex = new Map(namespaces.map((n, i) => [n, i]));
  const counts = namespaces.flatMap(() => namespaces.map(() => ({ opened: 0, closed: 0 })));
  let connections = 0;
  for (const [ka, kb] of keys) {
    for (const [ta, tb] of pods) {
      if (a.probed(ka, a.podClasses.classOf[ta]!) && b.probed(kb, b.podClasses.classOf[tb]!)) {
        connections += pods.length;
      }
    }
  }
  for (const c of policyChanges(a, b)) {
    const f = nsIndex.get(c.from.slice(0, c.from.indexOf('/')))!;
    const t = nsIndex.get(c.to.slice(0, c.to.indexOf('/')))!;
    counts[f * namespaces.length + t]![c.change]++;
  }
  const namespacePairs: DiffPairSummary[] = [];
  namespaces.forEach((from, f) =>
    namespaces.forEach((to, t) => {
      const n = counts[f * namespaces.length + t]!;
      if (n.opened + n.closed > 0) namespacePairs.push({ from, to, ...n });
    }),
  );
  return {
    pods: {
      compared: pods.length,
      onlyOld: a.model.pods.length - pods.length,
      onlyNew: b.model.pods.length - pods.length,
    },
    ports: keys.map(([, kb]) => portKeyText(b.keys[kb]!)),
    connections,
    opened: namespacePairs.reduce((n, p) => n + p.opened, 0),
    closed: namespacePairs.reduce((n, p) => n + p.closed, 0),
    namespacePairs,
  };
}
