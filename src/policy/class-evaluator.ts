/**
 * The NetworkPolicy evaluator for whole clusters, pure. It decides the same thing as the
 * pairwise evaluator (`evaluate.ts`, which stays the reference) but per pod class instead of
 * per pod, and per class set instead of per class pair:
 * - pods are grouped into classes that every policy treats alike (`pod-classes.ts`);
 * - each policy's podSelector is answered once as the set of classes it selects, which indexes
 *   the policies by the classes they isolate;
 * - for each destination class and port, the sources its ingress rules allow are one set (the
 *   union of its rules' peer sets, for the rules whose ports match it); for each source class
 *   and port, the destinations its egress rules allow are one set (peer set ∩ the classes
 *   whose ports the rule matches — named ports resolve on each destination);
 * - equal isolating policy lists share those sets, so memory follows the distinct lists, at
 *   most two sets of classes per class and port.
 * A connection is then two bit tests; pairs of pods appear only when the caller expands them.
 * Full verdicts (every allowing rule, near misses) come from the same rule walk as the pairwise
 * evaluator, with peers looked up in the class sets.
 */
import {
  bitsetAdd,
  bitsetAnd,
  bitsetHas,
  bitsetMembers,
  bitsetOr,
  createBitset,
  fullBitset,
  type Bitset,
} from './bitset.js';
import { createClassSelectors, type ClassSelectors } from './class-selectors.js';
import {
  combineSides,
  decideDirection,
  portsMatch,
  type DirectionDecision,
  type Probe,
  type Verdict,
} from './evaluate.js';
import type { ClusterModel } from './model.js';
import type { NetworkPolicy, PolicyDirection, PolicyRule } from './network-policy.js';
import { classifyPods, type PodClasses } from './pod-classes.js';
import { probedPortKeys, type PortKey, type ProbeSelection } from './probes.js';

/** One decided connection, by model pod index and port key index. */
export interface Outcome {
  from: number;
  to: number;
  key: number;
  allowed: boolean;
  self: boolean;
}

/** Every verdict of a model under a policy set, held per class. */
export interface ClassEvaluation {
  model: ClusterModel;
  policies: readonly NetworkPolicy[];
  podClasses: PodClasses;
  /** The probed port/protocol combinations, in table order. */
  keys: PortKey[];
  /** Is a destination of class `toClass` probed on `keys[key]`? */
  probed(key: number, toClass: number): boolean;
  /** What the policies alone decide from class to class on `keys[key]`. */
  policyAllowed(fromClass: number, toClass: number, key: number): boolean;
  /** Indices (into `policies`) of the policies isolating a class for a direction, in order. */
  isolating(cls: number, direction: PolicyDirection): readonly number[];
  /**
   * The peers a class allows on `keys[key]` for a direction (sources for ingress, destinations
   * for egress), or undefined when no policy isolates it. Do not modify.
   */
  row(direction: PolicyDirection, cls: number, key: number): Bitset | undefined;
  /** The peers one rule of `policies[policy]` allows when it applies to class `cls`. Do not modify. */
  ruleAllows(
    policy: number,
    direction: PolicyDirection,
    rule: number,
    cls: number,
    key: number,
  ): Bitset;
  /** The classes of a namespace's pods. Do not modify. */
  inNamespace(namespace: string): Bitset;
  /** The full verdict of one probe, equal to the pairwise evaluator's. */
  verdict(fromPod: number, toPod: number, key: number): Verdict;
  /** Every probe's outcome, ordered by port key, source, destination (model order). */
  outcomes(): Generator<Outcome>;
}

/** Allowed peers of one side: a set of classes, or undefined when the side is not isolated. */
type Row = Bitset | undefined;

function isolationLists(
  policies: readonly NetworkPolicy[],
  sel: ClassSelectors,
): Record<PolicyDirection, number[][]> {
  const lists = {
    ingress: Array.from({ length: sel.size }, (): number[] => []),
    egress: Array.from({ length: sel.size }, (): number[] => []),
  };
  policies.forEach((p, i) => {
    if (!p.policyTypes.ingress && !p.policyTypes.egress) return;
    const selected = sel.podsSelected(p.podSelector, p.namespace);
    for (const c of bitsetMembers(selected)) {
      if (p.policyTypes.ingress) lists.ingress[c]!.push(i);
      if (p.policyTypes.egress) lists.egress[c]!.push(i);
    }
  });
  return lists;
}

/** Sets of classes declaring a named port with a given protocol and number. */
function namedPortIndex(pc: PodClasses): (name: string, key: PortKey) => Bitset {
  const cache = new Map<string, Bitset>();
  return (name, key) => {
    const id = `${name}/${key.protocol}/${key.port}`;
    let b = cache.get(id);
    if (b === undefined) {
      b = createBitset(pc.classes.length);
      for (const c of pc.classes) {
        const declares = c.representative.ports.some(
          (p) => p.name === name && p.protocol === key.protocol && p.port === key.port,
        );
        if (declares) bitsetAdd(b, c.index);
      }
      cache.set(id, b);
    }
    return b;
  };
}

