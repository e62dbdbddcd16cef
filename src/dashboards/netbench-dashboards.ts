/**
 * Dashboards over netbench's own metrics: one for finished runs (`netbench export`, pushed or
 * scraped) and one for a run in progress (`netbench run --metrics-port`). The run dashboard
 * shows the analysis' overheads as exported, so it agrees with report.html; percentiles over
 * trials come from merged histogram buckets (histograms are merged, never averaged).
 */
import type { DashboardSpec, PanelSpec } from './dashboard-spec.js';

const run = 'run_id=~"$run_id"';
const sel = `${run},trial=~"$trial"`;
const ok = `${sel},status="ok"`;

const mergedQuantile = (q: number): string =>
  `histogram_quantile(${q}, sum by (trial, le) (netbench_latency_seconds_bucket{${ok}}))`;

const runPanels: PanelSpec[] = [
  {
    title: 'Latency p50 / p90 / p99 per trial',
    description:
      'From the histograms of the valid repetitions merged per trial (bucket-interpolated: for the exact figures see the next panel and report.html).',
    kind: 'bargauge',
    unit: 's',
    queries: [0.5, 0.9, 0.99].map((q) => ({
      expr: mergedQuantile(q),
      legend: `{{trial}} p${q * 100}`,
      instant: true,
    })),
  },
  {
    title: 'Percentiles per repetition (exact)',
    description:
      'The percentiles results.json records for each repetition, from its HDR histogram.',
    kind: 'table',
    unit: 's',
    queries: [
      {
        expr: `netbench_latency_percentile_seconds{${sel},percentile=~"50|99|99.9"}`,
        legend: '{{trial}} #{{repetition}} p{{percentile}}',
        instant: true,
      },
    ],
  },
  {
    title: 'Overhead against the baseline',
    description:
      "Change of p50 and p99 against the scenario's baseline trial, with the verdict of report.html (intervals: bound low/high).",
    kind: 'bargauge',
    unit: 'percentunit',
    queries: [
      {
        expr: `netbench_overhead_ratio{${run},trial=~"$trial",bound="estimate",figure=~"p50|p99"}`,
        legend: '{{trial}} vs {{baseline_trial}} {{figure}} ({{verdict}})',
        instant: true,
      },
    ],
  },
  {
    title: 'Offered and achieved request rate',
    description: 'Requested (open loop) and successful responses per second, per repetition.',
    kind: 'table',
    unit: 'reqps',
    queries: [
      {
        expr: `netbench_offered_requests_per_second{${sel}}`,
        legend: '{{trial}} #{{repetition}} offered',
        instant: true,
      },
      {
        expr: `netbench_achieved_requests_per_second{${sel}}`,
        legend: '{{trial}} #{{repetition}} achieved',
        instant: true,
      },
    ],
  },
  {
    title: 'Throughput',
    description: 'Received stream throughput, mean of the valid repetitions per trial.',
    kind: 'bargauge',
    unit: 'bps',
    queries: [
      {
        expr: `avg by (trial) (netbench_throughput_bytes_per_second{${ok},direction="received"}) * 8`,
        legend: '{{trial}}',
        instant: true,
      },
    ],
  },
  {
    title: 'UDP loss',
    description: 'Share of datagrams lost, all and in the datapath only, mean per trial.',
    kind: 'bargauge',
    unit: 'percentunit',
    queries: [
      {
        expr: `avg by (trial, scope) (netbench_udp_loss_ratio{${ok}})`,
        legend: '{{trial}} {{scope}}',
        instant: true,
      },
    ],
  },
  {
    title: 'Errors, timeouts and unsent requests',
    description: 'Per trial, all repetitions together.',
    kind: 'table',
    unit: 'short',
    queries: [
      {
        expr: `sum by (trial, outcome) (netbench_requests{${sel},outcome=~"errors|timeouts|unsent"})`,
        legend: '{{trial}} {{outcome}}',
        instant: true,
      },
    ],
  },
  {
    title: 'CPU per pod, proxy and node daemon',
    description: 'Average cores busy over the measured window, mean of the valid repetitions.',
    kind: 'bargauge',
    unit: 'short',
    queries: [
      {
        expr: `avg by (trial, group, role) (netbench_resource_cpu_cores{${ok}})`,
        legend: '{{trial}} {{group}} ({{role}})',
        instant: true,
      },
    ],
  },
  {
    title: 'Memory per pod, proxy and node daemon',
    description: 'Resident memory at the end of the window, mean of the valid repetitions.',
    kind: 'bargauge',
    unit: 'bytes',
    queries: [
      {
        expr: `avg by (trial, group, role) (netbench_resource_rss_bytes{${ok}})`,
        legend: '{{trial}} {{group}} ({{role}})',
        instant: true,
      },
    ],
  },
  {
    title: 'NetworkPolicy verdicts in the lab',
    description:
      "Packets the lab's enforcer allowed and dropped per policy (default-deny: dropped for want of an allowing rule), all repetitions together.",
    kind: 'table',
    unit: 'short',
    queries: [
      {
        expr: `sum by (trial, policy, verdict) (netbench_policy_packets{${sel}})`,
        legend: '{{trial}} {{policy}} {{verdict}}',
        instant: true,
      },
    ],
  },
];

