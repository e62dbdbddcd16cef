/**
 * Pushes a run's metrics to a Prometheus Pushgateway with prom-client's client, grouped by run
 * id (`/metrics/job/<job>/run_id/<run id>`). It is a PUT: pushing the same run again replaces
 * its group, so a re-export never leaves stale series beside fresh ones.
 */
import { Pushgateway } from 'prom-client';
import { NetbenchError } from '../core/errors.js';
import type { MetricFamily } from './metric-family.js';
import { createExportRegistry } from './registry.js';

export interface PushOptions {
  /** Pushgateway base URL, e.g. `http://127.0.0.1:9091`. */
  url: string;
  runId: string;
  /** The `job` grouping label. @default "netbench" */
  job?: string;
  /** @default 10000 */
  timeoutMs?: number;
}

/** Checks a Pushgateway URL the user typed; throws a usage error naming the bad value. */
export function parsePushUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NetbenchError('NB_USAGE_BAD_FLAG', `--push ${JSON.stringify(raw)} is not a URL`, {
      hint: 'e.g. --push http://127.0.0.1:9091 (the Pushgateway, without /metrics)',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--push ${JSON.stringify(raw)} is not an http(s) URL`,
      { hint: 'e.g. --push http://127.0.0.1:9091' },
    );
  }
  return url.toString();
}

export async function pushMetrics(
  families: readonly MetricFamily[],
  options: PushOptions,
): Promise<void> {
  const gateway = new Pushgateway(
    options.url,
    { timeout: options.timeoutMs ?? 10_000 },
    createExportRegistry(families, 'prometheus'),
  );
  try {
    await gateway.push({
      jobName: options.job ?? 'netbench',
      groupings: { run_id: options.runId },
    });
  } catch (error) {
    throw new NetbenchError(
      'NB_EXPORT_PUSH_FAILED',
      `pushing to the Pushgateway at ${options.url} failed: ${(error as Error).message}`,
      {
        hint: 'check that a Pushgateway listens there (Debian: prometheus-pushgateway, port 9091) and accepts the push',
        cause: error,
      },
    );
  }
}
