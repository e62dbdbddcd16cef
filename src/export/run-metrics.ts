/**
 * results.json → metric families, pure. One series per repetition (labels: run id, trial,
 * repetition, status and every dimension), figures in Prometheus base units (seconds, bytes,
 * ratios), each family named in one table below. Latency is exported twice: as a histogram
 * rebuilt from the HDR data (aggregate it with `histogram_quantile`) and as the exact
 * percentiles of results.json (gauges, label `percentile`).
 */
import type { LatencySummary, RepetitionRecord, Results } from '../results/schema.js';
import { repetitionLabels, type MetricLabels } from './labels.js';
import { bucketsFromHdr, microsToSeconds } from './latency-buckets.js';
import type { GaugeFamily, HistogramFamily, MetricFamily } from './metric-family.js';
import { overheadFamily } from './overhead-metrics.js';

/** A figure of one repetition: zero or more values, each with its extra labels. */
type RepetitionFigure = (rep: RepetitionRecord) => { labels?: MetricLabels; value: number }[];

interface GaugeDefinition {
  name: string;
  help: string;
  values: RepetitionFigure;
}

/** The latency distributions of a repetition and their exported names. */
export const latencyKinds = [
  {
    key: 'latencyUs',
    name: 'netbench_latency',
    what: 'request latency from the intended send time (coordinated omission corrected)',
  },
  {
    key: 'serviceLatencyUs',
    name: 'netbench_service_latency',
    what: 'request latency from the actual send (service time)',
  },
  {
    key: 'scheduleLagUs',
    name: 'netbench_schedule_lag',
    what: "how late the load generator's own clock fired requests",
  },
] as const;

/** The percentile label's values and the summary field each comes from (0 = min, 100 = max). */
export const exportedPercentiles = [
  ['0', 'min'],
  ['50', 'p50'],
  ['90', 'p90'],
  ['99', 'p99'],
  ['99.9', 'p999'],
  ['100', 'max'],
] as const satisfies readonly (readonly [string, keyof LatencySummary])[];

const one = (value: number | null | undefined, labels?: MetricLabels) =>
  value === undefined || value === null ? [] : [{ value, ...(labels ? { labels } : {}) }];

const percentileGauges: GaugeDefinition[] = latencyKinds.map((k) => ({
  name: `${k.name}_percentile_seconds`,
  help: `Percentiles of the ${k.what}, from the repetition's HDR histogram (percentile 0 is the minimum, 100 the maximum).`,
  values: (rep) => {
    const summary = rep[k.key];
    if (summary === undefined || summary.count === 0) return [];
    return exportedPercentiles.map(([percentile, field]) => ({
      labels: { percentile },
      value: microsToSeconds(summary[field]),
    }));
  },
}));

