/**
 * Pod equivalence classes, pure. Two pods that share their namespace, labels and declared ports,
 * and match the same ipBlocks of the policies, are indistinguishable to NetworkPolicy: every
 * selector, peer, named port and ipBlock treats them alike, so every verdict from or to one is
 * the verdict from or to the other (self pairs aside, which the caller marks). The address only
 * counts through the ipBlocks it falls in, so pods with different addresses share a class when
 * no ipBlock tells them apart.
 */
import { bitsetAdd, createBitset, type Bitset } from './bitset.js';
import { cidrRange, type Cidr } from './ip.js';
import type { ClusterModel, ModelPod } from './model.js';
import type { IpBlock, NetworkPolicy } from './network-policy.js';

/** Pods that every policy treats alike. */
export interface PodClass {
  index: number;
  /** The first pod of the class in model order; stands for all of them. */
  representative: ModelPod;
  /** Model indices of the pods of the class, ascending. */
  pods: number[];
}

/** The partition of a model's pods into classes. */
export interface PodClasses {
  classes: PodClass[];
  /** The class index of each model pod, in model order. */
  classOf: Int32Array;
  /** The classes whose pods an ipBlock matches (a class matches all or none). */
  ipBlockClasses(block: IpBlock): Bitset;
}

function cidrKey(c: Cidr): string {
  return `${c.family}:${c.base}/${c.prefix}`;
}

/** Equal for ipBlocks matching the same addresses as written (order of `except` aside). */
export function ipBlockKey(b: IpBlock): string {
  return [cidrKey(b.cidr), ...b.except.map(cidrKey).sort()].join(' ');
}

interface BlockRanges {
  family: number;
  ranges: [bigint, bigint][];
}

function blockRanges(b: IpBlock): BlockRanges {
  return { family: b.cidr.family, ranges: [b.cidr, ...b.except].map(cidrRange) };
}

function blockMatches(r: BlockRanges, family: number, value: bigint): boolean {
  if (family !== r.family) return false;
  const [inside, ...except] = r.ranges;
  if (value < inside![0] || value > inside![1]) return false;
  return !except.some(([lo, hi]) => value >= lo && value <= hi);
}

/** Every distinct ipBlock of the policies, in first-seen order. */
function distinctIpBlocks(policies: readonly NetworkPolicy[]): Map<string, IpBlock> {
  const out = new Map<string, IpBlock>();
  for (const p of policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) {
        if (peer.kind === 'ipBlock') {
          const key = ipBlockKey(peer.ipBlock);
          if (!out.has(key)) out.set(key, peer.ipBlock);
        }
      }
    }
  }
  return out;
}

function podKey(pod: ModelPod, ipSignature: string): string {
  const labels = Object.keys(pod.labels)
    .sort()
    .map((k) => `${k}=${pod.labels[k]}`)
    .join('\u0001');
  const ports = pod.ports
    .map((p) => `${p.name ?? ''}/${p.port}/${p.protocol}`)
    .sort()
    .join('\u0001');
  return `${pod.namespace}\u0000${labels}\u0000${ports}\u0000${ipSignature}`;
}

export function classifyPods(model: ClusterModel, policies: readonly NetworkPolicy[]): PodClasses {
  const blocks = [...distinctIpBlocks(policies).entries()];
  const ranges = blocks.map(([, b]) => blockRanges(b));
  const podBlocks: number[][] = model.pods.map((pod) => {
    if (pod.ip === undefined || ranges.length === 0) return [];
    const value = BigInt(pod.ip.value);
    const family = pod.ip.family;
    const hits: number[] = [];
    ranges.forEach((r, i) => {
      if (blockMatches(r, family, value)) hits.push(i);
    });
    return hits;
  });

  const byKey = new Map<string, PodClass>();
  const classes: PodClass[] = [];
  const classOf = new Int32Array(model.pods.length);
  model.pods.forEach((pod, i) => {
    const key = podKey(pod, podBlocks[i]!.join(','));
    let c = byKey.get(key);
    if (c === undefined) {
      c = { index: classes.length, representative: pod, pods: [] };
      byKey.set(key, c);
      classes.push(c);
    }
    c.pods.push(i);
    classOf[i] = c.index;
  });

  const blockClasses = blocks.map(() => createBitset(classes.length));
  classes.forEach((c) => {
    for (const b of podBlocks[c.pods[0]!]!) bitsetAdd(blockClasses[b]!, c.index);
  });
  const blockIndex = new Map(blocks.map(([key], i) => [key, i]));
  return {
    classes,
    classOf,
    ipBlockClasses(block) {
      const i = blockIndex.get(ipBlockKey(block));
      if (i === undefined) throw new Error(`ipBlock ${block.cidr.text} is not in the policies`);
      return blockClasses[i]!;
    },
  };
}
