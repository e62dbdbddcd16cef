/**
 * What a cluster's policies do, in a page, pure: per namespace pair, how many connections are
 * allowed and denied and by which policies, and which pods no policy isolates. Computed from the
 * class evaluation with set operations per class, never per pair of pods, so it costs the same
 * at 10 000 pods as the evaluation itself.
 */
import {
  bitsetAdd,
  bitsetAnd,
  bitsetHas,
  bitsetIntersects,
  createBitset,
  type Bitset,
} from './bitset.js';
import type { ClassEvaluation } from './class-evaluator.js';
import { policyId, type PolicyDirection } from './network-policy.js';
import { portKeyText } from './probes.js';

/** Connections from the pods of one namespace to those of another (or the same). */
export interface NamespacePairSummary {
  from: string;
  to: string;
  connections: number;
  allowed: number;
  denied: number;
  /** Policies with a rule that allows at least one of the allowed connections. */
  allowedBy: string[];
  /** Policies isolating a side (egress of `from`, ingress of `to`) of a denied connection. */
  deniedBy: string[];
}

/** The summary printed before any verdict. */
export interface EvaluationSummary {
  pods: number;
  /** Pod classes: pods every policy treats alike (the evaluator's unit of work). */
  classes: number;
  policies: number;
  ports: string[];
  connections: number;
  allowed: number;
  denied: number;
  /** Pods isolated for ingress / for egress by at least one policy. */
  isolated: { ingress: number; egress: number };
  /** Pods no policy isolates in either direction: every connection to and from them is open. */
  unisolated: string[];
  /** Namespace pairs with at least one connection, in namespace order. */
  namespacePairs: NamespacePairSummary[];
}

interface PairAccumulator {
  connections: number;
  allowed: number;
  allowedBy: Set<number>;
  deniedBy: Set<number>;
}

export function summarize(ev: ClassEvaluation): EvaluationSummary {
  const { model, podClasses, keys, policies } = ev;
  const { classes } = podClasses;
  const size = classes.length;
  const namespaces = [...new Set(model.pods.map((p) => p.namespace))];
  const nsOf = Int32Array.from(classes, (c) => namespaces.indexOf(c.representative.namespace));
  const nsSets = namespaces.map((n) => ev.inNamespace(n));
  const podsIn = (c: number): number => classes[c]!.pods.length;
  const pairs: PairAccumulator[] = namespaces.flatMap(() =>
    namespaces.map(() => ({
      connections: 0,
      allowed: 0,
      allowedBy: new Set<number>(),
      deniedBy: new Set<number>(),
    })),
  );
  const pair = (from: number, to: number): PairAccumulator => pairs[from * namespaces.length + to]!;

  for (let key = 0; key < keys.length; key++) {
    const probed = createBitset(size);
    for (let c = 0; c < size; c++) if (ev.probed(key, c)) bitsetAdd(probed, c);
    countConnections(ev, key, probed, nsOf, pair);
    for (let c = 0; c < size; c++) {
      for (const direction of ['ingress', 'egress'] as const) {
        const row = ev.row(direction, c, key);
        if (row === undefined) continue;
        if (direction === 'ingress' && !bitsetHas(probed, c)) continue;
        const allowedPeers = createBitset(size);
        const deniedPeers = createBitset(size);
        for (let o = 0; o < size; o++) {
          if (direction === 'egress' && !bitsetHas(probed, o)) continue;
          // A class of one pod is that pod: its connection to itself is always allowed.
          if (o === c && podsIn(c) === 1) continue;
          const allowed =
            direction === 'ingress' ? ev.policyAllowed(o, c, key) : ev.policyAllowed(c, o, key);
          if (allowed) bitsetAdd(allowedPeers, o);
          if (!bitsetHas(row, o)) bitsetAdd(deniedPeers, o);
        }
        attribute(ev, { direction, cls: c, key, allowedPeers, deniedPeers, nsSets, nsOf, pair });
      }
    }
  }

  const unisolated = classes
    .filter(
      (c) => ev.isolating(c.index, 'ingress').length + ev.isolating(c.index, 'egress').length === 0,
    )
    .flatMap((c) => c.pods)
    .sort((a, b) => a - b)
    .map((i) => model.pods[i]!.id);
  const isolatedPods = (d: PolicyDirection): number =>
    classes
      .filter((c) => ev.isolating(c.index, d).length > 0)
      .reduce((n, c) => n + c.pods.length, 0);
  const namespacePairs: NamespacePairSummary[] = [];
  namespaces.forEach((from, f) =>
    namespaces.forEach((to, t) => {
      const a = pair(f, t);
      if (a.connections === 0) return;
      const names = (s: Set<number>): string[] =>
        [...s].sort((x, y) => x - y).map((i) => policyId(policies[i]!));
      namespacePairs.push({
        from,
        to,
        connections: a.connections,
        allowed: a.allowed,
        denied: a.connections - a.allowed,
        allowedBy: names(a.allowedBy),
        deniedBy: names(a.deniedBy),
      });
    }),
  );
  const connections = namespacePairs.reduce((n, p) => n + p.connections, 0);
  const allowed = namespacePairs.reduce((n, p) => n + p.allowed, 0);
  return {
    pods: model.pods.length,
    classes: size,
    policies: policies.length,
    ports: keys.map(portKeyText),
    connections,
    allowed,
    denied: connections - allowed,
    isolated: { ingress: isolatedPods('ingress'), egress: isolatedPods('egress') },
    unisolated,
    namespacePairs,
  };
}

