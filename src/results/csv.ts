/** results.csv: one row per trial × repetition with the headline figures (pure). */
import { dimensionNames } from '../spec/dimensions.js';
import { repetitionFigures } from './repetition-figures.js';
import type { RepetitionRecord, Results } from './schema.js';

const figureColumns = [
  'requested_rps',
  'achieved_rps',
  'latency_p50_us',
  'latency_p90_us',
  'latency_p99_us',
  'latency_p999_us',
  'latency_max_us',
  'latency_mean_us',
  'service_p50_us',
  'service_p99_us',
  'schedule_lag_p99_us',
  'requests',
  'errors',
  'timeouts',
  'duration_s',
  'generator_cpu_percent',
  'generator_event_loop_utilization',
  'engine',
  'load_spec',
  'load_fraction',
  'capacity',
  'capacity_unit',
  'throughput_bps',
  'sent_bps',
  'target_bps',
  'retransmits',
  'udp_sent_packets',
  'udp_lost_packets',
  'udp_loss_percent',
  'udp_rcvbuf_errors',
  'udp_datapath_loss_percent',
  'udp_jitter_us',
  'pinning_client_cpus',
  'pinning_server_cpus',
] as const;

/** Per pod / node daemon resource columns, one set per group seen anywhere in the results. */
const resourceFigures = [
  'cpu_percent',
  'rss_bytes',
  'peak_rss_bytes',
  'cpu_s_per_1k_requests',
  'cpu_percent_per_gbps',
] as const;

type Resource = NonNullable<RepetitionRecord['resources']>[number];

function resourceKey(r: Resource): string {
  const name = r.scope === 'pod' ? r.name : `${r.node ?? 'node'}_${r.name}`;
  return name.replace(/[^A-Za-z0-9]+/g, '_');
}

function resourceValue(r: Resource, figure: (typeof resourceFigures)[number]): unknown {
  switch (figure) {
    case 'cpu_percent':
      return r.cpuPercent;
    case 'rss_bytes':
      return r.rssBytes;
    case 'peak_rss_bytes':
      return r.peakRssBytes;
    case 'cpu_s_per_1k_requests':
      return r.cpuSecondsPer1kRequests;
    case 'cpu_percent_per_gbps':
      return r.cpuPercentPerGbps;
  }
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s =
    typeof value === 'number'
      ? String(Math.round(value * 1000) / 1000)
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultsToCsv(results: Results): string {
  const groups = [
    ...new Set(
      results.trials.flatMap((t) =>
        t.repetitions.flatMap((r) => (r.resources ?? []).map(resourceKey)),
      ),
    ),
  ].sort();
  const resourceColumns = groups.flatMap((g) => resourceFigures.map((f) => `res_${g}_${f}`));
  const header = [
    'trial',
    ...dimensionNames,
    'repetition',
    'status',
    ...figureColumns,
    ...resourceColumns,
    'invalid_reasons',
  ];
  const rows = [header.join(',')];
  for (const t of results.trials) {
    for (const r of t.repetitions) {
      const f = repetitionFigures(r);
      const figures: Record<(typeof figureColumns)[number], unknown> = {
        requested_rps: r.requestedRps,
        achieved_rps: f.rps,
        latency_p50_us: f.p50,
        latency_p90_us: f.p90,
        latency_p99_us: f.p99,
        latency_p999_us: f.p999,
        latency_max_us: r.latencyUs?.max,
        latency_mean_us: f.mean,
        service_p50_us: r.serviceLatencyUs?.p50,
        service_p99_us: r.serviceLatencyUs?.p99,
        schedule_lag_p99_us: r.scheduleLagUs?.p99,
        requests: r.requests?.completed,
        errors: r.errors,
        timeouts: r.timeouts,
        duration_s: r.durationS,
        generator_cpu_percent: r.generator?.cpuPercent,
        generator_event_loop_utilization: r.generator?.eventLoopUtilization,
        engine: r.engine,
        load_spec: r.load?.spec,
        load_fraction: r.load?.fraction,
        capacity: r.load?.capacity?.value,
        capacity_unit: r.load?.capacity?.unit,
        throughput_bps: f.throughput,
        sent_bps: r.throughput?.sentBitsPerSecond,
        target_bps: r.throughput?.targetBitsPerSecond,
        retransmits: r.throughput?.retransmits,
        udp_sent_packets: r.udp?.sentPackets,
        udp_lost_packets: r.udp?.lostPackets,
        udp_loss_percent: r.udp?.lossPercent,
        udp_rcvbuf_errors: r.udp?.rcvbufErrors,
        udp_datapath_loss_percent: r.udp?.datapathLossPercent,
        udp_jitter_us: r.udp?.jitterUs,
        pinning_client_cpus: r.pinning?.client.join(' '),
        pinning_server_cpus: r.pinning?.server.join(' '),
      };
      const byGroup = new Map((r.resources ?? []).map((x) => [resourceKey(x), x]));
      const resourceCells = groups.flatMap((g) =>
        resourceFigures.map((f) => {
          const x = byGroup.get(g);
          return x === undefined ? undefined : resourceValue(x, f);
        }),
      );
      rows.push(
        [
          t.id,
          ...dimensionNames.map((n) => t.dimensions[n]),
          r.index + 1,
          r.status,
          ...figureColumns.map((c) => figures[c]),
          ...resourceCells,
          [
            ...r.invalidReasons,
            ...(r.error === undefined ? [] : [`${r.error.code}: ${r.error.message}`]),
          ].join('; '),
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
