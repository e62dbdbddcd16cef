/**
 * Runs a plan: deploys each trial's topology (reusing it while consecutive repetitions share it),
 * runs the workload, and writes results after every repetition. On abort (Ctrl-C) or a fatal
 * platform error it stops the load, tears everything down and keeps what was measured.
 */
import type { Clock } from '../core/clock.js';
import { errorCodes, isNetbenchError, NetbenchError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RunId } from '../core/run-id.js';
import type { Environment, Platform } from '../platform/platform.js';
import { saveResults } from '../results/results-store.js';
import type {
  EnvironmentRecord,
  RepetitionRecord,
  Results,
  TrialRecord,
} from '../results/schema.js';
import { resultsSchemaVersion } from '../results/schema.js';
import type { Scenario } from '../spec/scenario-schema.js';
import { createRepetitionRunner } from '../workload/measure-repetition.js';
import type { LiveProgress } from '../workload/workload.js';
import type { PlannedTrial, RunPlan } from './plan.js';
import { topologyKey } from './topology.js';
import { startRepetitionExtras } from './repetition-extras.js';
import type { CaptureOptions } from '../capture/packet-capture.js';
import { floorGroups } from './floor.js';
import { createRoundKeeper, measureFloors, type AdaptiveRun } from './round-end.js';

export interface RepetitionEvent {
  /** 0-based position in the run order, and the order's length. */
  position: number;
  total: number;
  trial: PlannedTrial;
  repetition: number;
}

/** Hooks for whoever shows progress (the CLI); all optional, none may throw. */
export interface RunObserver {
  onDeploy?(trial: PlannedTrial): void;
  onRepetitionStart?(event: RepetitionEvent): void;
  onProgress?(event: RepetitionEvent, progress: LiveProgress): void;
  onRepetitionEnd?(event: RepetitionEvent, record: RepetitionRecord): void;
}

/** One observer that calls each of `observers` in turn (the progress display, live metrics…). */
export function combineObservers(...observers: (RunObserver | undefined)[]): RunObserver {
  const present = observers.filter((o): o is RunObserver => o !== undefined);
  return {
    onDeploy: (trial) => present.forEach((o) => o.onDeploy?.(trial)),
    onRepetitionStart: (event) => present.forEach((o) => o.onRepetitionStart?.(event)),
    onProgress: (event, progress) => present.forEach((o) => o.onProgress?.(event, progress)),
    onRepetitionEnd: (event, record) => present.forEach((o) => o.onRepetitionEnd?.(event, record)),
  };
}

export interface RunOptions {
  scenario: Scenario;
  scenarioSource: string;
  plan: RunPlan;
  platform: Platform;
  environment: EnvironmentRecord;
  tool: Results['tool'];
  runId: RunId;
  outDir: string;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  observer?: RunObserver;
  /** A bounded pcap of the client pod per repetition (`run --capture`). */
  capture?: CaptureOptions;
  /** `repetitions: auto`: rounds end early once the headline is precise or the budget spent. */
  adaptive?: AdaptiveRun;
  /**
   * Measure the instrument's floor of every latency workload in the first rounds (src/matrix/
   * floor.ts); `netbench run` always does. @default false
   */
  floors?: boolean;
}

export interface RunOutcome {
  results: Results;
  interrupted: boolean;
  /** The error that stopped the run early, if one did. */
  fatal: NetbenchError | undefined;
}

