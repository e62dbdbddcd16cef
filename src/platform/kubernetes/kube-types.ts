/**
 * The Kubernetes object shapes netbench builds and reads: the official client's model types,
 * re-exported in one place so the pure manifest code does not depend on the client's runtime.
 */
export type {
  KubernetesObject,
  V1ConfigMap,
  V1Container,
  V1LabelSelector,
  V1Namespace,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
  V1NetworkPolicyEgressRule,
  V1NetworkPolicyIngressRule,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';

import type {
  V1NetworkPolicyEgressRule,
  V1NetworkPolicyIngressRule,
} from '@kubernetes/client-node';

/** An ingress or egress rule (they differ only in `from` / `to`). */
export type V1NetworkPolicyRule = V1NetworkPolicyIngressRule & V1NetworkPolicyEgressRule;
