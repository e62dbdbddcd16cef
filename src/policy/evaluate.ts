/**
 * The NetworkPolicy evaluator, pure: for a connection from one model pod to another on a port
 * and protocol, decides whether networking.k8s.io/v1 semantics allow it, and records why.
 *
 * The rules, each from the API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/) and
 * the concept page (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - A pod is isolated for a direction only when some policy in its namespace selects it
 *   (spec.podSelector) and lists that direction in policyTypes (defaulted at parse time).
 *   A pod no policy isolates allows everything in that direction.
 * - An isolated pod allows what at least one rule of at least one of those policies allows;
 *   policies only add allowances (the union), there is no deny rule and no order.
 * - A rule matches when its ports match (empty = every port) AND its peers match (empty = every
 *   peer). Peers in one list are ORed; podSelector and namespaceSelector inside one peer are
 *   ANDed.
 * - Ports: protocol defaults to TCP; `port` absent matches every port of the protocol; endPort
 *   makes a range; a named port matches when the destination pod declares a port of that name
 *   AND that protocol with the probed number.
 * - ipBlock matches by address, pod addresses included, minus `except`.
 * - A connection is allowed only if the source's egress AND the destination's ingress allow it.
 * - A pod cannot block access to itself: traffic from a pod to its own address never leaves its
 *   network namespace, so self pairs are allowed whatever policies say (and marked).
 */
import { cidrContains, type IpAddress } from './ip.js';
import { formatSelector, matchesSelector, type Labels } from './label-selector.js';
import type { ClusterModel, ModelPod } from './model.js';
import {
  formatPort,
  policyId,
  type IpBlock,
  type NetworkPolicy,
  type PolicyDirection,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type Protocol,
} from './network-policy.js';

/** One connection to decide: `from` opens it to `to` on `port`/`protocol`. */
export interface Probe {
  from: ModelPod;
  to: ModelPod;
  port: number;
  protocol: Protocol;
}

/** A rule of a policy: `x/allow-b ingress[0]`. */
export interface RuleRef {
  policy: string;
  direction: PolicyDirection;
  index: number;
}

/** A rule of an isolating policy that matched one half of the connection but not the other. */
export interface NearMiss {
  rule: RuleRef;
  /** What did not match. */
  missing: 'peer' | 'port';
  /** What the rule allows instead, e.g. `TCP/80` or `pods pod=b in x`. */
  allows: string;
}

/** The decision of one side: the source's egress or the destination's ingress. */
export interface DirectionDecision {
  direction: PolicyDirection;
  /** The pod whose policies decide this side. */
  pod: string;
  /** Policies selecting the pod for this direction; empty = not isolated. */
  isolatedBy: string[];
  /** Rules that allow the connection (all of them, not only the first). */
  allowedBy: RuleRef[];
  allowed: boolean;
  nearMisses: NearMiss[];
}

export interface Verdict {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  /** The outcome: policyAllowed, or true for a pod talking to itself. */
  allowed: boolean;
  self: boolean;
  /** What the policies alone decide (for self pairs this can differ from `allowed`). */
  policyAllowed: boolean;
  egress: DirectionDecision;
  ingress: DirectionDecision;
}

export interface Evaluator {
  evaluate(probe: Probe): Verdict;
  /** Policies that isolate `pod` for `direction` (same-namespace, podSelector matches). */
  isolating(pod: ModelPod, direction: PolicyDirection): NetworkPolicy[];
}

export function refText(r: RuleRef): string {
  return `${r.policy} ${r.direction}[${r.index}]`;
}

export function createEvaluator(
  model: ClusterModel,
  policies: readonly NetworkPolicy[],
): Evaluator {
  const namespaceLabels = new Map<string, Labels>(model.namespaces.map((n) => [n.name, n.labels]));
  const byNamespace = new Map<string, NetworkPolicy[]>();
  for (const p of policies) {
    const list = byNamespace.get(p.namespace) ?? [];
    list.push(p);
    byNamespace.set(p.namespace, list);
  }

  const isolating = (pod: ModelPod, direction: PolicyDirection): NetworkPolicy[] =>
    (byNamespace.get(pod.namespace) ?? []).filter(
      (p) =>
        (direction === 'ingress' ? p.policyTypes.ingress : p.policyTypes.egress) &&
        matchesSelector(p.podSelector, pod.labels),
    );

  const peerMatches = (peer: PolicyPeer, policyNamespace: string, other: ModelPod): boolean => {
    if (peer.kind === 'ipBlock') return ipBlockMatches(peer.ipBlock, other.ip);
    const namespaceOk =
      peer.namespaceSelector === undefined
        ? other.namespace === policyNamespace
        : matchesSelector(peer.namespaceSelector, namespaceLabels.get(other.namespace) ?? {});
    const podOk = peer.podSelector === undefined || matchesSelector(peer.podSelector, other.labels);
    return namespaceOk && podOk;
  };

  const decide = (probe: Probe, direction: PolicyDirection): DirectionDecision => {
    const self = direction === 'egress' ? probe.from : probe.to;
    const other = direction === 'egress' ? probe.to : probe.from;
    return decideDirection(probe, direction, isolating(self, direction), (peer, policy) =>
      peerMatches(peer, policy.namespace, other),
    );
  };

  return {
    isolating,
    evaluate: (probe) => combineSides(probe, decide(probe, 'egress'), decide(probe, 'ingress')),
  };
}