export async function runScenario(o: RunOptions): Promise<RunOutcome> {
  const trials: TrialRecord[] = o.plan.trials.map((t) => ({
    id: t.id,
    index: t.index,
    dimensions: t.dimensions,
    repetitions: [],
  }));
  const results: Results = {
    schemaVersion: resultsSchemaVersion,
    tool: o.tool,
    runId: o.runId,
    status: 'running',
    startedAt: o.clock.now().toISOString(),
    scenarioSource: o.scenarioSource,
    scenario: o.scenario,
    seed: o.plan.seed,
    environment: o.environment,
    trials,
  };
  await saveResults(o.outDir, results);

  const repetitions = createRepetitionRunner(o.logger);
  let current: { key: string; env: Environment; number: number } | undefined;
  let deployments = 0;
  let fatal: NetbenchError | undefined;
  const total = o.plan.order.length;
  const floors = o.floors === true ? floorGroups(o.plan.trials) : [];
  const keeper = o.adaptive === undefined ? undefined : createRoundKeeper(o.adaptive, o.clock);
  let round = 0;
  /** Floors of the round that ended, then the stop rule; true when no round follows. */
  const endRound = async (): Promise<boolean> => {
    if (current !== undefined) {
      await measureFloors(floors, round, results, {
        environment: current.env,
        repetitions,
        scenario: o.scenario,
        logger: o.logger,
        signal: o.signal,
        clock: o.clock,
      });
      await saveResults(o.outDir, results);
    }
    if (keeper === undefined || o.adaptive === undefined || o.signal.aborted) return false;
    const decision = keeper.roundEnded(round, results);
    if (!decision.stop) return false;
    results.adaptive = {
      precision: o.adaptive.plan.precision,
      budgetS: o.adaptive.plan.budgetS,
      rounds: round + 1,
      reason: decision.reason,
      detail: decision.detail,
    };
    o.logger.info(`repetitions auto: stopping after ${round + 1} rounds: ${decision.detail}`);
    return true;
  };
  let stopped = false;
  try {
    for (const [position, entry] of o.plan.order.entries()) {
      if (o.signal.aborted) break;
      if (entry.repetition !== round) {
        if (await endRound()) {
          stopped = true;
          break;
        }
        round = entry.repetition;
      }
      const event: RepetitionEvent = {
        position,
        total,
        trial: entry.trial,
        repetition: entry.repetition,
      };
      const record = trials[entry.trial.index]!;
      const key = topologyKey(entry.trial.topology);
      if (current?.key !== key) {
        if (current !== undefined) await current.env.teardown();
        current = undefined;
        o.observer?.onDeploy?.(entry.trial);
        const env = await o.platform.deploy(entry.trial.topology, o.signal);
        deployments += 1;
        current = { key, env, number: deployments };
      }
      record.datapath ??= current.env.facts;
      o.observer?.onRepetitionStart?.(event);
      const startedAt = o.clock.now().toISOString();
      let rep: RepetitionRecord;
      const extras = await startRepetitionExtras(
        current.env,
        { trialId: entry.trial.id, repetition: entry.repetition },
        {
          outDir: o.outDir,
          clock: o.clock,
          ...(o.capture === undefined ? {} : { capture: o.capture }),
        },
      );
      try {
        const m = await repetitions.measure({
          environment: current.env,
          dimensions: entry.trial.dimensions,
          warmupS: o.scenario.warmup,
          durationS: o.scenario.duration,
          timeoutS: o.scenario.timeout,
          logger: o.logger,
          signal: o.signal,
          onProgress: (p) => o.observer?.onProgress?.(event, p),
        });
        rep = {
          ...m,
          ...(await extras.finish()),
          index: entry.repetition,
          order: position,
          startedAt,
          status: m.invalidReasons.length > 0 ? 'invalid' : 'ok',
          environment: current.number,
        };
      } catch (error) {
        await extras.abandon();
        if (o.signal.aborted) break;
        if (isFatal(error)) throw error;
        const e = isNetbenchError(error)
          ? error
          : new NetbenchError('NB_WORKLOAD_FAILED', (error as Error).message, { cause: error });
        o.logger.warn(
          `trial ${entry.trial.id} repetition ${entry.repetition + 1} failed: ${e.message}`,
        );
        rep = {
          index: entry.repetition,
          order: position,
          startedAt,
          status: 'failed',
          invalidReasons: [],
          error: { code: e.code, message: e.message },
          environment: current.number,
        };
      }
      record.repetitions.push(rep);
      record.repetitions.sort((a, b) => a.index - b.index);
      await saveResults(o.outDir, results);
      o.observer?.onRepetitionEnd?.(event, rep);
    }
    if (!stopped && !o.signal.aborted && (await endRound()) === false && o.adaptive !== undefined) {
      results.adaptive = {
        precision: o.adaptive.plan.precision,
        budgetS: o.adaptive.plan.budgetS,
        rounds: round + 1,
        reason: 'max-repetitions',
        detail: `all ${round + 1} planned rounds ran`,
      };
    }
  } catch (error) {
    if (!o.signal.aborted) {
      fatal = isNetbenchError(error)
        ? error
        : new NetbenchError('NB_RUN_FAILED', (error as Error).message, { cause: error });
    }
  } finally {
    try {
      await current?.env.teardown();
    } finally {
      await o.platform.close();
    }
  }
  const interrupted = o.signal.aborted;
  if (o.adaptive !== undefined && results.adaptive === undefined) {
    results.adaptive = {
      precision: o.adaptive.plan.precision,
      budgetS: o.adaptive.plan.budgetS,
      rounds: round + 1,
      reason: 'interrupted',
      detail: interrupted ? 'interrupted' : 'the run stopped on an error',
    };
  }
  results.status = interrupted ? 'interrupted' : fatal !== undefined ? 'failed' : 'complete';
  results.finishedAt = o.clock.now().toISOString();
  await saveResults(o.outDir, results);
  return { results, interrupted, fatal };
}

/** Errors that mean the platform itself is unusable: no point trying the next repetition. */
function isFatal(error: unknown): boolean {
  return (
    isNetbenchError(error) &&
    (errorCodes[error.code] === 'platformUnavailable' || error.code === 'NB_INTERRUPTED')
  );
}
