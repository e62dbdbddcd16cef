/**
 * CPU and memory over a measured window from resource readings (pure): a reading at the start, a
 * few during, one at the end. CPU is the growth of cumulative counters over the window, per
 * process when the platform sees processes (so a process that started inside the window counts
 * from zero, and one that exited counts until its last reading), per group otherwise. Memory is
 * the resident size at the end (or at the last reading that still saw the group's processes)
 * and the highest seen in any reading.
 */
import type {
  ProcessReading,
  ResourceGroupReading,
  ResourceReading,
} from '../platform/platform.js';
import type { ResourceUsage } from '../results/schema.js';

/** What the window carried, for CPU per unit of work. */
export interface WindowWork {
  /** Completed requests in the window (request workloads). */
  requests?: number;
  /** Received bits per second (stream workloads). */
  bitsPerSecond?: number;
}

const groupKey = (g: ResourceGroupReading): string => `${g.scope}/${g.node}/${g.name}`;
const processKey = (p: ProcessReading): string => `${p.pid}/${p.startTicks}`;

export function usageOverWindow(
  readings: readonly ResourceReading[],
  work: WindowWork = {},
): ResourceUsage[] {
  const first = readings[0];
  const last = readings[readings.length - 1];
  if (first === undefined || last === undefined || readings.length < 2) return [];
  const windowS = (last.atMs - first.atMs) / 1000;
  if (!(windowS > 0)) return [];

  const keys = new Map<string, ResourceGroupReading>();
  for (const r of readings) for (const g of r.groups) keys.set(groupKey(g), g);

  const out: ResourceUsage[] = [];
  for (const [key, sample] of keys) {
    const series = readings.map((r) => r.groups.find((g) => groupKey(g) === key));
    const start = series[0];
    const end = series[series.length - 1];
    const peakRssBytes = Math.max(0, ...series.map((g) => g?.rssBytes ?? 0));
    // Memory "at the end": the last reading in which the group still had memory (a tool like
    // iperf3 may exit a few milliseconds before the window's last reading).
    const lastAlive = [...series].reverse().find((g) => (g?.rssBytes ?? 0) > 0);
    let cpuSeconds: number;
    let processes: ResourceUsage['processes'];
    const perProcess = series.every((g) => g === undefined || g.processes !== undefined);
    if (perProcess) {
      const atStart = new Map((start?.processes ?? []).map((p) => [processKey(p), p]));
      const latest = new Map<string, ProcessReading>();
      for (const g of series) for (const p of g?.processes ?? []) latest.set(processKey(p), p);
      cpuSeconds = 0;
      processes = [];
      for (const [k, p] of latest) {
        const used = Math.max(0, p.cpuSeconds - (atStart.get(k)?.cpuSeconds ?? 0));
        cpuSeconds += used;
        processes.push({
          pid: p.pid,
          command: p.command,
          cpuPercent: (used / windowS) * 100,
          rssBytes: p.rssBytes,
        });
      }
      processes.sort((a, b) => b.cpuPercent - a.cpuPercent || a.pid - b.pid);
    } else {
      cpuSeconds = Math.max(0, (end?.cpuSeconds ?? 0) - (start?.cpuSeconds ?? 0));
    }
    const cpuPercent = (cpuSeconds / windowS) * 100;
    out.push({
      scope: sample.scope,
      name: sample.name,
      node: sample.node,
      role: sample.role,
      cpuPercent,
      cpuSeconds,
      rssBytes: lastAlive?.rssBytes ?? 0,
      peakRssBytes,
      ...(processes === undefined ? {} : { processes }),
      samples: readings.length,
      ...(work.requests !== undefined && work.requests > 0
        ? { cpuSecondsPer1kRequests: cpuSeconds / (work.requests / 1000) }
        : {}),
      ...(work.bitsPerSecond !== undefined && work.bitsPerSecond > 0
        ? { cpuPercentPerGbps: cpuPercent / (work.bitsPerSecond / 1e9) }
        : {}),
    });
  }
  const order = { pod: 0, node: 1 };
  return out.sort(
    (a, b) =>
      order[a.scope] - order[b.scope] ||
      a.name.localeCompare(b.name) ||
      (a.node ?? '').localeCompare(b.node ?? ''),
  );
}