/** An ipBlock matches an address in `cidr` and in none of `except`; no address, no match. */
export function ipBlockMatches(block: IpBlock, ip: IpAddress | undefined): boolean {
  return (
    ip !== undefined &&
    cidrContains(block.cidr, ip) &&
    !block.except.some((e) => cidrContains(e, ip))
  );
}

/**
 * One side of a connection (the source's egress or the destination's ingress) under the
 * policies isolating that side's pod, in their order: every allowing rule and every near miss.
 * `peerMatches` says whether a peer of a policy matches the other end; the pairwise evaluator
 * checks selectors, the class evaluator looks the answer up.
 */
export function decideDirection(
  probe: Probe,
  direction: PolicyDirection,
  policiesHere: readonly NetworkPolicy[],
  peerMatches: (peer: PolicyPeer, policy: NetworkPolicy) => boolean,
): DirectionDecision {
  const self = direction === 'egress' ? probe.from : probe.to;
  const allowedBy: RuleRef[] = [];
  const nearMisses: NearMiss[] = [];
  for (const p of policiesHere) {
    const rules = direction === 'ingress' ? p.ingress : p.egress;
    rules.forEach((r, index) => {
      const ref: RuleRef = { policy: policyId(p), direction, index };
      // Ports are always about the destination: its named ports, its port number.
      const portOk = portsMatch(r.ports, probe);
      const peerOk = r.peers.length === 0 || r.peers.some((x) => peerMatches(x, p));
      if (portOk && peerOk) allowedBy.push(ref);
      else if (portOk !== peerOk) {
        nearMisses.push({
          rule: ref,
          missing: portOk ? 'peer' : 'port',
          allows: portOk ? describePeersOnce(r, p.namespace) : describePortsOnce(r.ports),
        });
      }
    });
  }
  return {
    direction,
    pod: self.id,
    isolatedBy: policiesHere.map(policyId),
    allowedBy,
    allowed: policiesHere.length === 0 || allowedBy.length > 0,
    nearMisses,
  };
}

/**
 * The verdict of a probe from its two sides. A pod cannot block access to itself, so a self
 * pair is allowed whatever its policies say.
 */
export function combineSides(
  probe: Probe,
  egress: DirectionDecision,
  ingress: DirectionDecision,
): Verdict {
  const self = probe.from.id === probe.to.id;
  const policyAllowed = egress.allowed && ingress.allowed;
  return {
    from: probe.from.id,
    to: probe.to.id,
    port: probe.port,
    protocol: probe.protocol,
    allowed: self || policyAllowed,
    self,
    policyAllowed,
    egress,
    ingress,
  };
}

/** Does one entry of `ports` match the probe? Named ports resolve on the destination pod. */
export function portMatches(
  p: PolicyPort,
  probe: Pick<Probe, 'to' | 'port' | 'protocol'>,
): boolean {
  if (p.protocol !== probe.protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'string') {
    return probe.to.ports.some(
      (c) => c.name === p.port && c.protocol === p.protocol && c.port === probe.port,
    );
  }
  return p.endPort === undefined
    ? probe.port === p.port
    : probe.port >= p.port && probe.port <= p.endPort;
}

export function portsMatch(ports: readonly PolicyPort[], probe: Probe): boolean {
  return ports.length === 0 || ports.some((p) => portMatches(p, probe));
}

// Near misses describe the rule, not the pair: described once per rule, however many pairs.
const peersText = new WeakMap<PolicyRule, string>();
const portsText = new WeakMap<readonly PolicyPort[], string>();

function describePeersOnce(r: PolicyRule, policyNamespace: string): string {
  let text = peersText.get(r);
  if (text === undefined) peersText.set(r, (text = describePeers(r, policyNamespace)));
  return text;
}

function describePortsOnce(ports: readonly PolicyPort[]): string {
  let text = portsText.get(ports);
  if (text === undefined) portsText.set(ports, (text = describePorts(ports)));
  return text;
}

function describePorts(ports: readonly PolicyPort[]): string {
  return ports.length === 0 ? 'every port' : ports.map(formatPort).join(', ');
}

export function describePeer(peer: PolicyPeer, policyNamespace: string): string {
  if (peer.kind === 'ipBlock') {
    const ex = peer.ipBlock.except.map((e) => e.text);
    return `ipBlock ${peer.ipBlock.cidr.text}${ex.length === 0 ? '' : ` except ${ex.join(', ')}`}`;
  }
  const pods =
    peer.podSelector === undefined ? 'all pods' : `pods ${formatSelector(peer.podSelector)}`;
  const where =
    peer.namespaceSelector === undefined
      ? `in ${policyNamespace}`
      : `in namespaces ${formatSelector(peer.namespaceSelector)}`;
  return `${pods} ${where}`;
}

function describePeers(r: PolicyRule, policyNamespace: string): string {
  return r.peers.length === 0
    ? 'every peer'
    : r.peers.map((p) => describePeer(p, policyNamespace)).join(' or ');
}
