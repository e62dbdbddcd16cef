/**
 * A policy set as a platform deploys it: the model namespaces and pods (each bound to a platform
 * pod), the policies, and how to enforce them. Plain JSON, so it travels inside a TopologySpec
 * (and two equal topologies still share one environment).
 */
import type { PolicyEnforcerName } from '../spec/dimensions.js';
import type { ModelNamespace, ModelPod } from './model.js';
import type { NetworkPolicy } from './network-policy.js';

export interface PolicySetSpec {
  enforcer: PolicyEnforcerName;
  /** What the set is, for facts and logs: `default-deny-allow`, `scale-1000`, `verify`. */
  label: string;
  namespaces: ModelNamespace[];
  /** Each platform pod and the model pod it stands for (its labels, namespace and ports). */
  pods: { pod: string; model: ModelPod }[];
  policies: NetworkPolicy[];
}
