/**
 * The policy dimension on a cluster: the same policy sets the lab enforces (policy/), written as
 * networking.k8s.io/v1 NetworkPolicy objects for the run's namespace (pure). The model's
 * namespace becomes the run's namespace, and every pod selector also selects the environment's
 * label, so a default-deny of one environment never isolates another's pods.
 */
import type {
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
  V1NetworkPolicyRule,
} from './kube-types.js';
import { canonicalCidr } from '../../policy/ip.js';
import type { LabelSelector } from '../../policy/label-selector.js';
import { namespaceNameLabel } from '../../policy/model.js';
import type { NetworkPolicy, PolicyPeer, PolicyRule } from '../../policy/network-policy.js';
import type { PolicySetSpec } from '../../policy/policy-set.js';
import { environmentLabel } from './labels.js';

export interface PolicyTarget {
  namespace: string;
  /** Value of the environment label of the pods the policies are for, e.g. `e1`. */
  environment: string;
  /** Labels every object carries (managed-by, run). */
  labels: Record<string, string>;
}

function selector(s: LabelSelector, extra: Record<string, string>): V1LabelSelector {
  return {
    matchLabels: { ...s.matchLabels, ...extra },
    ...(s.matchExpressions.length === 0
      ? {}
      : {
          matchExpressions: s.matchExpressions.map((e) => ({
            key: e.key,
            operator: e.operator,
            ...(e.values.length === 0 ? {} : { values: [...e.values] }),
          })),
        }),
  };
}

function namespaceSelector(
  s: LabelSelector,
  modelNamespace: string,
  target: PolicyTarget,
): V1LabelSelector {
  const matchLabels = Object.fromEntries(
    Object.entries(s.matchLabels).map(([k, v]) => [
      k,
      k === namespaceNameLabel && v === modelNamespace ? target.namespace : v,
    ]),
  );
  return { ...selector({ ...s, matchLabels }, {}) };
}

function peer(p: PolicyPeer, modelNamespace: string, target: PolicyTarget): V1NetworkPolicyPeer {
  if (p.kind === 'ipBlock') {
    return {
      ipBlock: {
        cidr: canonicalCidr(p.ipBlock.cidr),
        ...(p.ipBlock.except.length === 0 ? {} : { except: p.ipBlock.except.map(canonicalCidr) }),
      },
    };
  }
  const env = { [environmentLabel]: target.environment };
  return {
    // Without a namespaceSelector the peer is in the policy's namespace: scope it to the environment.
    ...(p.podSelector === undefined
      ? {}
      : { podSelector: selector(p.podSelector, p.namespaceSelector === undefined ? env : {}) }),
    ...(p.namespaceSelector === undefined
      ? {}
      : { namespaceSelector: namespaceSelector(p.namespaceSelector, modelNamespace, target) }),
  };
}

function rule(
  r: PolicyRule,
  direction: 'from' | 'to',
  modelNamespace: string,
  target: PolicyTarget,
): V1NetworkPolicyRule {
  return {
    ...(r.ports.length === 0
      ? {}
      : {
          ports: r.ports.map((p) => ({
            protocol: p.protocol,
            ...(p.port === undefined ? {} : { port: p.port }),
            ...(p.endPort === undefined ? {} : { endPort: p.endPort }),
          })),
        }),
    ...(r.peers.length === 0
      ? {}
      : { [direction]: r.peers.map((x) => peer(x, modelNamespace, target)) }),
  };
}

/** One policy of the set as a NetworkPolicy object in the run's namespace. */
export function networkPolicyObject(p: NetworkPolicy, target: PolicyTarget): V1NetworkPolicy {
  const policyTypes = [
    ...(p.policyTypes.ingress ? ['Ingress'] : []),
    ...(p.policyTypes.egress ? ['Egress'] : []),
  ];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: `${target.environment}-${p.name}`,
      namespace: target.namespace,
      labels: { ...target.labels, [environmentLabel]: target.environment },
    },
    spec: {
      podSelector: selector(p.podSelector, { [environmentLabel]: target.environment }),
      policyTypes,
      ...(p.policyTypes.ingress
        ? { ingress: p.ingress.map((r) => rule(r, 'from', p.namespace, target)) }
        : {}),
      ...(p.policyTypes.egress
        ? { egress: p.egress.map((r) => rule(r, 'to', p.namespace, target)) }
        : {}),
    },
  };
}

export function networkPolicyObjects(set: PolicySetSpec, target: PolicyTarget): V1NetworkPolicy[] {
  return set.policies.map((p) => networkPolicyObject(p, target));
}

/** The labels of a platform pod in the policy model (what the policies select it by). */
export function policyLabelsOf(
  set: PolicySetSpec | undefined,
  pod: string,
): Record<string, string> {
  return { ...(set?.pods.find((p) => p.pod === pod)?.model.labels ?? {}) };
}
