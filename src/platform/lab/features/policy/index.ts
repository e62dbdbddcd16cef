import type { PolicyEnforcerName } from '../../../../spec/dimensions.js';
import type { LabPolicyEnforcer } from './enforcer.js';
import { iptablesEnforcer } from './iptables.js';
import { nftablesEnforcer } from './nftables.js';

/**
 * Every lab enforcer, one per name of the `enforcer` dimension (compile-checked). An eBPF
 * enforcer belongs here once the lab has an eBPF datapath to attach it to.
 */
export const labPolicyEnforcers = {
  iptables: iptablesEnforcer,
  nftables: nftablesEnforcer,
} satisfies Record<PolicyEnforcerName, LabPolicyEnforcer>;
