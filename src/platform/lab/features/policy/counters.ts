/**
 * Reads what the lab's policy enforcers counted, from the kernels: per node, endpoint, direction
 * and rule, how many packets were allowed and dropped — the lab's answer to Hubble's policy
 * verdicts. Rules carry their policy rule as a comment (counter-tags.ts): iptables counts per
 * rule (`iptables-save -c`), nftables per set element and on each chain's final drop
 * (`nft -j list table`). With the conntrack fast path only a connection's first packets reach
 * the policy rules: the rest count as `established`.
 *
 * The parsers are pure and tested on captured output; `readPolicyCounters` runs the tools.
 */
import { NetbenchError } from '../../../../core/errors.js';
import type { PolicyCounters } from '../../../../results/schema.js';
import type { PolicyEnforcerName } from '../../../../spec/dimensions.js';
import type { LabShell } from '../../lab-shell.js';
import { counterTagPrefix, establishedRule, policyOfRule } from './counter-tags.js';

export type PolicyCounter = PolicyCounters['counters'][number];

function counter(
  node: string,
  pod: string,
  direction: PolicyCounter['direction'],
  rule: string,
  verdict: PolicyCounter['verdict'],
  packets: number,
  bytes: number,
): PolicyCounter {
  return { node, pod, direction, verdict, policy: policyOfRule(rule), rule, packets, bytes };
}

const iptablesLine =
  /^\[(\d+):(\d+)\] -A (\S+) .*--comment "?nb:([^"]*)"? -j (ACCEPT|RETURN|DROP)\s*$/;

/** Counters from `iptables-save -c -t filter` of one node. */
export function parseIptablesCounters(node: string, text: string): PolicyCounter[] {
  const out: PolicyCounter[] = [];
  for (const line of text.split('\n')) {
    const m = iptablesLine.exec(line.trim());
    if (m === null) continue;
    const [, packets, bytes, chain, rule, target] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const verdict = target === 'DROP' ? 'dropped' : 'allowed';
    if (chain === 'NB-POLICY' && rule === establishedRule) {
      out.push(counter(node, '', 'established', rule, verdict, Number(packets), Number(bytes)));
    } else if (chain.startsWith('NB-E-') || chain.startsWith('NB-I-')) {
      const direction = chain.startsWith('NB-E-') ? 'egress' : 'ingress';
      out.push(
        counter(node, chain.slice(5), direction, rule, verdict, Number(packets), Number(bytes)),
      );
    }
  }
  return out;
}

interface NftCounter {
  packets: number;
  bytes: number;
}
interface NftJson {
  nftables?: (
    | { set: { name: string; elem?: { elem?: { comment?: string; counter?: NftCounter } }[] } }
    | { rule: { chain: string; comment?: string; expr: Record<string, unknown>[] } }
    | Record<string, unknown>
  )[];
}

const nftSetName = /^(.+)_(in|out)_(ports|proto|any)$/;
const nftChainName = /^(ingress|egress)_(.+)$/;

function untag(comment: string | undefined): string | undefined {
  return comment?.startsWith(counterTagPrefix) === true
    ? comment.slice(counterTagPrefix.length)
    : undefined;
}

/** Counters from `nft -j list table ip netbench` of one node. */
export function parseNftCounters(node: string, json: string): PolicyCounter[] {
  const out: PolicyCounter[] = [];
  for (const item of (JSON.parse(json) as NftJson).nftables ?? []) {
    if ('set' in item) {
      const set = item.set as {
        name: string;
        elem?: { elem?: { comment?: string; counter?: NftCounter } }[];
      };
      const m = nftSetName.exec(set.name);
      if (m === null) continue;
      for (const { elem } of set.elem ?? []) {
        const rule = untag(elem?.comment);
        if (rule === undefined || elem?.counter === undefined) continue;
        const direction = m[2] === 'in' ? 'ingress' : 'egress';
        out.push(
          counter(
            node,
            m[1]!,
            direction,
            rule,
            'allowed',
            elem.counter.packets,
            elem.counter.bytes,
          ),
        );
      }
    } else if ('rule' in item) {
      const rule = item.rule as {
        chain: string;
        comment?: string;
        expr: Record<string, unknown>[];
      };
      const tag = untag(rule.comment);
      const count = rule.expr.find((e) => 'counter' in e)?.counter as NftCounter | undefined;
      if (tag === undefined || count === undefined) continue;
      const verdict = rule.expr.some((e) => 'drop' in e) ? 'dropped' : 'allowed';
      if (tag === establishedRule) {
        out.push(counter(node, '', 'established', tag, verdict, count.packets, count.bytes));
        continue;
      }
      const m = nftChainName.exec(rule.chain);
      if (m === null) continue;
      out.push(
        counter(
          node,
          m[2]!,
          m[1] as 'ingress' | 'egress',
          tag,
          verdict,
          count.packets,
          count.bytes,
        ),
      );
    }
  }
  return out;
}

const readers = {
  iptables: {
    argv: ['iptables-save', '-c', '-t', 'filter'],
    parse: parseIptablesCounters,
  },
  nftables: {
    argv: ['nft', '-j', 'list', 'table', 'ip', 'netbench'],
    parse: parseNftCounters,
  },
} satisfies Record<
  PolicyEnforcerName,
  { argv: readonly string[]; parse: (node: string, text: string) => PolicyCounter[] }
>;

/** Reads every node's counters now (cumulative since the rules were loaded). */
export async function readPolicyCounters(
  shell: LabShell,
  nodes: readonly { name: string; ns: string }[],
  enforcer: PolicyEnforcerName,
): Promise<PolicyCounters> {
  const reader = readers[enforcer];
  const counters: PolicyCounter[] = [];
  for (const node of nodes) {
    const r = await shell.exec(node.ns, reader.argv, { timeoutMs: 60_000, allowFailure: true });
    if (r.exitCode !== 0) {
      throw new NetbenchError(
        'NB_TOOL_FAILED',
        `${reader.argv.join(' ')} failed on ${node.name}: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.exitCode}`}`,
        {
          hint: `the ${enforcer} enforcer's rules should still be loaded; run netbench lab status`,
        },
      );
    }
    counters.push(...reader.parse(node.name, r.stdout));
  }
  return { enforcer, counters };
}
