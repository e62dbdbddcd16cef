/**
 * CNI rules, in the order they are tried. Drawn from seed-001's decision framework (Cilium by
 * default, Calico for BGP or Windows, keep a working Calico), seed-003 (Flannel enforces no
 * NetworkPolicy, Weave is archived) and seed-000 (Flannel for simple test and dev setups).
 */
import type { AdviceContext, DecisionRule, EvidenceCitation } from '../advice-types.js';
import { citeDatapath } from '../citations.js';
import { pickRepresentative } from '../representative.js';
import { seed } from '../sources.js';
import type { CniChoice, CurrentCni } from '../vocabulary.js';

/** Kernel from which seed-001 calls a cluster "modern" for Cilium. */
export const ciliumMinimumKernel = '5.10';

/** Services from which eBPF service handling is a baseline recommendation (seed-003 says 500). */
const ebpfServiceScale = 500;

export function kernelAtLeast(kernel: string, minimum: string): boolean {
  const [a = 0, b = 0] = kernel.split('.').map(Number);
  const [x = 0, y = 0] = minimum.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

/** The lab datapath models that have each CNI's shape (docs/datapaths.md). */
const datapathsOf: Record<Exclude<CniChoice, 'keep-current'>, string[]> = {
  cilium: ['ebpf'],
  'calico-ebpf': ['ebpf'],
  calico: ['routed-bgp', 'routed'],
  flannel: ['vxlan'],
};

/** The measured latency of the chosen CNI's datapath model, cross-node when measured. */
export function datapathCitations(
  ctx: AdviceContext,
  cni: CurrentCni | CniChoice | undefined,
): EvidenceCitation[] {
  if (cni === undefined || cni === 'weave' || cni === 'other' || cni === 'keep-current') return [];
  const models = datapathsOf[cni];
  const measured = ctx.evidence.datapaths.filter((d) => models.includes(d.datapath));
  const one = pickRepresentative(measured, undefined);
  return one === undefined ? [] : [citeDatapath(one)];
}

/** What forces a move off the current CNI, in words; empty when nothing does. */
export function forcedMoves(ctx: AdviceContext): string[] {
  const { req } = ctx;
  const cni = req.cluster.current?.cni;
  const out: string[] = [];
  const calico = cni === 'calico' || cni === 'calico-ebpf';
  if (cni === 'weave') out.push('Weave Net is archived (no release since 2021)');
  if (cni === 'flannel' && req.needs.networkPolicy) {
    out.push('Flannel does not enforce NetworkPolicy, which is needed');
  }
  if (cni === 'flannel' && req.cluster.purpose === 'production') {
    out.push('Flannel is meant for development clusters');
  }
  if (req.needs.bgpPeering && !calico) out.push('BGP peering with physical routers is needed');
  if (req.cluster.nodeOS.includes('windows') && !calico) out.push('Windows nodes are needed');
  if (cni === 'other') out.push('the current CNI is not one the advisor knows');
  return out;
}

const keepStableCurrentCni: DecisionRule<'cni'> = {
  decision: 'cni',
  summary:
    'A stable current CNI the team can debug is kept unless a need forces a move (a migration restarts every node).',
  sources: [seed('seed-001', '"Our opinion" on CNI: no migration off a working Calico')],
  decide(ctx) {
    const current = ctx.req.cluster.current;
    if (current?.cni === undefined || !current.stable || forcedMoves(ctx).length > 0) {
      return undefined;
    }
    return {
      choice: 'keep-current',
      because: [
        `${current.cni} is stable and the team knows how to debug it; no need in the requirements forces a move`,
        'a CNI migration means a rolling restart of every node, drained workloads and a rollback plan: do it in a planned platform refresh, not on its own',
      ],
      evidence: datapathCitations(ctx, current.cni),
      switchWhen: [
        'BGP peering or Windows nodes become needed and the CNI cannot do them',
        'scale or observability needs appear that the current CNI cannot meet',
      ],
      confidence: 'high',
    };
  },
};

const calicoForBgpOrWindows: DecisionRule<'cni'> = {
  decision: 'cni',
  summary:
    'Calico when nodes must peer over BGP with physical routers or Windows nodes run beside Linux; its eBPF dataplane on Linux-only clusters at scale.',
  sources: [
    seed('seed-001', 'decision framework: Calico for BGP peering or Windows nodes'),
    seed('seed-001', '"What we got wrong": Calico eBPF within 5% of Cilium'),
    seed('seed-003', 'kube-proxy: eBPF replacement recommended above 500 services'),
  ],
  decide(ctx) {
    const { req } = ctx;
    const windows = req.cluster.nodeOS.includes('windows');
    if (!req.needs.bgpPeering && !windows) return undefined;
    const ebpf =
      !windows &&
      kernelAtLeast(req.cluster.kernel, ciliumMinimumKernel) &&
      req.cluster.services >= ebpfServiceScale;
    const choice: CniChoice = ebpf ? 'calico-ebpf' : 'calico';
    const because = [
      windows
        ? 'Windows nodes run beside Linux ones: Calico is the established CNI for mixed clusters'
        : 'nodes must advertise routes to physical routers: Calico peers over BGP natively, with no extra tooling',
    ];
    if (ebpf) {
      because.push(
        `with ${req.cluster.services} Services on kernels >= ${ciliumMinimumKernel}, Calico's eBPF dataplane replaces kube-proxy's rule chains; one team found it within 5% of Cilium`,
      );
    }
    return {
      choice,
      because,
      evidence: datapathCitations(ctx, choice),
      switchWhen: ebpf
        ? ['Windows nodes join (the eBPF dataplane is Linux-only): use calico']
        : windows
          ? ['the Windows nodes go away: then Cilium is the default']
          : [`Services grow past ${ebpfServiceScale}: consider calico-ebpf`],
      confidence: 'high',
    };
  },
};

const flannelOnlyForDev: DecisionRule<'cni'> = {
  decision: 'cni',
  summary:
    'Flannel only for development clusters that enforce no NetworkPolicy (it silently ignores policies).',
  sources: [
    seed('seed-001', 'CNI decision: Flannel is fine for dev clusters'),
    seed('seed-003', 'Flannel: no NetworkPolicy support'),
    seed('seed-000', 'recommendations: Flannel suffices for development or CI'),
  ],
  decide(ctx) {
    const { req } = ctx;
    if (req.cluster.purpose !== 'development' || req.needs.networkPolicy) return undefined;
    return {
      choice: 'flannel',
      because: [
        'a development cluster that needs no NetworkPolicy: Flannel (VXLAN) is the simplest to run',
      ],
      evidence: datapathCitations(ctx, 'flannel'),
      switchWhen: [
        'NetworkPolicy must be enforced: Flannel accepts policies and ignores them; move to Cilium or Calico',
        'the cluster goes to production',
      ],
      confidence: 'high',
    };
  },
};

const ciliumOnModernKernels: DecisionRule<'cni'> = {
  decision: 'cni',
  summary: `Cilium by default on kernels >= ${ciliumMinimumKernel}: eBPF networking, policy, kube-proxy replacement and Hubble in one component.`,
  sources: [
    seed('seed-001', 'decision framework: CNI default Cilium; greenfield on 5.10+ kernels'),
    seed('seed-003', 'recommended stack: Cilium with eBPF kube-proxy replacement'),
  ],
  decide(ctx) {
    const { req } = ctx;
    if (!kernelAtLeast(req.cluster.kernel, ciliumMinimumKernel)) return undefined;
    const moves = forcedMoves(ctx);
    return {
      choice: 'cilium',
      because: [
        `the oldest node kernel is ${req.cluster.kernel} (>= ${ciliumMinimumKernel}): Cilium's eBPF datapath runs there`,
        'one component for networking, NetworkPolicy (plus L7 and DNS-aware rules), kube-proxy replacement and flow visibility (Hubble)',
        ...moves.map((m) => `a move is needed: ${m}`),
      ],
      evidence: datapathCitations(ctx, 'cilium'),
      switchWhen: [
        'BGP peering with physical routers or Windows nodes become needed: Calico',
        'the platform has a hard dependency on iptables-based tooling',
      ],
      confidence: 'medium',
    };
  },
};

const calicoOnOlderKernels: DecisionRule<'cni'> = {
  decision: 'cni',
  summary: `Calico (iptables dataplane) when a node kernel is older than ${ciliumMinimumKernel}, where Cilium's eBPF needs are not met.`,
  sources: [
    seed('seed-001', 'Cilium: modern Linux kernels (5.10+)'),
    seed('seed-000', 'drawbacks: advanced CNIs need kernel eBPF support'),
    seed('seed-003', 'Calico: iptables, nftables and eBPF dataplanes'),
  ],
  decide(ctx) {
    return {
      choice: 'calico',
      because: [
        `the oldest node kernel is ${ctx.req.cluster.kernel}, older than ${ciliumMinimumKernel}: Calico's iptables dataplane does not depend on eBPF`,
      ],
      evidence: datapathCitations(ctx, 'calico'),
      switchWhen: [`every node runs a kernel >= ${ciliumMinimumKernel}: Cilium`],
      confidence: 'medium',
    };
  },
};

/** CNI rules in the order they are tried; the first that applies decides. */
export const cniRules = {
  'keep-stable-current-cni': keepStableCurrentCni,
  'calico-for-bgp-or-windows': calicoForBgpOrWindows,
  'flannel-only-for-dev': flannelOnlyForDev,
  'cilium-on-modern-kernels': ciliumOnModernKernels,
  'calico-on-older-kernels': calicoOnOlderKernels,
} satisfies Record<string, DecisionRule<'cni'>>;
