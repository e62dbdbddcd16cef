/**
 * How the lab's enforcers label their rules so the kernel's counters can be attributed: an
 * iptables comment or an nft element/rule comment `nb:<rule>`, where `<rule>` is the policy rule
 * an allow entry comes from (`x/allow ingress[0]`), `default-deny` on the drop that ends every
 * isolated endpoint's chain, or `established` on the conntrack fast path.
 */
export const counterTagPrefix = 'nb:';
export const defaultDenyRule = 'default-deny';
export const establishedRule = 'established';

/** The policy (namespace/name) of a rule label: `x/allow ingress[0]` → `x/allow`. */
export function policyOfRule(rule: string): string {
  if (rule === defaultDenyRule || rule === establishedRule) return rule;
  const space = rule.indexOf(' ');
  return space === -1 ? rule : rule.slice(0, space);
}
