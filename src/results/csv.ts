/** results.csv: one row per trial × repetition with the headline figures (pure). */
import { dimensionNames } from '../spec/dimensions.js';
import type { Results } from './schema.js';

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
] as const;

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
  const header = [
    'trial',
    ...dimensionNames,
    'repetition',
    'status',
    ...figureColumns,
    'invalid_reasons',
  ];
  const rows = [header.join(',')];
  for (const t of results.trials) {
    for (const r of t.repetitions) {
      const figures: Record<(typeof figureColumns)[number], unknown> = {
        requested_rps: r.requestedRps,
        achieved_rps: r.achievedRps,
        latency_p50_us: r.latencyUs?.p50,
        latency_p90_us: r.latencyUs?.p90,
        latency_p99_us: r.latencyUs?.p99,
        latency_p999_us: r.latencyUs?.p999,
        latency_max_us: r.latencyUs?.max,
        latency_mean_us: r.latencyUs?.mean,
        service_p50_us: r.serviceLatencyUs?.p50,
        service_p99_us: r.serviceLatencyUs?.p99,
        schedule_lag_p99_us: r.scheduleLagUs?.p99,
        requests: r.requests?.completed,
        errors: r.errors,
        timeouts: r.timeouts,
        duration_s: r.durationS,
        generator_cpu_percent: r.generator?.cpuPercent,
      };
      rows.push(
        [
          t.id,
          ...dimensionNames.map((n) => t.dimensions[n]),
          r.index + 1,
          r.status,
          ...figureColumns.map((c) => figures[c]),
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