export function evaluateByClass(
  model: ClusterModel,
  policies: readonly NetworkPolicy[],
  selection: ProbeSelection,
): ClassEvaluation {
  const podClasses = classifyPods(model, policies);
  const { classes, classOf } = podClasses;
  const sel = createClassSelectors(model, podClasses);
  const size = classes.length;
  const empty = createBitset(size);
  const keys = probedPortKeys(model, selection);
  const lists = isolationLists(policies, sel);
  const named = namedPortIndex(podClasses);

  const peersOf = new Map<PolicyRule, Bitset>();
  const rulePeers = (r: PolicyRule, p: NetworkPolicy): Bitset => {
    let b = peersOf.get(r);
    if (b === undefined) {
      if (r.peers.length === 0) b = sel.all;
      else {
        b = createBitset(size);
        for (const peer of r.peers) bitsetOr(b, sel.peer(peer, p.namespace));
      }
      peersOf.set(r, b);
    }
    return b;
  };

  /** Destinations whose ports an egress rule matches on `key` (named ports per destination). */
  const ruleDestinations = (r: PolicyRule, key: PortKey): Bitset => {
    if (r.ports.length === 0) return sel.all;
    const out = createBitset(size);
    for (const pp of r.ports) {
      if (pp.protocol !== key.protocol) continue;
      if (typeof pp.port === 'string') bitsetOr(out, named(pp.port, key));
      else if (pp.port === undefined) return sel.all;
      else if (
        pp.endPort === undefined
          ? key.port === pp.port
          : key.port >= pp.port && key.port <= pp.endPort
      ) {
        return sel.all;
      }
    }
    return out;
  };

  /**
   * The peers one rule of a policy isolating class `cls` allows on `key`: for ingress, its
   * peers if its ports match `cls` (the destination); for egress, its peers among the
   * destinations whose ports it matches. A new set unless it is `sel.all`.
   */
  const ruleAllows = (
    r: PolicyRule,
    p: NetworkPolicy,
    direction: PolicyDirection,
    cls: number,
    key: PortKey,
  ): Bitset => {
    if (direction === 'ingress') {
      const to = classes[cls]!.representative;
      return portsMatch(r.ports, { from: to, to, ...key }) ? rulePeers(r, p) : empty;
    }
    const destinations = ruleDestinations(r, key);
    if (destinations === sel.all) return rulePeers(r, p);
    bitsetAnd(destinations, rulePeers(r, p));
    return destinations;
  };

  const row = (direction: PolicyDirection, cls: number, key: PortKey): Row => {
    const isolating = lists[direction][cls]!;
    if (isolating.length === 0) return undefined;
    const out = createBitset(size);
    for (const i of isolating) {
      const p = policies[i]!;
      for (const r of direction === 'ingress' ? p.ingress : p.egress) {
        bitsetOr(out, ruleAllows(r, p, direction, cls, key));
      }
    }
    return out;
  };

  // Rows depend only on the isolating list (and, for ingress, the destination's ports), so
  // classes sharing them share one set.
  const rows = (direction: PolicyDirection, portsKey: (cls: number) => string): Row[][] =>
    keys.map((key) => {
      const shared = new Map<string, Row>();
      return classes.map((c) => {
        const id = `${lists[direction][c.index]!.join(',')}|${portsKey(c.index)}`;
        if (!shared.has(id)) shared.set(id, row(direction, c.index, key));
        return shared.get(id);
      });
    });
  const portsText = (cls: number): string => JSON.stringify(classes[cls]!.representative.ports);
  const ingressRows = rows('ingress', portsText);
  const egressRows = rows('egress', () => '');

  const declared = keys.map((key) => {
    if (selection.ports !== undefined) return fullBitset(size);
    const b = createBitset(size);
    for (const c of classes) {
      if (c.representative.ports.some((p) => p.port === key.port && p.protocol === key.protocol))
        bitsetAdd(b, c.index);
    }
    return b;
  });

  const policyAllowed = (from: number, to: number, key: number): boolean => {
    const e = egressRows[key]![from];
    if (e !== undefined && !bitsetHas(e, to)) return false;
    const i = ingressRows[key]![to];
    return i === undefined || bitsetHas(i, from);
  };

  const decide = (
    self: number,
    other: number,
    direction: PolicyDirection,
    probe: Probe,
  ): DirectionDecision =>
    decideDirection(
      probe,
      direction,
      lists[direction][classOf[self]!]!.map((i) => policies[i]!),
      (peer, policy) => bitsetHas(sel.peer(peer, policy.namespace), classOf[other]!),
    );

  return {
    model,
    policies,
    podClasses,
    keys,
    probed: (key, toClass) => bitsetHas(declared[key]!, toClass),
    policyAllowed,
    isolating: (cls, direction) => lists[direction][cls]!,
    row: (direction, cls, key) => (direction === 'ingress' ? ingressRows : egressRows)[key]![cls],
    ruleAllows: (policy, direction, rule, cls, key) => {
      const p = policies[policy]!;
      const r = (direction === 'ingress' ? p.ingress : p.egress)[rule]!;
      return ruleAllows(r, p, direction, cls, keys[key]!);
    },
    inNamespace: (namespace) => sel.inNamespace(namespace),
    verdict(fromPod, toPod, key) {
      const probe = {
        from: model.pods[fromPod]!,
        to: model.pods[toPod]!,
        ...keys[key]!,
      };
      return combineSides(
        probe,
        decide(fromPod, toPod, 'egress', probe),
        decide(toPod, fromPod, 'ingress', probe),
      );
    },
    *outcomes() {
      const n = model.pods.length;
      for (let key = 0; key < keys.length; key++) {
        for (let from = 0; from < n; from++) {
          const fc = classOf[from]!;
          for (let to = 0; to < n; to++) {
            const tc = classOf[to]!;
            if (!bitsetHas(declared[key]!, tc)) continue;
            const self = from === to;
            yield { from, to, key, self, allowed: self || policyAllowed(fc, tc, key) };
          }
        }
      }
    },
  };
}