/** Every gauge of a repetition, one entry per family. */
export const repetitionGauges: GaugeDefinition[] = [
  ...percentileGauges,
  {
    name: 'netbench_latency_mean_seconds',
    help: 'Mean request latency from the intended send time.',
    values: (rep) =>
      one(rep.latencyUs === undefined ? undefined : microsToSeconds(rep.latencyUs.mean)),
  },
  {
    name: 'netbench_offered_requests_per_second',
    help: 'Request rate asked of the open-loop generator (absent in closed loop).',
    values: (rep) => one(rep.requestedRps),
  },
  {
    name: 'netbench_achieved_requests_per_second',
    help: 'Successful responses per second inside the measured window.',
    values: (rep) => one(rep.achievedRps),
  },
  {
    name: 'netbench_requests',
    help: 'Requests of the measured window by outcome (scheduled, sent, completed, errors, timeouts, unsent).',
    values: (rep) =>
      rep.requests === undefined
        ? []
        : Object.entries(rep.requests).map(([outcome, value]) => ({ labels: { outcome }, value })),
  },
  {
    name: 'netbench_request_errors',
    help: 'Failed requests of the measured window by kind (http_503, ECONNRESET, …).',
    values: (rep) =>
      Object.entries(rep.errorKinds ?? {}).map(([kind, value]) => ({ labels: { kind }, value })),
  },
  {
    name: 'netbench_repetition_duration_seconds',
    help: 'Length of the measured window.',
    values: (rep) => one(rep.durationS),
  },
  {
    name: 'netbench_throughput_bytes_per_second',
    help: 'Stream payload throughput, summed over streams (direction received or sent).',
    values: (rep) =>
      rep.throughput === undefined
        ? []
        : [
            ...one(rep.throughput.bitsPerSecond / 8, { direction: 'received' }),
            ...one(
              rep.throughput.sentBitsPerSecond === undefined
                ? undefined
                : rep.throughput.sentBitsPerSecond / 8,
              { direction: 'sent' },
            ),
          ],
  },
  {
    name: 'netbench_tcp_retransmits',
    help: 'TCP segments retransmitted during the window (stream workloads).',
    values: (rep) => one(rep.throughput?.retransmits),
  },
  {
    name: 'netbench_udp_packets',
    help: 'UDP datagrams of the window: sent, lost, dropped by the receiving socket (rcvbuf_errors) and lost in the datapath.',
    values: (rep) => {
      const u = rep.udp;
      if (u === undefined) return [];
      return [
        ...one(u.sentPackets, { outcome: 'sent' }),
        ...one(u.lostPackets, { outcome: 'lost' }),
        ...one(u.rcvbufErrors, { outcome: 'rcvbuf_errors' }),
        ...one(u.datapathLostPackets, { outcome: 'datapath_lost' }),
      ];
    },
  },
  {
    name: 'netbench_udp_loss_ratio',
    help: 'Share of UDP datagrams lost (scope all), and lost in the datapath rather than at the receiving socket (scope datapath).',
    values: (rep) => {
      const u = rep.udp;
      if (u === undefined) return [];
      return [
        ...one(u.lossPercent / 100, { scope: 'all' }),
        ...one(u.datapathLossPercent === undefined ? undefined : u.datapathLossPercent / 100, {
          scope: 'datapath',
        }),
      ];
    },
  },
  {
    name: 'netbench_udp_jitter_seconds',
    help: 'UDP jitter as iperf3 reports it.',
    values: (rep) => one(rep.udp === undefined ? undefined : microsToSeconds(rep.udp.jitterUs)),
  },
  {
    name: 'netbench_resource_cpu_cores',
    help: 'Average CPU of a pod, proxy or node daemon over the window, in cores (1 = one core busy).',
    values: (rep) =>
      (rep.resources ?? []).map((r) => ({ labels: resourceLabels(r), value: r.cpuPercent / 100 })),
  },
  {
    name: 'netbench_resource_cpu_seconds',
    help: 'CPU time a pod, proxy or node daemon used over the window.',
    values: (rep) =>
      (rep.resources ?? []).map((r) => ({ labels: resourceLabels(r), value: r.cpuSeconds })),
  },
  {
    name: 'netbench_resource_rss_bytes',
    help: 'Resident memory of a pod, proxy or node daemon at the end of the window.',
    values: (rep) =>
      (rep.resources ?? []).map((r) => ({ labels: resourceLabels(r), value: r.rssBytes })),
  },
  {
    name: 'netbench_resource_peak_rss_bytes',
    help: 'Highest resident memory seen while sampling the window.',
    values: (rep) =>
      (rep.resources ?? []).map((r) => ({ labels: resourceLabels(r), value: r.peakRssBytes })),
  },
  {
    name: 'netbench_generator_cpu_cores',
    help: "The load generator's own CPU over the window, in cores.",
    values: (rep) => one(rep.generator === undefined ? undefined : rep.generator.cpuPercent / 100),
  },
  {
    name: 'netbench_policy_packets',
    help: 'Packets the NetworkPolicy enforcer allowed or dropped during the repetition, per node, endpoint, direction and rule (policy "default-deny" for drops of an isolated pod).',
    values: (rep) =>
      (rep.policyCounters?.counters ?? []).map((c) => ({
        labels: {
          node: c.node,
          pod: c.pod,
          direction: c.direction,
          verdict: c.verdict,
          policy: c.policy,
          rule: c.rule,
        },
        value: c.packets,
      })),
  },
];

function resourceLabels(r: NonNullable<RepetitionRecord['resources']>[number]): MetricLabels {
  return { scope: r.scope, group: r.name, node: r.node ?? '', role: r.role };
}

function gaugeFamily(results: Results, def: GaugeDefinition): GaugeFamily {
  const samples: GaugeFamily['samples'] = [];
  for (const trial of results.trials) {
    for (const rep of trial.repetitions) {
      const base = repetitionLabels(results, trial, rep);
      for (const v of def.values(rep))
        samples.push({ labels: { ...base, ...v.labels }, value: v.value });
    }
  }
  return { kind: 'gauge', name: def.name, help: def.help, samples };
}

function histogramFamilies(results: Results): HistogramFamily[] {
  return latencyKinds.map((k) => {
    const samples: HistogramFamily['samples'] = [];
    for (const trial of results.trials) {
      for (const rep of trial.repetitions) {
        const encoded = rep.histograms?.[k.key];
        if (encoded === undefined) continue;
        samples.push({
          labels: repetitionLabels(results, trial, rep),
          buckets: bucketsFromHdr(encoded),
        });
      }
    }
    return {
      kind: 'histogram',
      name: `${k.name}_seconds`,
      help: `Histogram of the ${k.what}, rebuilt from the repetition's HDR histogram.`,
      samples,
    };
  });
}

function runInfo(results: Results): GaugeFamily {
  return {
    kind: 'gauge',
    name: 'netbench_run_info',
    help: 'The run: its scenario, status, netbench version and platform (value 1).',
    samples: [
      {
        labels: {
          run_id: results.runId,
          scenario: typeof results.scenario.name === 'string' ? results.scenario.name : '',
          status: results.status,
          version: results.tool.version,
          platform: results.environment.platform,
          kernel: results.environment.kernel,
        },
        value: 1,
      },
    ],
  };
}

export interface RunMetricOptions {
  /**
   * Include the analysis' overheads against the baseline (a bootstrap: seconds of CPU on a big
   * run, so the live endpoint leaves them out while traffic is measured). @default true
   */
  overheads?: boolean;
}

/** Every family of a run; families without a sample are left out. */
export function runMetricFamilies(
  results: Results,
  options: RunMetricOptions = {},
): MetricFamily[] {
  const families: MetricFamily[] = [
    runInfo(results),
    ...histogramFamilies(results),
    ...repetitionGauges.map((def) => gaugeFamily(results, def)),
    ...(options.overheads === false ? [] : [overheadFamily(results)]),
  ];
  return families.filter((f) => f.samples.length > 0);
}
