/**
 * kube-proxy rules, in the order they are tried. Drawn from seed-001 (the eBPF replacement by
 * default with Cilium), seed-003 (iptables rule chains are linear and acceptable below about
 * 1 000 Services; IPVS is deprecated) and the runs' own nftables-against-iptables measurements.
 */
import type { AdviceContext, DecisionRule, EvidenceCitation } from '../advice-types.js';
import { citeKubeProxy } from '../citations.js';
import type { KubeProxyComparison } from '../evidence/evidence.js';
import { measured, seed } from '../sources.js';

/** Services from which iptables rule chains become a measurable bottleneck (seed-003). */
export const iptablesServiceLimit = 1000;

/** The measured comparison at the Service count closest (log scale) to the cluster's. */
export function closestComparison(ctx: AdviceContext): KubeProxyComparison | undefined {
  const target = Math.max(ctx.req.cluster.services, 1);
  let best: KubeProxyComparison | undefined;
  for (const k of ctx.evidence.kubeProxy) {
    const d = Math.abs(Math.log(Math.max(k.services, 1)) - Math.log(target));
    if (
      best === undefined ||
      d < Math.abs(Math.log(Math.max(best.services, 1)) - Math.log(target))
    ) {
      best = k;
    }
  }
  return best;
}

const cite = (k: KubeProxyComparison | undefined): EvidenceCitation[] =>
  k === undefined ? [] : [citeKubeProxy(k)];

const ebpfWithAnEbpfCni: DecisionRule<'kubeProxy'> = {
  decision: 'kubeProxy',
  summary:
    "The CNI's eBPF replacement of kube-proxy when the CNI is Cilium or Calico's eBPF dataplane.",
  sources: [
    seed('seed-001', 'decision framework: kube-proxy, Cilium replacement'),
    seed('seed-003', 'eBPF kube-proxy replacement: hash lookups, no conntrack chains'),
  ],
  decide(ctx) {
    if (ctx.cni !== 'cilium' && ctx.cni !== 'calico-ebpf') return undefined;
    return {
      choice: 'ebpf',
      because: [
        `${ctx.cni} balances Services in eBPF hash tables: constant lookup cost at any number of Services, and one component fewer to run`,
      ],
      evidence: cite(closestComparison(ctx)),
      switchWhen: ['the platform has a hard dependency on iptables-based tooling: keep kube-proxy'],
      confidence: 'high',
    };
  },
};

const offIptablesAtScale: DecisionRule<'kubeProxy'> = {
  decision: 'kubeProxy',
  summary: `kube-proxy's nftables mode from ${iptablesServiceLimit} Services when the CNI has no eBPF replacement; measured where a run compared the two.`,
  sources: [
    seed('seed-003', 'iptables mode acceptable below ~1,000 services, linear beyond'),
    measured('nftables vs iptables new-connection latency at N Services'),
  ],
  decide(ctx) {
    if (ctx.req.cluster.services < iptablesServiceLimit) return undefined;
    const k = closestComparison(ctx);
    const because = [
      `${ctx.req.cluster.services} Services (>= ${iptablesServiceLimit}): iptables mode walks a chain of rules per new connection, growing with every Service; nftables mode looks the Service up in one verdict map`,
    ];
    let confidence: 'high' | 'medium' | 'low' = 'medium';
    if (k !== undefined) {
      const faster = k.p50Change.verdict === 'significant' && k.p50Change.value < 0;
      because.push(
        faster
          ? `measured at ${k.services} Services: a new connection is ${Math.abs(k.p50Change.value * 100).toFixed(0)}% faster at p50 with nftables`
          : `measured at ${k.services} Services: nftables was not measurably faster for new connections (${k.p50Change.verdict}); the rule-update time still favours it`,
      );
      confidence = faster ? 'high' : 'low';
    }
    return {
      choice: 'nftables',
      because,
      evidence: cite(k),
      switchWhen: ['the CNI moves to Cilium or Calico eBPF: use its eBPF replacement'],
      confidence,
    };
  },
};

const iptablesBelowScale: DecisionRule<'kubeProxy'> = {
  decision: 'kubeProxy',
  summary: `Keep kube-proxy's current mode (iptables by default) below ${iptablesServiceLimit} Services when the CNI has no eBPF replacement.`,
  sources: [seed('seed-003', 'iptables mode acceptable below ~1,000 services')],
  decide(ctx) {
    const current = ctx.req.cluster.current?.kubeProxy;
    const choice = current === 'nftables' ? 'nftables' : 'iptables';
    return {
      choice,
      because: [
        `${ctx.req.cluster.services} Services (< ${iptablesServiceLimit}): the rule chains stay short enough; ${current === undefined ? "iptables is kube-proxy's default" : `keep ${current}`}`,
      ],
      evidence: cite(closestComparison(ctx)),
      switchWhen: [`Services grow towards ${iptablesServiceLimit}: nftables mode`],
      confidence: 'medium',
    };
  },
};

/** kube-proxy rules in the order they are tried; the first that applies decides. */
export const kubeProxyRules = {
  'ebpf-with-an-ebpf-cni': ebpfWithAnEbpfCni,
  'off-iptables-at-scale': offIptablesAtScale,
  'iptables-below-scale': iptablesBelowScale,
} satisfies Record<string, DecisionRule<'kubeProxy'>>;