export const netbenchRunDashboard: DashboardSpec = {
  uid: 'netbench-run',
  title: 'netbench: run results',
  description:
    'Latency, overhead against the baseline, throughput, loss, errors, CPU and memory per pod and proxy, and policy verdicts of netbench runs (netbench export).',
  tags: ['netbench'],
  from: 'now-7d',
  variables: [
    { name: 'run_id', label: 'Run', metric: 'netbench_run_info', labelName: 'run_id' },
    {
      name: 'trial',
      label: 'Trial',
      metric: 'netbench_latency_percentile_seconds{run_id=~"$run_id"}',
      labelName: 'trial',
    },
  ],
  panels: runPanels,
};

const live = 'run_id=~"$run_id"';

export const netbenchLiveDashboard: DashboardSpec = {
  uid: 'netbench-live',
  title: 'netbench: run in progress',
  description:
    'Progress, current request rate, latency and errors of a running netbench sweep (netbench run --metrics-port).',
  tags: ['netbench'],
  refresh: '5s',
  from: 'now-30m',
  variables: [
    {
      name: 'run_id',
      label: 'Run',
      metric: 'netbench_live_repetitions_planned',
      labelName: 'run_id',
    },
  ],
  panels: [
    {
      title: 'Progress',
      description: 'Finished repetitions as a share of the plan.',
      kind: 'stat',
      unit: 'percentunit',
      width: 6,
      queries: [{ expr: `netbench_live_progress_ratio{${live}}`, legend: '{{run_id}}' }],
    },
    {
      title: 'Finished repetitions by status',
      description: 'ok, invalid (measured, not trustworthy) and failed.',
      kind: 'stat',
      unit: 'short',
      width: 6,
      queries: [
        {
          expr: `sum by (status) (netbench_live_repetitions_finished_total{${live}})`,
          legend: '{{status}}',
        },
      ],
    },
    {
      title: 'Current request rate',
      description: 'Responses per second of the running repetition, as its generator reports.',
      kind: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `netbench_live_current_requests_per_second{${live}}`,
          legend: '{{trial}} #{{repetition}}',
        },
      ],
    },
    {
      title: 'Current p99 latency',
      description: 'p99 of the running repetition so far, as its generator reports.',
      kind: 'timeseries',
      unit: 's',
      queries: [
        {
          expr: `netbench_live_current_latency_p99_seconds{${live}}`,
          legend: '{{trial}} #{{repetition}}',
        },
      ],
    },
    {
      title: 'Request errors of finished repetitions',
      description: 'Errors and timeouts per trial, added as each repetition finishes.',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: `sum by (trial) (increase(netbench_live_request_errors_total{${live}}[$__rate_interval]))`,
          legend: '{{trial}}',
        },
      ],
    },
  ],
};
