/**
 * Observability rules, in the order they are tried. Drawn from seed-001 (Hubble flows into
 * Grafana with four dashboards; requests instrumented in the applications), seed-003 (Retina
 * brings the Hubble interface to other CNIs) and seed-000 (Prometheus and Grafana; Flannel's
 * limited built-in monitoring).
 */
import type { AdviceContext, DecisionRule } from '../advice-types.js';
import { seed } from '../sources.js';

/** The four dashboards seed-001 builds first from flow data. */
export const flowDashboards = [
  'service map: who talks to whom, at what rate',
  'error rates: HTTP 5xx and connection failures per service and endpoint',
  'latency: p50/p95/p99 per service pair',
  'policy denials: NetworkPolicy drops and DNS failures',
] as const;

function requestsLine(ctx: AdviceContext): string[] {
  return ctx.req.needs.observability === 'requests'
    ? [
        'requests: instrument them in the applications (OpenTelemetry), not in the network; add L7 visibility for specific services only where flows are not enough',
      ]
    : [];
}

const hubbleFlowsToGrafana: DecisionRule<'observability'> = {
  decision: 'observability',
  summary:
    'Hubble flows into Prometheus and Grafana, four dashboards first, when the CNI is Cilium.',
  sources: [
    seed('seed-001', 'observability: Hubble flows → Grafana, four dashboards'),
    seed('seed-003', 'Hubble with Prometheus and Grafana'),
  ],
  decide(ctx) {
    if (ctx.cni !== 'cilium') return undefined;
    return {
      choice: 'hubble',
      because: [
        'Cilium records flows in the kernel (source, destination, verdict, latency); export them with the Hubble Prometheus exporter to Grafana',
        `build these four dashboards first: ${flowDashboards.join('; ')}`,
        ...requestsLine(ctx),
      ],
      switchWhen: [
        'flow data is not enough for a specific debugging case: L7 visibility for that service',
      ],
      confidence: 'high',
    };
  },
};

const retinaForOtherCnis: DecisionRule<'observability'> = {
  decision: 'observability',
  summary:
    "Microsoft Retina (Hubble's interface on any CNI) for production clusters on Calico or another CNI.",
  sources: [seed('seed-003', 'Microsoft Retina: CNI-agnostic, Hubble control plane')],
  decide(ctx) {
    if (ctx.cni === 'flannel' || ctx.req.cluster.purpose === 'development') return undefined;
    return {
      choice: 'retina',
      because: [
        `the CNI is ${ctx.cni ?? 'not Cilium'}: Retina gives eBPF flow visibility through Hubble's interface on any CNI, into Prometheus and Grafana`,
        `build these four dashboards first: ${flowDashboards.join('; ')}`,
        ...requestsLine(ctx),
      ],
      switchWhen: ['the CNI becomes Cilium: Hubble directly'],
      confidence: 'medium',
    };
  },
};

const prometheusGrafanaForDev: DecisionRule<'observability'> = {
  decision: 'observability',
  summary: 'Prometheus and Grafana from node and application metrics for development clusters.',
  sources: [
    seed('seed-000', 'methodology: Prometheus and Grafana; Flannel has little built-in monitoring'),
  ],
  decide(ctx) {
    return {
      choice: 'prometheus-grafana',
      because: [
        'a development cluster: node and application metrics in Prometheus and Grafana are enough; flow tooling can wait',
        ...requestsLine(ctx),
      ],
      switchWhen: ['the cluster goes to production: flow visibility (Hubble or Retina)'],
      confidence: 'medium',
    };
  },
};

/** Observability rules in the order they are tried; the first that applies decides. */
export const observabilityRules = {
  'hubble-flows-to-grafana': hubbleFlowsToGrafana,
  'retina-for-other-cnis': retinaForOtherCnis,
  'prometheus-grafana-for-dev': prometheusGrafanaForDev,
} satisfies Record<string, DecisionRule<'observability'>>;
