/**
 * The four dashboards the field guides tell platform teams to build first — service map, error
 * rates, latency P50/P95/P99 per service pair, policy denials — over the metrics clusters
 * already have: Cilium's Hubble exporter and Istio's standard metrics, side by side, with the
 * lab's own figure where netbench has one. Hubble's labels depend on its metric options; these
 * panels expect workload context labels (docs/observability.md gives the Helm values):
 * `labelsContext=source_namespace,source_workload,destination_namespace,destination_workload`.
 */
import type { DashboardSpec, QuerySpec } from './dashboard-spec.js';

const rate = (metric: string): string => `rate(${metric}[$__rate_interval])`;
const hubblePair = 'source_namespace, source_workload, destination_namespace, destination_workload';
const istioPair =
  'source_workload_namespace, source_workload, destination_workload_namespace, destination_workload';
const hubbleDst = 'destination_namespace, destination_workload';
const istioDst = 'destination_workload_namespace, destination_workload';
const pairLegend = '{{source_workload}} → {{destination_workload}}';

const serviceMap: DashboardSpec = {
  uid: 'netbench-service-map',
  title: 'Service map: who talks to whom',
  description:
    'Requests and flows per second for every source → destination workload pair (Hubble flows, Istio requests and TCP connections).',
  tags: ['netbench', 'field-guide', 'hubble', 'istio'],
  variables: [],
  panels: [
    {
      title: 'Hubble: forwarded flows per second by pair',
      description: 'Flows Cilium forwarded, by source and destination workload.',
      kind: 'table',
      unit: 'short',
      queries: [
        {
          expr: `sum by (${hubblePair}) (${rate('hubble_flows_processed_total{verdict="FORWARDED"}')})`,
          legend: pairLegend,
          instant: true,
        },
      ],
    },
    {
      title: 'Istio: requests per second by pair',
      description: 'HTTP/gRPC requests as the destination proxy saw them.',
      kind: 'table',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (${istioPair}) (${rate('istio_requests_total{reporter="destination"}')})`,
          legend: pairLegend,
          instant: true,
        },
      ],
    },
    {
      title: 'Hubble: flows per second over time',
      description: 'The same pairs over time.',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: `sum by (${hubblePair}) (${rate('hubble_flows_processed_total{verdict="FORWARDED"}')})`,
          legend: pairLegend,
        },
      ],
    },
    {
      title: 'Istio: TCP connections opened per second by pair',
      description: 'Connections for TCP services (no HTTP parsing).',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: `sum by (${istioPair}) (${rate('istio_tcp_connections_opened_total{reporter="destination"}')})`,
          legend: pairLegend,
        },
      ],
    },
  ],
};

/** Share of 5xx responses: `matchers` select the responses, `codeLabel` holds the status. */
const fiveXxShare = (metric: string, codeLabel: string, by: string, matchers: string[]): string => {
  const all = `${metric}{${matchers.join(',')}}`;
  const failed = `${metric}{${[...matchers, `${codeLabel}=~"5.."`].join(',')}}`;
  return `sum by (${by}) (${rate(failed)}) / sum by (${by}) (${rate(all)})`;
};

const errorRates: DashboardSpec = {
  uid: 'netbench-error-rates',
  title: 'Error rates: HTTP 5xx and connection failures',
  description:
    'Share of 5xx responses per destination workload, dropped packets by reason, TCP resets (Hubble) and Envoy response flags (Istio).',
  tags: ['netbench', 'field-guide', 'hubble', 'istio'],
  variables: [],
  panels: [
    {
      title: 'Hubble: 5xx share per destination',
      description: 'HTTP responses with status 5xx over all responses (httpV2 metric).',
      kind: 'timeseries',
      unit: 'percentunit',
      queries: [
        {
          expr: fiveXxShare('hubble_http_requests_total', 'status', hubbleDst, []),
          legend: '{{destination_namespace}}/{{destination_workload}}',
        },
      ],
    },
    {
      title: 'Istio: 5xx share per destination',
      description: 'Responses with code 5xx over all responses, reported by the destination.',
      kind: 'timeseries',
      unit: 'percentunit',
      queries: [
        {
          expr: fiveXxShare('istio_requests_total', 'response_code', istioDst, [
            'reporter="destination"',
          ]),
          legend: '{{destination_workload_namespace}}/{{destination_workload}}',
        },
      ],
    },
    {
      title: 'Hubble: dropped packets by reason',
      description: 'Every drop Cilium saw (policy, invalid packets, missing routes…).',
      kind: 'timeseries',
      unit: 'pps',
      queries: [{ expr: `sum by (reason) (${rate('hubble_drop_total')})`, legend: '{{reason}}' }],
    },
    {
      title: 'Hubble: TCP resets',
      description: 'RST flags seen per second: refused or aborted connections.',
      kind: 'timeseries',
      unit: 'pps',
      queries: [
        {
          expr: `sum by (${hubbleDst}) (${rate('hubble_tcp_flags_total{flag="RST"}')})`,
          legend: '{{destination_namespace}}/{{destination_workload}}',
        },
      ],
    },
    {
      title: 'Istio: failed requests by response flag',
      description:
        'Requests the source proxy could not complete normally (UF upstream connection failure, UH no healthy upstream, URX retries exhausted…).',
      kind: 'timeseries',
      unit: 'reqps',
      width: 24,
      queries: [
        {
          expr: `sum by (destination_workload, response_flags) (${rate('istio_requests_total{reporter="source",response_flags!="-"}')})`,
          legend: '{{destination_workload}} {{response_flags}}',
        },
      ],
    },
  ],
};

const pairQuantiles = (bucket: string, scale: string): QuerySpec[] =>
  [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le, source_workload, destination_workload) (${rate(bucket)}))${scale}`,
    legend: `${pairLegend} p${q * 100}`,
  }));

