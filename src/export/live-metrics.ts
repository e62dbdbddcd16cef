/**
 * What `netbench run --metrics-port` serves while a run goes on: progress, the running
 * repetition's rate and p99 as its generator reports them, finished repetitions by status and
 * their errors (prom-client gauges and counters, fed by the runner's RunObserver hooks), plus
 * every figure of the repetitions finished so far, exported exactly as `netbench export` does
 * (without the overheads, whose bootstrap would take CPU from the measurement).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { RunObserver } from '../matrix/run-scenario.js';
import type { Results } from '../results/schema.js';
import { renderMetrics } from './registry.js';
import { runMetricFamilies } from './run-metrics.js';

export interface LiveMetricsOptions {
  runId: string;
  /** Repetitions in the plan. */
  plannedRepetitions: number;
  /** The results document as saved so far (results.json), read when a finished repetition changed it. */
  readResults: () => Promise<Results | undefined>;
}

export interface LiveMetrics {
  observer: RunObserver;
  /** The exposition text (Prometheus text format 0.0.4). */
  render(): Promise<string>;
  /** Bumped on every change, so a server knows whether the last scrape saw the final state. */
  readonly version: number;
}

export function createLiveMetrics(o: LiveMetricsOptions): LiveMetrics {
  const registry = new Registry();
  const run = { run_id: o.runId };
  const planned = new Gauge({
    name: 'netbench_live_repetitions_planned',
    help: 'Repetitions in the run plan.',
    labelNames: ['run_id'],
    registers: [registry],
  });
  const progress = new Gauge({
    name: 'netbench_live_progress_ratio',
    help: 'Finished repetitions as a share of the plan.',
    labelNames: ['run_id'],
    registers: [registry],
  });
  const finished = new Counter({
    name: 'netbench_live_repetitions_finished_total',
    help: 'Repetitions finished, by status (ok, invalid, failed).',
    labelNames: ['run_id', 'status'],
    registers: [registry],
  });
  const current = ['run_id', 'trial', 'repetition'] as const;
  const rate = new Gauge({
    name: 'netbench_live_current_requests_per_second',
    help: "The running repetition's current response rate, as its generator reports it.",
    labelNames: current,
    registers: [registry],
  });
  const p99 = new Gauge({
    name: 'netbench_live_current_latency_p99_seconds',
    help: "The running repetition's p99 latency so far, as its generator reports it.",
    labelNames: current,
    registers: [registry],
  });
  const elapsed = new Gauge({
    name: 'netbench_live_current_elapsed_seconds',
    help: 'Time into the running repetition, with its phase (warmup, measure…).',
    labelNames: [...current, 'phase'],
    registers: [registry],
  });
  const completed = new Counter({
    name: 'netbench_live_requests_completed_total',
    help: 'Requests completed in finished repetitions, per trial.',
    labelNames: ['run_id', 'trial'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'netbench_live_request_errors_total',
    help: 'Request errors and timeouts in finished repetitions, per trial.',
    labelNames: ['run_id', 'trial'],
    registers: [registry],
  });
  planned.set(run, o.plannedRepetitions);
  progress.set(run, 0);

  let version = 0;
  let finishedCount = 0;
  const observer: RunObserver = {
    onRepetitionStart(event) {
      const labels = { ...run, trial: event.trial.id, repetition: String(event.repetition) };
      rate.set(labels, 0);
      version += 1;
    },
    onProgress(event, p) {
      const labels = { ...run, trial: event.trial.id, repetition: String(event.repetition) };
      rate.set(labels, p.rps);
      p99.set(labels, p.p99Us / 1e6);
      elapsed.reset();
      elapsed.set({ ...labels, phase: p.phase }, p.elapsedS);
      version += 1;
    },
    onRepetitionEnd(event, record) {
      const trial = { ...run, trial: event.trial.id };
      rate.reset();
      p99.reset();
      elapsed.reset();
      finishedCount += 1;
      finished.inc({ ...run, status: record.status });
      progress.set(run, finishedCount / o.plannedRepetitions);
      completed.inc(trial, record.requests?.completed ?? 0);
      errors.inc(trial, (record.requests?.errors ?? 0) + (record.requests?.timeouts ?? 0));
      version += 1;
    },
  };

  // results.json changes only when a repetition finishes: its figures are rendered once then.
  let figures: { finished: number; text: string } | undefined;
  const render = async (): Promise<string> => {
    if (figures?.finished !== finishedCount) {
      const at = finishedCount;
      const results = await o.readResults();
      const text =
        results === undefined
          ? ''
          : await renderMetrics(runMetricFamilies(results, { overheads: false }), 'prometheus');
      figures = { finished: at, text };
    }
    return `${await registry.metrics()}\n${figures.text}`;
  };
  return {
    observer,
    render,
    get version() {
      return version;
    },
  };
}
