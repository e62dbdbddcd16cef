/** The rule registries, one per decision, plus the warnings. Adding a rule is one entry. */
import type { DecisionRule } from '../advice-types.js';
import type { Decision } from '../vocabulary.js';
import { cniRules } from './cni-rules.js';
import { kubeProxyRules } from './kube-proxy-rules.js';
import { meshRules } from './mesh-rules.js';
import { observabilityRules } from './observability-rules.js';

export { warningRules } from './warning-rules.js';

/** Every decision's rules, in the order they are tried. */
export const decisionRules = {
  cni: cniRules,
  mesh: meshRules,
  kubeProxy: kubeProxyRules,
  observability: observabilityRules,
} satisfies { [D in Decision]: Record<string, DecisionRule<D>> };
