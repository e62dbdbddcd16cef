/**
 * Service-mesh rules, in the order they are tried. Drawn from seed-001 (no mesh without a
 * specific need, under 20 services it is not worth it; Cilium mesh when on Cilium; Istio ambient
 * for auditable L7 compliance), seed-002 (sidecar costs, Linkerd as the light sidecar mesh for
 * teams without a platform team) and seed-003 (evaluate Istio ambient first). Every rule that
 * picks a mesh goes through the budget (mesh-budget.ts), so measurements can change its choice.
 */
import type { AdviceContext, DecisionRule } from '../advice-types.js';
import { seed } from '../sources.js';
import { pickWithinBudget } from './mesh-budget.js';

/** Below this many Services a mesh's operational cost is not justified (seed-001). */
export const smallClusterServices = 20;

const hasMeshNeed = (ctx: AdviceContext): boolean => {
  const n = ctx.req.needs;
  return n.mtls !== 'none' || n.l7Policy !== 'none' || n.l7Traffic || n.perPodL7;
};

const noMeshSwitchWhen = [
  'compliance mandates mTLS between every pair of services (needs.mtls: all)',
  'L7 policy on HTTP methods and paths is needed, across services you do not own',
  '50+ services need per-request tracing, canary splits or rate limits at the infrastructure level',
];

const noMeshWithoutANeed: DecisionRule<'mesh'> = {
  decision: 'mesh',
  summary: 'No mesh while no need for mTLS, L7 policy or L7 traffic management is stated.',
  sources: [
    seed('seed-001', '"Do you need a service mesh?": only for a specific problem'),
    seed('seed-002', '§9.2 do not adopt with few services and limited team resources'),
  ],
  decide(ctx) {
    if (hasMeshNeed(ctx)) return undefined;
    const { services } = ctx.req.cluster;
    return {
      choice: 'none',
      because: [
        'no need for mTLS, L7 policy or L7 traffic management is stated: a mesh would be another control plane to run, debug and upgrade without a problem to solve',
        services < smallClusterServices
          ? `${services} Services (< ${smallClusterServices}): retries and timeouts belong in the applications or a library`
          : `${services} Services: add a mesh when a specific need appears, not as best practice`,
      ],
      switchWhen: noMeshSwitchWhen,
      confidence: 'high',
    };
  },
};

const noMeshForPartialMtlsOnSmallClusters: DecisionRule<'mesh'> = {
  decision: 'mesh',
  summary: `No mesh under ${smallClusterServices} Services when only some pairs need mTLS and nothing L7: CNI encryption or cert-manager certificates do.`,
  sources: [
    seed('seed-001', 'no mesh under 20 services; Cilium encrypts pod-to-pod with WireGuard'),
    seed('seed-002', '§9.3 alternatives: cert-manager with SPIFFE/SPIRE, application TLS'),
  ],
  decide(ctx) {
    const n = ctx.req.needs;
    if (
      ctx.req.cluster.services >= smallClusterServices ||
      n.mtls !== 'some' ||
      n.l7Policy !== 'none' ||
      n.l7Traffic ||
      n.perPodL7
    ) {
      return undefined;
    }
    return {
      choice: 'none',
      because: [
        `${ctx.req.cluster.services} Services and mTLS for some pairs only: encrypt pod traffic in the CNI (Cilium's WireGuard) or issue workload certificates with cert-manager and SPIFFE, without a mesh`,
      ],
      switchWhen: noMeshSwitchWhen,
      confidence: 'medium',
    };
  },
};

const sidecarOnlyForPerPodL7: DecisionRule<'mesh'> = {
  decision: 'mesh',
  summary:
    'Sidecars only when every pod needs its own L7 proxy; Linkerd unless L7 policy must be auditable.',
  sources: [
    seed('seed-002', '§4.1 sidecars: L7 in every pod, provisioned per pod'),
    seed('seed-002', 'key takeaways: Linkerd the simplest sidecar mesh, 1/8 of the CPU'),
  ],
  decide(ctx) {
    if (!ctx.req.needs.perPodL7) return undefined;
    const auditable = ctx.req.needs.l7Policy === 'auditable';
    return pickWithinBudget(ctx, auditable ? ['istio-sidecar'] : ['linkerd', 'istio-sidecar'], {
      because: [
        'every pod needs its own L7 proxy, which only a sidecar gives (shared node proxies and waypoints serve many pods)',
        auditable
          ? 'L7 policy must be auditable: Istio sidecars enforce it synchronously'
          : 'Linkerd: automatic mTLS and a much lighter proxy than Envoy',
      ],
      switchWhen: [
        'per-pod L7 stops being a requirement: a sidecarless mesh (ambient, Cilium) costs per node, not per pod',
      ],
      confidence: 'high',
    });
  },
};

