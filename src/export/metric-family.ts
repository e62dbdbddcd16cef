/**
 * Metrics as plain data, before any client library sees them: what `run-metrics.ts` computes
 * from results.json (pure) and what `registry.ts` hands to prom-client.
 */
import type { MetricLabels } from './labels.js';
import type { PrometheusBuckets } from './latency-buckets.js';

export interface GaugeFamily {
  kind: 'gauge';
  /** Prometheus name with its unit, e.g. `netbench_latency_percentile_seconds`. */
  name: string;
  help: string;
  samples: { labels: MetricLabels; value: number }[];
}

export interface HistogramFamily {
  kind: 'histogram';
  name: string;
  help: string;
  samples: { labels: MetricLabels; buckets: PrometheusBuckets }[];
}

export type MetricFamily = GaugeFamily | HistogramFamily;
