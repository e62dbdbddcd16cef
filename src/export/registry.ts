/**
 * Metric families → a prom-client Registry, which writes the Prometheus text format or
 * OpenMetrics and pushes to a Pushgateway. Gauges are prom-client Gauges. prom-client's Histogram
 * can only `observe` one value at a time, so a histogram whose bucket counts are already known
 * (from HDR data) is a small collector of our own that the registry serialises like any other.
 */
import { Gauge, Registry, type Metric, type RegistryContentType } from 'prom-client';
import type { MetricLabels } from './labels.js';
import type { GaugeFamily, HistogramFamily, MetricFamily } from './metric-family.js';

/** Exposition formats `netbench export` writes. */
export const exportFormats = ['openmetrics', 'prometheus'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const contentTypes = {
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
  prometheus: Registry.PROMETHEUS_CONTENT_TYPE,
} as const satisfies Record<ExportFormat, string>;

function labelNamesOf(samples: readonly { labels: MetricLabels }[]): string[] {
  const names = new Set<string>();
  for (const s of samples) for (const n of Object.keys(s.labels)) names.add(n);
  return [...names];
}

function addGauge(registry: Registry<RegistryContentType>, family: GaugeFamily): void {
  const gauge = new Gauge({
    name: family.name,
    help: family.help,
    labelNames: labelNamesOf(family.samples),
    registers: [],
  });
  registry.registerMetric(gauge);
  for (const s of family.samples) gauge.set(s.labels, s.value);
}

/** The value lines prom-client's serialiser reads from a metric's `get()`. */
interface ValueLine {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** A histogram with known cumulative bucket counts, in the shape prom-client's Registry reads. */
class RecordedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly samples: HistogramFamily['samples'],
  ) {}

  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: ValueLine[];
  }> {
    const values: ValueLine[] = [];
    for (const { labels, buckets } of this.samples) {
      buckets.boundsSeconds.forEach((le, i) => {
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { ...labels, le },
          value: buckets.cumulativeCounts[i] ?? 0,
        });
      });
      values.push({
        metricName: `${this.name}_bucket`,
        labels: { ...labels, le: '+Inf' },
        value: buckets.count,
      });
      values.push({ metricName: `${this.name}_sum`, labels, value: buckets.sumSeconds });
      values.push({ metricName: `${this.name}_count`, labels, value: buckets.count });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  reset(): void {
    // Recorded data: nothing to reset.
  }
}

/** A registry holding `families`, serialising in `format`. */
export function createExportRegistry(
  families: readonly MetricFamily[],
  format: ExportFormat = 'prometheus',
): Registry<RegistryContentType> {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(contentTypes[format]);
  for (const family of families) {
    if (family.kind === 'gauge') addGauge(registry, family);
    // The registry only calls name/type/help/get/reset; prom-client's Metric union has no
    // member for precomputed histograms, hence the one cast.
    else
      registry.registerMetric(
        new RecordedHistogram(family.name, family.help, family.samples) as unknown as Metric,
      );
  }
  return registry;
}

/** The exposition text of `families` in `format`. */
export function renderMetrics(
  families: readonly MetricFamily[],
  format: ExportFormat,
): Promise<string> {
  return createExportRegistry(families, format).metrics();
}