const latency: DashboardSpec = {
  uid: 'netbench-latency-pairs',
  title: 'Latency P50 / P95 / P99 per service pair',
  description:
    "Request latency per source → destination workload from Hubble's and Istio's histograms, and netbench's lab measurement per trial for comparison.",
  tags: ['netbench', 'field-guide', 'hubble', 'istio'],
  variables: [],
  panels: [
    {
      title: 'Hubble: HTTP latency per pair',
      description:
        'hubble_http_request_duration_seconds (httpV2 metric), quantiles over the interval.',
      kind: 'timeseries',
      unit: 's',
      queries: pairQuantiles('hubble_http_request_duration_seconds_bucket', ''),
    },
    {
      title: 'Istio: request latency per pair',
      description: 'istio_request_duration_milliseconds reported by the destination, in seconds.',
      kind: 'timeseries',
      unit: 's',
      queries: pairQuantiles(
        'istio_request_duration_milliseconds_bucket{reporter="destination"}',
        ' / 1000',
      ),
    },
    {
      title: 'netbench lab: latency per trial',
      description:
        'P50/P95/P99 of the valid repetitions of each trial (merged histogram buckets), for the same question asked of the lab.',
      kind: 'bargauge',
      unit: 's',
      width: 24,
      queries: [0.5, 0.95, 0.99].map((q) => ({
        expr: `histogram_quantile(${q}, sum by (trial, le) (netbench_latency_seconds_bucket{status="ok"}))`,
        legend: `{{trial}} p${q * 100}`,
        instant: true,
      })),
    },
  ],
};

const policyDenials: DashboardSpec = {
  uid: 'netbench-policy-denials',
  title: 'Policy denials and DNS failures',
  description:
    "NetworkPolicy drops per pair and direction (Hubble policy verdicts), drops for policy, DNS failures, Istio authorization denials, and the lab enforcer's drops per policy.",
  tags: ['netbench', 'field-guide', 'hubble', 'istio'],
  variables: [],
  panels: [
    {
      title: 'Hubble: policy drops per pair and direction',
      description: 'hubble_policy_verdicts_total with action dropped (policy metric).',
      kind: 'timeseries',
      unit: 'pps',
      queries: [
        {
          expr: `sum by (${hubblePair}, direction) (${rate('hubble_policy_verdicts_total{action="dropped"}')})`,
          legend: `${pairLegend} {{direction}}`,
        },
      ],
    },
    {
      title: 'Hubble: packets dropped as POLICY_DENIED',
      description: 'Drops whose reason is a policy denial, per destination.',
      kind: 'timeseries',
      unit: 'pps',
      queries: [
        {
          expr: `sum by (${hubbleDst}) (${rate('hubble_drop_total{reason="POLICY_DENIED"}')})`,
          legend: '{{destination_namespace}}/{{destination_workload}}',
        },
      ],
    },
    {
      title: 'Hubble: DNS failures by response code',
      description: 'DNS responses other than "No Error" (dns metric).',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: `sum by (rcode) (${rate('hubble_dns_responses_total{rcode!="No Error"}')})`,
          legend: '{{rcode}}',
        },
      ],
    },
    {
      title: 'Istio: requests denied by authorization (403)',
      description: 'AuthorizationPolicy denials answer 403; per pair, reported by the destination.',
      kind: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (${istioPair}) (${rate('istio_requests_total{reporter="destination",response_code="403"}')})`,
          legend: pairLegend,
        },
      ],
    },
    {
      title: 'netbench lab: drops per policy',
      description:
        "Packets the lab's iptables/nftables enforcer dropped (default-deny: no rule allowed them) and allowed, per trial and policy.",
      kind: 'table',
      unit: 'short',
      width: 24,
      queries: [
        {
          expr: 'sum by (trial, policy, direction, verdict) (netbench_policy_packets)',
          legend: '{{trial}} {{policy}} {{direction}} {{verdict}}',
          instant: true,
        },
      ],
    },
  ],
};

/** The field guide's four dashboards, in its order. */
export const fieldGuideDashboards: DashboardSpec[] = [
  serviceMap,
  errorRates,
  latency,
  policyDenials,
];
