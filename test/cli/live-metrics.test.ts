/**
 * The live endpoint of `run --metrics-port`, fed by the runner's observer hooks as a run would
 * feed them (events replayed from a recorded results.json, no lab needed) and scraped by a real
 * Prometheus server: what Prometheus stored must equal the recorded figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveMetrics } from '../../src/export/live-metrics.js';
import { startMetricsServer, type MetricsServer } from '../../src/export/metrics-server.js';
import type { PlannedTrial } from '../../src/matrix/plan.js';
import type { RepetitionEvent } from '../../src/matrix/run-scenario.js';
import type { Results } from '../../src/results/schema.js';
import { promtool, startPrometheus, type PrometheusServer } from '../helpers/prometheus.js';
import { loadFixture } from '../unit/report/fixtures.js';

let recorded: Results;
beforeAll(async () => {
  recorded = await loadFixture('datapaths');
});

/** Replays `recorded` through the observer, saving repetitions into `sofar` as the runner does. */
function replay(observer: ReturnType<typeof createLiveMetrics>['observer'], sofar: Results): void {
  const order = recorded.trials
    .flatMap((t) => t.repetitions.map((r) => ({ t, r })))
    .sort((a, b) => a.r.order - b.r.order);
  order.forEach(({ t, r }, position) => {
    const event: RepetitionEvent = {
      position,
      total: order.length,
      trial: { id: t.id } as PlannedTrial,
      repetition: r.index,
    };
    observer.onRepetitionStart?.(event);
    observer.onProgress?.(event, {
      elapsedS: 1,
      phase: 'measure',
      rps: r.achievedRps ?? 0,
      p99Us: r.latencyUs?.p99 ?? 0,
    });
    sofar.trials.find((x) => x.id === t.id)!.repetitions.push(r);
    observer.onRepetitionEnd?.(event, r);
  });
}

describe('live metrics during a run, scraped by a real Prometheus server', () => {
  let server: MetricsServer;
  let prometheus: PrometheusServer;
  let sofar: Results;
  let planned: number;

  beforeAll(async () => {
    sofar = {
      ...structuredClone(recorded),
      status: 'running',
      trials: recorded.trials.map((t) => ({ ...t, repetitions: [] })),
    };
    planned = recorded.trials.reduce((n, t) => n + t.repetitions.length, 0);
    const live = createLiveMetrics({
      runId: recorded.runId,
      plannedRepetitions: planned,
      readResults: () => Promise.resolve(structuredClone(sofar)),
    });
    server = await startMetricsServer({ port: 0, live });
    prometheus = await startPrometheus([{ job: 'netbench-run', target: new URL(server.url).host }]);
    await prometheus.waitForSeries(`netbench_live_progress_ratio{run_id="${recorded.runId}"}`, 1);
    replay(live.observer, sofar);
    // As at the end of a run: close once Prometheus has scraped the final state.
    await server.close({ waitForScrape: true });
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('serves text promtool check metrics accepts', async () => {
    const live = createLiveMetrics({
      runId: 'x',
      plannedRepetitions: 1,
      readResults: () => Promise.resolve(recorded),
    });
    const check = await promtool(['check', 'metrics'], await live.render());
    expect(check.output).toBe('');
    expect(check.exitCode).toBe(0);
  });

  it('reaches progress 1 with every repetition counted by status before the server closes', async () => {
    const [progress] = await prometheus.query(
      `last_over_time(netbench_live_progress_ratio{run_id="${recorded.runId}"}[5m])`,
    );
    expect(progress?.value).toBe(1);
    const byStatus = await prometheus.query(
      `last_over_time(netbench_live_repetitions_finished_total{run_id="${recorded.runId}"}[5m])`,
    );
    const want = new Map<string, number>();
    for (const r of recorded.trials.flatMap((t) => t.repetitions))
      want.set(r.status, (want.get(r.status) ?? 0) + 1);
    expect(new Map(byStatus.map((s) => [s.metric.status, s.value]))).toEqual(want);
  });

  it('carries the finished repetitions’ figures, equal to results.json', async () => {
    const p99 = await prometheus.query(
      `last_over_time(netbench_latency_percentile_seconds{run_id="${recorded.runId}",percentile="99"}[5m])`,
    );
    const got = new Map(p99.map((s) => [`${s.metric.trial}#${s.metric.repetition}`, s.value]));
    const reps = recorded.trials.flatMap((t) =>
      t.repetitions.map((r) => ({ key: `${t.id}#${r.index}`, r })),
    );
    expect(got.size).toBe(reps.length);
    for (const { key, r } of reps) expect(got.get(key)).toBe(r.latencyUs!.p99 / 1e6);
  });

  it('counts completed requests per trial', async () => {
    const completed = await prometheus.query(
      `last_over_time(netbench_live_requests_completed_total{run_id="${recorded.runId}"}[5m])`,
    );
    for (const t of recorded.trials) {
      const want = t.repetitions.reduce((n, r) => n + (r.requests?.completed ?? 0), 0);
      expect(completed.find((s) => s.metric.trial === t.id)?.value).toBe(want);
    }
  });
});

describe('the metrics server', () => {
  it('refuses a busy port with NB_METRICS_PORT_BUSY and a hint', async () => {
    const live = createLiveMetrics({
      runId: 'x',
      plannedRepetitions: 1,
      readResults: () => Promise.resolve(undefined),
    });
    const first = await startMetricsServer({ port: 0, live });
    const error = await startMetricsServer({ port: first.port, live }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NB_METRICS_PORT_BUSY' });
    expect((error as { hint: string }).hint).toContain('pick another --metrics-port');
    await first.close({ waitForScrape: false });
  });

  it('answers 404 off /metrics, and closes at once when nobody ever scraped it', async () => {
    const live = createLiveMetrics({
      runId: 'x',
      plannedRepetitions: 1,
      readResults: () => Promise.resolve(undefined),
    });
    const server = await startMetricsServer({ port: 0, live, finalScrapeWaitMs: 60_000 });
    const r = await fetch(server.url.replace('/metrics', '/'));
    expect(r.status).toBe(404);
    await server.close();
  });
});