const istioAmbientForAuditableL7: DecisionRule<'mesh'> = {
  decision: 'mesh',
  summary:
    'Istio ambient (on Cilium when Cilium is the CNI) when L7 policy must be auditable: synchronous enforcement.',
  sources: [
    seed('seed-001', 'decision framework: Istio ambient for auditable L7 compliance'),
    seed('seed-001', 'Cilium mesh: eventual consistency of policy sync'),
  ],
  decide(ctx) {
    if (ctx.req.needs.l7Policy !== 'auditable') return undefined;
    return pickWithinBudget(ctx, ['istio-ambient', 'istio-sidecar'], {
      because: [
        'L7 policy must be auditable: Istio enforces it synchronously; Cilium mesh syncs policy with eventual consistency',
        ctx.cni === 'cilium'
          ? 'Istio ambient runs on top of Cilium as the CNI: keep Cilium, add ambient'
          : 'ambient: a node proxy (ztunnel) for mTLS and waypoints for L7, no sidecars to inject or restart',
      ],
      switchWhen: [
        'auditable L7 is no longer required and the CNI is Cilium: Cilium mesh runs one control plane fewer',
      ],
      confidence: 'high',
    });
  },
};

const ciliumMeshOnCilium: DecisionRule<'mesh'> = {
  decision: 'mesh',
  summary:
    'Cilium service mesh when the CNI is Cilium and L7 policy needs are basic: no sidecars, one control plane.',
  sources: [
    seed('seed-001', 'Cilium Service Mesh: the natural path on Cilium; decision framework'),
    seed('seed-003', 'for Cilium users, start with the built-in mesh'),
  ],
  decide(ctx) {
    if (ctx.cni !== 'cilium') return undefined;
    const allPairs = ctx.req.needs.mtls === 'all';
    return pickWithinBudget(ctx, ['cilium-mesh', 'istio-ambient'], {
      because: [
        'the CNI is Cilium: its mesh adds mTLS (SPIFFE identities, WireGuard or IPsec encryption) and L7 policy through a per-node Envoy, without sidecars or a second control plane',
        ...(allPairs
          ? [
              'mTLS for every pair: check with your auditors that identity-based authentication with network-layer encryption satisfies them',
            ]
          : []),
      ],
      switchWhen: [
        'L7 policy must be auditable (synchronous): Istio ambient on top of Cilium',
        'L7 load makes the shared per-node Envoy a bottleneck',
      ],
      confidence: 'high',
    });
  },
};

const linkerdForSmallTeams: DecisionRule<'mesh'> = {
  decision: 'mesh',
  summary:
    'Linkerd for a team with little capacity that needs a mesh on a CNI other than Cilium: zero-config mTLS, few CRDs.',
  sources: [
    seed('seed-002', 'key takeaways: Linkerd for teams without a dedicated platform team'),
    seed('seed-000', 'recommendations: Cilium with Linkerd for secure, observable workloads'),
  ],
  decide(ctx) {
    if (ctx.req.team.capacity !== 'low') return undefined;
    return pickWithinBudget(ctx, ['linkerd', 'istio-ambient'], {
      because: [
        'the team has little capacity: Linkerd encrypts with mTLS as soon as it is installed, has few CRDs and checked two-phase upgrades',
      ],
      switchWhen: [
        'L7 policy must be auditable: Istio ambient',
        'sidecar memory per pod outgrows the budget: a sidecarless mesh',
      ],
      confidence: 'medium',
    });
  },
};

const istioAmbientByDefault: DecisionRule<'mesh'> = {
  decision: 'mesh',
  summary:
    'Istio ambient for any other mesh need: node proxies for mTLS, waypoints only where L7 is needed.',
  sources: [
    seed('seed-003', 'service mesh: evaluate Istio ambient first'),
    seed('seed-002', '§9.3 ambient as a low-overhead entry point'),
  ],
  decide(ctx) {
    return pickWithinBudget(ctx, ['istio-ambient', 'linkerd', 'istio-sidecar'], {
      because: [
        'a mesh is needed (mTLS or L7) and the CNI is not Cilium: Istio ambient gives mTLS from one proxy per node, and L7 only where waypoints are added',
      ],
      switchWhen: [
        'the CNI becomes Cilium and L7 needs stay basic: Cilium mesh',
        'the team cannot take on a second control plane: Linkerd',
      ],
      confidence: 'medium',
    });
  },
};

/** Mesh rules in the order they are tried; the first that applies decides. */
export const meshRules = {
  'no-mesh-without-a-need': noMeshWithoutANeed,
  'no-mesh-for-partial-mtls-on-small-clusters': noMeshForPartialMtlsOnSmallClusters,
  'sidecar-only-for-per-pod-l7': sidecarOnlyForPerPodL7,
  'istio-ambient-for-auditable-l7': istioAmbientForAuditableL7,
  'cilium-mesh-on-cilium': ciliumMeshOnCilium,
  'linkerd-for-small-teams': linkerdForSmallTeams,
  'istio-ambient-by-default': istioAmbientByDefault,
} satisfies Record<string, DecisionRule<'mesh'>>;
