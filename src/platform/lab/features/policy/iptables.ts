/**
 * The iptables enforcer, modelled on Calico's iptables dataplane: one dispatch chain hooked
 * into FORWARD, established and related packets accepted first, then per-endpoint chains
 * (`NB-E-<pod>` for a pod's egress, `NB-I-<pod>` for its ingress) walked rule by rule, each
 * ending in DROP. Lookups are linear in the number of rules of the endpoint, which is the cost
 * `policy: scale-N` measures. Egress allows RETURN so the destination's ingress chain still
 * decides when both pods are on the same node.
 */
import type { AllowEntry, EndpointProgram } from '../../../../policy/compile.js';
import { counterTagPrefix, defaultDenyRule, establishedRule } from './counter-tags.js';
import type { LabPolicyEnforcer, RenderedRules } from './enforcer.js';

const dispatchChain = 'NB-POLICY';

function match(e: AllowEntry, peer: '-s' | '-d'): string {
  const parts = e.cidr === '0.0.0.0/0' ? [] : [peer, e.cidr];
  if (e.protocol !== undefined) {
    const proto = e.protocol.toLowerCase();
    parts.push('-p', proto);
    if (e.ports !== undefined) {
      const [lo, hi] = e.ports;
      parts.push('-m', proto, '--dport', lo === hi ? String(lo) : `${lo}:${hi}`);
    }
  }
  return parts.join(' ');
}

function line(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/**
 * A rule's counter label: the policy rule it comes from, or default-deny / established. The
 * counter reader (counters.ts) attributes the kernel's per-rule counters by it.
 */
function tag(rule: string): string {
  return `-m comment --comment "${counterTagPrefix}${rule.replace(/"/g, "'")}"`;
}

export const iptablesEnforcer: LabPolicyEnforcer = {
  models:
    "Calico's iptables dataplane: per-endpoint chains behind a conntrack fast path, linear rule walks",
  loadArgv: ['iptables-restore', '--noflush'],
  versionArgv: ['iptables', '-V'],
  render(endpoints: readonly EndpointProgram[], runId: string): RenderedRules {
    const chains = [`:${dispatchChain} - [0:0]`];
    const rules: string[] = [
      `-A FORWARD -m comment --comment "netbench:${runId} policy" -j ${dispatchChain}`,
      `-A ${dispatchChain} -m conntrack --ctstate RELATED,ESTABLISHED ${tag(establishedRule)} -j ACCEPT`,
    ];
    const bodies: string[] = [];
    // Every egress dispatch before any ingress dispatch: egress RETURNs when it allows.
    for (const ep of endpoints) {
      if (ep.egress === undefined) continue;
      const chain = `NB-E-${ep.pod}`;
      chains.push(`:${chain} - [0:0]`);
      rules.push(`-A ${dispatchChain} -s ${ep.ip}/32 -j ${chain}`);
      for (const e of ep.egress)
        bodies.push(line(`-A ${chain}`, match(e, '-d'), tag(e.rule), '-j RETURN'));
      bodies.push(`-A ${chain} ${tag(defaultDenyRule)} -j DROP`);
    }
    for (const ep of endpoints) {
      if (ep.ingress === undefined) continue;
      const chain = `NB-I-${ep.pod}`;
      chains.push(`:${chain} - [0:0]`);
      rules.push(`-A ${dispatchChain} -d ${ep.ip}/32 -j ${chain}`);
      for (const e of ep.ingress)
        bodies.push(line(`-A ${chain}`, match(e, '-s'), tag(e.rule), '-j ACCEPT'));
      bodies.push(`-A ${chain} ${tag(defaultDenyRule)} -j DROP`);
    }
    const all = [...rules, ...bodies];
    return { text: ['*filter', ...chains, ...all, 'COMMIT', ''].join('\n'), rules: all.length };
  },
};
