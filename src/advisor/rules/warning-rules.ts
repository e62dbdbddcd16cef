/**
 * Warning rules: things the team should know whatever it decides. Each names its source: a seed
 * for the facts about projects, a measurement for budgets and contradictions.
 */
import { formatMicros } from '../../core/units.js';
import type { AdviceContext, WarningRule } from '../advice-types.js';
import { citeDatapath, citeKubeProxy, citeMeshOverhead, signedMicros } from '../citations.js';
import { perPodRps } from '../cost-model.js';
import { pickRepresentative } from '../representative.js';
import { measured, seed } from '../sources.js';
import { iptablesServiceLimit } from './kube-proxy-rules.js';

const weaveArchived: WarningRule = {
  summary: 'Weave Net is archived: migrate to Cilium or Calico.',
  sources: [seed('seed-003', 'Weave Net deprecation warning')],
  check: (ctx) =>
    ctx.req.cluster.current?.cni === 'weave'
      ? [
          {
            message:
              'the cluster runs Weave Net, archived with no release since January 2021 and dropped by Kubespray and Rancher: migrate to Cilium or Calico before a Kubernetes upgrade breaks it',
          },
        ]
      : [],
};

const flannelIgnoresNetworkPolicy: WarningRule = {
  summary: 'Flannel accepts NetworkPolicy objects and enforces none of them.',
  sources: [seed('seed-003', 'critical warning: CNI support required for NetworkPolicy')],
  check: (ctx) =>
    ctx.req.cluster.current?.cni === 'flannel' && ctx.req.needs.networkPolicy
      ? [
          {
            message:
              'NetworkPolicy is needed but the cluster runs Flannel, which accepts policies without error and enforces none: pods talk freely today (`netbench policy lint --cni flannel` flags it)',
          },
        ]
      : [],
};

const ingressNginxRetired: WarningRule = {
  summary: 'Ingress NGINX is retired: move to the Gateway API.',
  sources: [seed('seed-003', 'Ingress NGINX retirement, Gateway API')],
  check: (ctx) =>
    ctx.req.cluster.current?.ingress === 'ingress-nginx'
      ? [
          {
            message:
              'the cluster uses the Ingress NGINX controller, whose maintenance ended in March 2026 (no fixes, no security patches): migrate to the Gateway API (ingress2gateway converts the resources)',
          },
        ]
      : [],
};

const meshBreaksP99Budget: WarningRule = {
  summary: 'A measured mesh model whose p99 overhead breaks the latency budget.',
  sources: [measured('p99 added by each mesh model over the same cell without a mesh')],
  check(ctx) {
    const budget = ctx.req.budget?.p99AddedUs;
    if (budget === undefined) return [];
    const modes = [...new Set(ctx.evidence.meshOverheads.map((o) => o.meshMode))];
    return modes.flatMap((mode) => {
      const o = pickRepresentative(
        ctx.evidence.meshOverheads.filter((x) => x.meshMode === mode),
        perPodRps(ctx.req),
      );
      if (o === undefined || o.p99AddedUs.value <= budget) return [];
      return [
        {
          message: `the ${mode} model added ${signedMicros(o.p99AddedUs.value)} at p99 (${o.trialId}), over the p99 budget of ${formatMicros(budget)}: meshes of that shape break it on this evidence`,
          evidence: [citeMeshOverhead(o)],
        },
      ];
    });
  },
};

const meshBreaksCpuBudget: WarningRule = {
  summary: "The recommended mesh's cluster-wide proxy CPU is over the proxy CPU budget.",
  sources: [measured('cost model: proxy CPU per 1k requests × request rate')],
  check(ctx) {
    const budget = ctx.req.budget?.proxyCpuCores;
    const mesh = ctx.decided.mesh?.choice;
    if (budget === undefined || mesh === undefined || mesh === 'none') return [];
    const cost = ctx.costModel.meshes.find((m) => m.mesh === mesh)?.cpuCores;
    if (cost === undefined || cost.value <= budget) return [];
    return [
      {
        message: `${mesh}'s proxies would use ${cost.value.toFixed(1)} vCPU cluster-wide, over the budget of ${budget} vCPU`,
      },
    ];
  },
};

