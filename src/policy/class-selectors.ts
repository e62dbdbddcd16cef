/**
 * Label selectors and peers answered for all pod classes at once, pure. An inverted index
 * (label key → classes having it; key=value → classes with that value) turns each selector
 * requirement into a few word-wide set operations instead of one label lookup per pod, and
 * equal selectors and peers are answered once.
 */
import {
  bitsetAdd,
  bitsetAnd,
  bitsetAndNot,
  bitsetOr,
  createBitset,
  fullBitset,
  type Bitset,
} from './bitset.js';
import { matchesSelector, type LabelSelector } from './label-selector.js';
import type { ClusterModel } from './model.js';
import type { PolicyPeer } from './network-policy.js';
import type { PodClasses } from './pod-classes.js';

/** Class sets of selectors and peers over one model's pod classes. */
export interface ClassSelectors {
  size: number;
  all: Bitset;
  /** Classes of the pods of a namespace (empty for an unknown namespace). */
  inNamespace(namespace: string): Bitset;
  /** Classes of the pods of `namespace` that `selector` selects (a policy's podSelector). */
  podsSelected(selector: LabelSelector, namespace: string): Bitset;
  /** Classes whose pods match a peer of a policy in `policyNamespace`. Do not modify. */
  peer(peer: PolicyPeer, policyNamespace: string): Bitset;
}

export function createClassSelectors(model: ClusterModel, pc: PodClasses): ClassSelectors {
  const size = pc.classes.length;
  const all = fullBitset(size);
  const empty = createBitset(size);
  const withKey = new Map<string, Bitset>();
  const withValue = new Map<string, Map<string, Bitset>>();
  const namespaces = new Map<string, Bitset>();
  for (const c of pc.classes) {
    const pod = c.representative;
    let ns = namespaces.get(pod.namespace);
    if (ns === undefined) namespaces.set(pod.namespace, (ns = createBitset(size)));
    bitsetAdd(ns, c.index);
    for (const [k, v] of Object.entries(pod.labels)) {
      let key = withKey.get(k);
      if (key === undefined) withKey.set(k, (key = createBitset(size)));
      bitsetAdd(key, c.index);
      let values = withValue.get(k);
      if (values === undefined) withValue.set(k, (values = new Map<string, Bitset>()));
      let value = values.get(v);
      if (value === undefined) values.set(v, (value = createBitset(size)));
      bitsetAdd(value, c.index);
    }
  }
  const inNamespace = (ns: string): Bitset => namespaces.get(ns) ?? empty;
  const valueSet = (k: string, v: string): Bitset => withValue.get(k)?.get(v) ?? empty;
  const anyValue = (k: string, values: readonly string[]): Bitset => {
    const out = createBitset(size);
    for (const v of values) bitsetOr(out, valueSet(k, v));
    return out;
  };

  /** Classes (of any namespace) whose labels match; a copy the caller may modify. */
  const labelsMatching = (s: LabelSelector): Bitset => {
    const out = all.slice();
    for (const [k, v] of Object.entries(s.matchLabels)) bitsetAnd(out, valueSet(k, v));
    for (const r of s.matchExpressions) {
      const key = withKey.get(r.key) ?? empty;
      switch (r.operator) {
        case 'In':
          bitsetAnd(out, anyValue(r.key, r.values));
          break;
        case 'NotIn':
          // A pod without the key is "not in" any set of values.
          bitsetAndNot(out, anyValue(r.key, r.values));
          break;
        case 'Exists':
          bitsetAnd(out, key);
          break;
        case 'DoesNotExist':
          bitsetAndNot(out, key);
          break;
      }
    }
    return out;
  };

  const namespacesMatching = (s: LabelSelector): Bitset => {
    const out = createBitset(size);
    for (const n of model.namespaces) {
      if (matchesSelector(s, n.labels)) bitsetOr(out, inNamespace(n.name));
    }
    return out;
  };

  const cache = new Map<string, Bitset>();
  const byPeer = new WeakMap<PolicyPeer, { namespace: string; classes: Bitset }>();
  const cached = (key: string, compute: () => Bitset): Bitset => {
    let b = cache.get(key);
    if (b === undefined) cache.set(key, (b = compute()));
    return b;
  };

  return {
    size,
    all,
    inNamespace,
    podsSelected: (selector, namespace) =>
      cached(`pods\u0000${namespace}\u0000${JSON.stringify(selector)}`, () => {
        const out = labelsMatching(selector);
        bitsetAnd(out, inNamespace(namespace));
        return out;
      }),
    peer: (peer, policyNamespace) => {
      // The same peer object is asked about for every pair it decides: answer by identity
      // first, and by structure (equal peers of different policies) once per peer.
      const known = byPeer.get(peer);
      if (known !== undefined && known.namespace === policyNamespace) return known.classes;
      const classes = peerClasses(peer, policyNamespace);
      byPeer.set(peer, { namespace: policyNamespace, classes });
      return classes;
    },
  };

  function peerClasses(peer: PolicyPeer, policyNamespace: string): Bitset {
    if (peer.kind === 'ipBlock') return pc.ipBlockClasses(peer.ipBlock);
    const where = peer.namespaceSelector === undefined ? `=${policyNamespace}` : '';
    return cached(`peer\u0000${where}\u0000${JSON.stringify(peer)}`, () => {
      const out = peer.podSelector === undefined ? all.slice() : labelsMatching(peer.podSelector);
      bitsetAnd(
        out,
        peer.namespaceSelector === undefined
          ? inNamespace(policyNamespace)
          : namespacesMatching(peer.namespaceSelector),
      );
      return out;
    });
  }
}
