/**
 * networking.k8s.io/v1 NetworkPolicy as the evaluator and enforcers see it: validated, with the
 * API server's defaults applied (ports without protocol are TCP; policyTypes defaulted), and
 * with "absent" kept distinct from "empty" wherever Kubernetes gives them different meanings.
 * Reference: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
import type { Cidr } from './ip.js';
import type { LabelSelector } from './label-selector.js';

export const protocols = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof protocols)[number];

export type PolicyDirection = 'ingress' | 'egress';

/**
 * One entry of `ports`. `port` absent: every port of `protocol`. A string `port` is a named
 * port, resolved on the destination pod by name and protocol. `endPort` makes `port..endPort` a
 * range (numeric `port` only).
 */
export interface PolicyPort {
  /** Defaults to TCP, as the API server does (SetDefaults_NetworkPolicyPort). */
  protocol: Protocol;
  port?: number | string;
  endPort?: number;
}

export interface IpBlock {
  cidr: Cidr;
  except: Cidr[];
}

/**
 * One entry of `from` / `to`. Either an ipBlock, or selectors:
 * - podSelector only: pods matching it in the policy's own namespace;
 * - namespaceSelector only: every pod in the matching namespaces;
 * - both: pods matching podSelector in namespaces matching namespaceSelector (AND, one peer);
 * an empty selector ({}) matches everything, an absent one does not restrict.
 */
export type PolicyPeer =
  | { kind: 'ipBlock'; ipBlock: IpBlock }
  | { kind: 'selector'; podSelector?: LabelSelector; namespaceSelector?: LabelSelector };

/**
 * One ingress or egress rule. Empty (or absent) `ports` matches every port; empty (or absent)
 * `peers` (`from` / `to`) matches every peer, including addresses outside the cluster.
 */
export interface PolicyRule {
  ports: PolicyPort[];
  peers: PolicyPeer[];
}

/** Where a policy came from, for messages: the YAML document (1-based) and List item. */
export interface PolicySource {
  file: string;
  document: number;
  item?: number;
}

export interface NetworkPolicy {
  namespace: string;
  name: string;
  /** Pods in `namespace` the policy applies to; {} selects them all. */
  podSelector: LabelSelector;
  /**
   * Directions this policy isolates its pods for. When the manifest has no (or an empty)
   * policyTypes, Ingress is always set and Egress only when `egress` has at least one rule
   * (SetDefaults_NetworkPolicy in pkg/apis/networking/v1/defaults.go).
   */
  policyTypes: { ingress: boolean; egress: boolean };
  policyTypesDefaulted: boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
  source: PolicySource;
}

/** `namespace/name`, the way policies are named in explanations. */
export function policyId(p: Pick<NetworkPolicy, 'namespace' | 'name'>): string {
  return `${p.namespace}/${p.name}`;
}

export function formatPort(p: PolicyPort): string {
  if (p.port === undefined) return `${p.protocol}/any`;
  if (p.endPort !== undefined) return `${p.protocol}/${p.port}-${p.endPort}`;
  return `${p.protocol}/${p.port}`;
}
