/**
 * Policies → per-pod allow lists, pure: what a CNI's policy agent computes before it writes
 * rules. Selectors are resolved to the addresses of the pods they match now, ipBlocks with
 * `except` become plain prefixes, named ports are resolved on each destination pod. The
 * result feeds an enforcer (iptables chains, nftables sets); the semantics are those of
 * evaluate.ts, and the lab verifies the two agree.
 */
import type { Labels } from './label-selector.js';
import { matchesSelector } from './label-selector.js';
import { cidrContains, parseIp, subtractCidrs, type IpAddress } from './ip.js';
import type { ModelPod } from './model.js';
import { policyId, type PolicyPeer, type PolicyPort, type Protocol } from './network-policy.js';
import type { PolicySetSpec } from './policy-set.js';

/** One allowed (peer, protocol, ports) of an endpoint; the union of entries is what passes. */
export interface AllowEntry {
  /** Peer addresses as a canonical IPv4 prefix: a pod's /32, or a piece of an ipBlock. */
  cidr: string;
  /** Absent: every protocol (a rule without ports). */
  protocol?: Protocol;
  /** Inclusive destination port range; absent: every port of `protocol`. */
  ports?: [number, number];
  /** The rule it comes from, `x/allow ingress[0]`. */
  rule: string;
}

export interface EndpointProgram {
  /** Platform pod name. */
  pod: string;
  ip: string;
  /** Absent: not isolated for ingress. Empty: isolated, nothing allowed. */
  ingress?: AllowEntry[];
  egress?: AllowEntry[];
}

export interface CompiledPolicySet {
  endpoints: EndpointProgram[];
  /** Entries over all endpoints. */
  entries: number;
  /** What was left out and why (e.g. IPv6 ipBlocks in an IPv4 lab). */
  notes: string[];
}

interface Endpoint {
  pod: string;
  model: ModelPod;
  ip: IpAddress;
}

/**
 * Compiles `spec` for pods at `addresses` (platform pod name → IPv4 address as deployed).
 * Pods of the set without an address are left out with a note.
 */
export function compilePolicySet(
  spec: PolicySetSpec,
  addresses: Readonly<Record<string, string>>,
): CompiledPolicySet {
  const notes = new Set<string>();
  const endpoints: Endpoint[] = [];
  for (const { pod, model } of spec.pods) {
    const text = addresses[pod];
    const ip = text === undefined ? undefined : parseIp(text);
    if (ip === undefined || !ip.ok || ip.value.family !== 4) {
      notes.add(`pod ${pod} (${model.id}) has no IPv4 address here; it is left out`);
      continue;
    }
    endpoints.push({ pod, model, ip: ip.value });
  }
  const nsLabels = new Map<string, Labels>(spec.namespaces.map((n) => [n.name, n.labels]));

  const selected = (peer: PolicyPeer, policyNamespace: string): Endpoint[] =>
    endpoints.filter((e) => {
      if (peer.kind === 'ipBlock') {
        const { cidr, except } = peer.ipBlock;
        return cidrContains(cidr, e.ip) && !except.some((x) => cidrContains(x, e.ip));
      }
      const nsOk =
        peer.namespaceSelector === undefined
          ? e.model.namespace === policyNamespace
          : matchesSelector(peer.namespaceSelector, nsLabels.get(e.model.namespace) ?? {});
      return (
        nsOk &&
        (peer.podSelector === undefined || matchesSelector(peer.podSelector, e.model.labels))
      );
    });

  /** Addresses a peer stands for: pods' /32s, or the ipBlock's prefixes (IPv4 only here). */
  const peerCidrs = (peer: PolicyPeer, policyNamespace: string): string[] => {
    if (peer.kind === 'selector')
      return selected(peer, policyNamespace).map((e) => `${e.ip.text}/32`);
    if (peer.ipBlock.cidr.family !== 4) {
      notes.add(`IPv6 ipBlock ${peer.ipBlock.cidr.text} has no effect in this IPv4 lab`);
      return [];
    }
    return subtractCidrs(peer.ipBlock.cidr, peer.ipBlock.except).map((c) => c.text);
  };

  const resolveNamed = (port: PolicyPort, destination: ModelPod): [number, number] | undefined => {
    const c = destination.ports.find((x) => x.name === port.port && x.protocol === port.protocol);
    return c === undefined ? undefined : [c.port, c.port];
  };

  const compileSide = (
    self: Endpoint,
    direction: 'ingress' | 'egress',
  ): AllowEntry[] | undefined => {
    const isolating = spec.policies.filter(
      (p) =>
        p.namespace === self.model.namespace &&
        (direction === 'ingress' ? p.policyTypes.ingress : p.policyTypes.egress) &&
        matchesSelector(p.podSelector, self.model.labels),
    );
    if (isolating.length === 0) return undefined;
    const out: AllowEntry[] = [];
    const seen = new Set<string>();
    const push = (e: AllowEntry): void => {
      const key = `${e.cidr}|${e.protocol ?? ''}|${e.ports?.join('-') ?? ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(e);
    };
    for (const p of isolating) {
      const rules = direction === 'ingress' ? p.ingress : p.egress;
      rules.forEach((r, index) => {
        const rule = `${policyId(p)} ${direction}[${index}]`;
        const anyPeer = r.peers.length === 0;
        const cidrs = anyPeer ? ['0.0.0.0/0'] : r.peers.flatMap((x) => peerCidrs(x, p.namespace));
        if (r.ports.length === 0) {
          for (const cidr of cidrs) push({ cidr, rule });
          return;
        }
        for (const port of r.ports) {
          if (typeof port.port === 'string') {
            // A named port resolves on the destination: the pod itself for ingress, each
            // destination pod for egress (addresses outside the set cannot be resolved).
            if (direction === 'ingress') {
              const range = resolveNamed(port, self.model);
              if (range !== undefined)
                for (const cidr of cidrs)
                  push({ cidr, protocol: port.protocol, ports: range, rule });
              continue;
            }
            const destinations = anyPeer
              ? endpoints
              : [...new Set(r.peers.flatMap((x) => selected(x, p.namespace)))];
            for (const d of destinations) {
              const range = resolveNamed(port, d.model);
              if (range !== undefined)
                push({ cidr: `${d.ip.text}/32`, protocol: port.protocol, ports: range, rule });
            }
            continue;
          }
          const ports: [number, number] | undefined =
            port.port === undefined ? undefined : [port.port, port.endPort ?? port.port];
          for (const cidr of cidrs) {
            push({
              cidr,
              protocol: port.protocol,
              ...(ports === undefined ? {} : { ports }),
              rule,
            });
          }
        }
      });
    }
    return out;
  };

  const programs = endpoints.map((e): EndpointProgram => {
    const ingress = compileSide(e, 'ingress');
    const egress = compileSide(e, 'egress');
    return {
      pod: e.pod,
      ip: e.ip.text,
      ...(ingress === undefined ? {} : { ingress }),
      ...(egress === undefined ? {} : { egress }),
    };
  });
  return {
    endpoints: programs,
    entries: programs.reduce((n, p) => n + (p.ingress?.length ?? 0) + (p.egress?.length ?? 0), 0),
    notes: [...notes],
  };
}