/** Adds the connections of one port key to their namespace pairs, class pair by class pair. */
function countConnections(
  ev: ClassEvaluation,
  key: number,
  probed: Bitset,
  nsOf: Int32Array,
  pair: (from: number, to: number) => PairAccumulator,
): void {
  const { classes } = ev.podClasses;
  for (let f = 0; f < classes.length; f++) {
    const fromPods = classes[f]!.pods.length;
    for (let t = 0; t < classes.length; t++) {
      if (!bitsetHas(probed, t)) continue;
      const toPods = classes[t]!.pods.length;
      // Self pairs are allowed whatever the policies say; the others as the classes decide.
      const self = f === t ? toPods : 0;
      const others = fromPods * toPods - self;
      const a = pair(nsOf[f]!, nsOf[t]!);
      a.connections += others + self;
      a.allowed += self + (ev.policyAllowed(f, t, key) ? others : 0);
    }
  }
}

interface Attribution {
  direction: PolicyDirection;
  cls: number;
  key: number;
  /** Peers of `cls` with an allowed connection (both sides allow it). */
  allowedPeers: Bitset;
  /** Peers whose connection this side denies. */
  deniedPeers: Bitset;
  nsSets: Bitset[];
  nsOf: Int32Array;
  pair: (from: number, to: number) => PairAccumulator;
}

/** Credits the policies isolating one side of a class with the connections they decide. */
function attribute(ev: ClassEvaluation, a: Attribution): void {
  const isolating = ev.isolating(a.cls, a.direction);
  const here = a.nsOf[a.cls]!;
  a.nsSets.forEach((peers, there) => {
    const acc = a.direction === 'ingress' ? a.pair(there, here) : a.pair(here, there);
    if (bitsetIntersects(a.deniedPeers, peers)) for (const p of isolating) acc.deniedBy.add(p);
    const allowedThere = a.allowedPeers.slice();
    bitsetAnd(allowedThere, peers);
    for (const p of isolating) {
      if (acc.allowedBy.has(p)) continue;
      const policy = ev.policies[p]!;
      const rules = a.direction === 'ingress' ? policy.ingress : policy.egress;
      const allows = rules.some((_, r) =>
        bitsetIntersects(ev.ruleAllows(p, a.direction, r, a.cls, a.key), allowedThere),
      );
      if (allows) acc.allowedBy.add(p);
    }
  });
}
