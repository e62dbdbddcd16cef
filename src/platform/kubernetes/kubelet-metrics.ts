/**
 * The kubelet's resource metrics (`/api/v1/nodes/N/proxy/metrics/resource`, Prometheus text):
 * cumulative CPU seconds and the working set of every container on the node (pure parser).
 */

/** One container's counters as the kubelet reported them. */
export interface ContainerUsage {
  namespace: string;
  pod: string;
  container: string;
  cpuSeconds: number;
  workingSetBytes: number;
}

const line =
  /^(container_cpu_usage_seconds_total|container_memory_working_set_bytes)\{([^}]*)\}\s+([0-9.eE+-]+)/;

function labelsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

export function parseResourceMetrics(text: string): ContainerUsage[] {
  const byKey = new Map<string, ContainerUsage>();
  for (const raw of text.split('\n')) {
    const m = line.exec(raw);
    if (m === null) continue;
    const labels = labelsOf(m[2]!);
    const { namespace, pod, container } = labels;
    if (namespace === undefined || pod === undefined || container === undefined) continue;
    const key = `${namespace}/${pod}/${container}`;
    const usage = byKey.get(key) ?? {
      namespace,
      pod,
      container,
      cpuSeconds: 0,
      workingSetBytes: 0,
    };
    if (m[1] === 'container_cpu_usage_seconds_total') usage.cpuSeconds = Number(m[3]);
    else usage.workingSetBytes = Number(m[3]);
    byKey.set(key, usage);
  }
  return [...byKey.values()];
}
