/**
 * The nftables enforcer: the same decisions as the iptables one, but looked up in sets and
 * verdict maps (hash and interval lookups) instead of walked rule by rule, as nftables-based
 * policy engines do. Per endpoint and direction, up to three sets: (peer . protocol . port
 * range), (peer . protocol) and (peer) — a rule with ports, with a protocol only, or with no
 * ports. The table is `ip netbench` (`policy` is a reserved word in nft).
 */
import type { AllowEntry, EndpointProgram } from '../../../../policy/compile.js';
import { counterTagPrefix, defaultDenyRule, establishedRule } from './counter-tags.js';
import type { LabPolicyEnforcer, RenderedRules } from './enforcer.js';

const table = 'netbench';

function comment(rule: string): string {
  return `comment "${counterTagPrefix}${rule.replace(/"/g, "'")}"`;
}

function setName(pod: string, direction: 'in' | 'out', kind: string): string {
  return `${pod}_${direction}_${kind}`;
}

interface SideSets {
  lines: string[];
  rules: string[];
  elements: number;
}

function side(pod: string, direction: 'in' | 'out', entries: readonly AllowEntry[]): SideSets {
  const verdict = direction === 'in' ? 'accept' : 'return';
  const peer = direction === 'in' ? 'ip saddr' : 'ip daddr';
  const ports = entries.filter((e) => e.protocol !== undefined && e.ports !== undefined);
  const protos = entries.filter((e) => e.protocol !== undefined && e.ports === undefined);
  const any = entries.filter((e) => e.protocol === undefined);
  const lines: string[] = [];
  const rules: string[] = [];
  // Every element counts what it allowed, labelled with its policy rule (counters.ts reads them).
  const set = (kind: string, type: string, elements: string[]): void => {
    const name = setName(pod, direction, kind);
    lines.push(`  set ${name} {`, `    type ${type}`, '    flags interval', '    counter');
    lines.push(`    elements = { ${elements.join(', ')} }`, '  }');
  };
  const tagged = (e: AllowEntry, element: string): string => `${element} ${comment(e.rule)}`;
  if (ports.length > 0) {
    set(
      'ports',
      'ipv4_addr . inet_proto . inet_service',
      ports.map((e) => {
        const [lo, hi] = e.ports!;
        return tagged(
          e,
          `${e.cidr} . ${e.protocol!.toLowerCase()} . ${lo === hi ? lo : `${lo}-${hi}`}`,
        );
      }),
    );
    rules.push(`${peer} . meta l4proto . th dport @${setName(pod, direction, 'ports')} ${verdict}`);
  }
  if (protos.length > 0) {
    set(
      'proto',
      'ipv4_addr . inet_proto',
      protos.map((e) => tagged(e, `${e.cidr} . ${e.protocol!.toLowerCase()}`)),
    );
    rules.push(`${peer} . meta l4proto @${setName(pod, direction, 'proto')} ${verdict}`);
  }
  if (any.length > 0) {
    set(
      'any',
      'ipv4_addr',
      any.map((e) => tagged(e, e.cidr)),
    );
    rules.push(`${peer} @${setName(pod, direction, 'any')} ${verdict}`);
  }
  rules.push(`counter drop ${comment(defaultDenyRule)}`);
  return { lines, rules, elements: entries.length };
}

export const nftablesEnforcer: LabPolicyEnforcer = {
  models:
    'an nftables policy engine: verdict maps dispatch to per-endpoint chains, allow lists are interval sets',
  loadArgv: ['nft', '-f', '-'],
  versionArgv: ['nft', '-v'],
  render(endpoints: readonly EndpointProgram[], runId: string): RenderedRules {
    const out = [`table ip ${table} {`, `  comment "netbench:${runId} policy"`];
    const chains: string[] = [];
    const egressMap: string[] = [];
    const ingressMap: string[] = [];
    let count = 0;
    for (const ep of endpoints) {
      for (const [direction, entries] of [
        ['out', ep.egress],
        ['in', ep.ingress],
      ] as const) {
        if (entries === undefined) continue;
        const chain = `${direction === 'in' ? 'ingress' : 'egress'}_${ep.pod}`;
        (direction === 'in' ? ingressMap : egressMap).push(`${ep.ip} : jump ${chain}`);
        const s = side(ep.pod, direction, entries);
        out.push(...s.lines);
        chains.push(`  chain ${chain} {`, ...s.rules.map((r) => `    ${r}`), '  }');
        count += s.elements + s.rules.length + 1;
      }
    }
    const map = (name: string, elements: string[]): void => {
      out.push(`  map ${name} {`, '    type ipv4_addr : verdict');
      if (elements.length > 0) out.push(`    elements = { ${elements.join(', ')} }`);
      out.push('  }');
    };
    // Sets before the chains that use them, chains before the maps that jump to them.
    out.push(...chains);
    map('egress_dispatch', egressMap);
    map('ingress_dispatch', ingressMap);
    out.push(
      '  chain forward {',
      '    type filter hook forward priority filter; policy accept;',
      `    ct state established,related counter accept ${comment(establishedRule)}`,
      '    ip saddr vmap @egress_dispatch',
      '    ip daddr vmap @ingress_dispatch',
      '  }',
      '}',
      '',
    );
    return { text: out.join('\n'), rules: count + 3 };
  },
};
