/**
 * A lab policy enforcer: renders one node's endpoint programs into its tool's batch format and
 * loads it into the node's network namespace in one call (as CNI agents do: iptables-restore,
 * nft -f), so programming time is the tool's, not netbench's.
 */
import type { EndpointProgram } from '../../../../policy/compile.js';

export interface RenderedRules {
  /** The batch text fed to the tool on stdin. */
  text: string;
  /** Rules (and set elements) the batch creates, for facts. */
  rules: number;
}

export interface LabPolicyEnforcer {
  /** What it stands for, e.g. "Calico's iptables dataplane (per-endpoint chains)". */
  models: string;
  /** Program and arguments that load a batch from stdin. */
  loadArgv: readonly string[];
  /** Program and arguments that print the tool's version. */
  versionArgv: readonly string[];
  render(endpoints: readonly EndpointProgram[], runId: string): RenderedRules;
}
