/**
 * A policy set as a platform deploys it: the model namespaces and pods (each bound to a platform
 * pod), the policies, and how to enforce them. Plain JSON, so it travels inside a TopologySpec
 * (and two equal topologies still share one environment).
 */
import type { Milliseconds } from '../core/units.js';
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

/** What was programmed, recorded with the environment's facts in results.json. */
export interface PolicyFacts {
  enforcer: PolicyEnforcerName;
  label: string;
  policies: number;
  /** Allow entries compiled from the policies (an iptables rule or an nft set element each). */
  allowEntries: number;
  /** Rules (iptables) or rules plus set elements (nftables) loaded, all nodes together. */
  programmedRules: number;
  /** Wall time of loading the rules (iptables-restore / nft -f), all nodes together. */
  programmingMs: Milliseconds;
  perNode: { node: string; programmedRules: number; programmingMs: Milliseconds }[];
  /** The enforcer tool as it names itself, e.g. `iptables v1.8.9 (nf_tables)`. */
  tool: string;
  /** True: established/related packets are accepted before any policy rule (as Calico does). */
  conntrackFastPath: boolean;
  notes: string[];
}