function contradictions(
  ctx: AdviceContext,
): { message: string; evidence?: ReturnType<typeof citeKubeProxy>[] }[] {
  const out: { message: string; evidence?: ReturnType<typeof citeKubeProxy>[] }[] = [];
  for (const k of ctx.evidence.kubeProxy) {
    if (
      k.services >= iptablesServiceLimit &&
      k.p50Change.verdict === 'significant' &&
      k.p50Change.value > 0
    ) {
      out.push({
        message: `at ${k.services} Services nftables was slower than iptables for new connections, against the published expectation that rule chains are what degrades: check the kernel and nft versions before moving`,
        evidence: [citeKubeProxy(k)],
      });
    }
  }
  const target = perPodRps(ctx.req);
  const ambient = pickRepresentative(
    ctx.evidence.meshOverheads.filter((o) => o.meshMode === 'node-proxy'),
    target,
  );
  const sidecar = pickRepresentative(
    ctx.evidence.meshOverheads.filter((o) => o.meshMode === 'sidecar'),
    target,
  );
  if (
    ambient !== undefined &&
    sidecar !== undefined &&
    ambient.p99AddedUs.low !== undefined &&
    sidecar.p99AddedUs.high !== undefined &&
    ambient.p99AddedUs.low > sidecar.p99AddedUs.high
  ) {
    out.push({
      message:
        'the node-proxy (ambient) model added more p99 latency than sidecars here, against published figures (+8% vs +166% with mTLS): the advice follows the measurement',
      evidence: [citeMeshOverhead(ambient), citeMeshOverhead(sidecar)],
    });
  }
  const cross = ctx.evidence.datapaths.filter((d) => d.placement === 'cross-node');
  const ebpf = cross.find((d) => d.datapath === 'ebpf');
  const routed = cross.find((d) => d.datapath === 'routed' && d.runId === ebpf?.runId);
  if (
    ebpf !== undefined &&
    routed !== undefined &&
    ebpf.p50Us.low !== undefined &&
    routed.p50Us.high !== undefined &&
    ebpf.p50Us.low > routed.p50Us.high
  ) {
    out.push({
      message:
        "the eBPF datapath was slower than plain routing cross-node here, against the published expectation that eBPF is faster: eBPF's advantage may not hold on these kernels",
      evidence: [citeDatapath(ebpf), citeDatapath(routed)],
    });
  }
  return out;
}

const evidenceContradictsDefault: WarningRule = {
  summary: 'A measurement that contradicts a published default the rules rely on.',
  sources: [
    measured('kube-proxy, mesh and datapath comparisons'),
    seed('seed-001', '"test your assumptions against your actual workload"'),
  ],
  check: contradictions,
};

const meshWithoutANeed: WarningRule = {
  summary: 'A mesh runs today but no need for one is stated.',
  sources: [seed('seed-001', '"What we got wrong": a mesh deployed too early')],
  check(ctx) {
    const current = ctx.req.cluster.current?.mesh;
    if (current === undefined || current === 'none' || ctx.decided.mesh?.choice !== 'none')
      return [];
    return [
      {
        message: `the cluster runs ${current} but the requirements state no need it meets: a mesh without a specific problem to solve costs debugging time and proxy resources`,
      },
    ];
  },
};

const weakEvidence: WarningRule = {
  summary: 'A run most of whose repetitions were invalid or failed.',
  sources: [measured('repetition validity')],
  check: (ctx) =>
    ctx.evidence.runs
      .filter((r) => r.repetitions.total > 0 && r.repetitions.valid * 2 < r.repetitions.total)
      .map((r) => ({
        message: `run ${r.runId} (${r.name}): only ${r.repetitions.valid} of ${r.repetitions.total} repetitions were valid, so its figures rest on few measurements; rerun it on a quieter machine`,
      })),
};

/** Warning rules; every one is checked. */
export const warningRules = {
  'weave-archived': weaveArchived,
  'flannel-ignores-network-policy': flannelIgnoresNetworkPolicy,
  'ingress-nginx-retired': ingressNginxRetired,
  'mesh-breaks-p99-budget': meshBreaksP99Budget,
  'mesh-breaks-cpu-budget': meshBreaksCpuBudget,
  'evidence-contradicts-default': evidenceContradictsDefault,
  'mesh-without-a-need': meshWithoutANeed,
  'weak-evidence': weakEvidence,
} satisfies Record<string, WarningRule>;
