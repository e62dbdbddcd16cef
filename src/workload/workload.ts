/**
 * A workload drives traffic through a deployed environment for one repetition and returns what
 * it measured. Workloads are registered in ./index.ts, one per name of the `workload` dimension.
 */
import type { Logger } from '../core/logger.js';
import type { Seconds } from '../core/units.js';
import type { Environment } from '../platform/platform.js';
import type { LoadRecord, RepetitionRecord } from '../results/schema.js';
import type { TrialDimensions } from '../spec/dimensions.js';
import type { WindowPhase } from './engine/open-loop.js';
import type { Capacity } from './offered-load.js';

/** Live figures for the progress display. */
export interface LiveProgress {
  elapsedS: Seconds;
  phase: string;
  rps: number;
  p99Us: number;
}

export interface WorkloadContext {
  environment: Environment;
  dimensions: TrialDimensions;
  warmupS: Seconds;
  durationS: Seconds;
  timeoutS: Seconds;
  logger: Logger;
  signal?: AbortSignal;
  onProgress?: (progress: LiveProgress) => void;
  /** The offered load, resolved against the measured capacity when the trial asks for a share. */
  load: LoadRecord;
  /**
   * Called by the workload when its measured window starts and ends (as exactly as it knows),
   * so the runner samples CPU and memory over the window only.
   */
  onWindow?: (phase: WindowPhase) => void;
}

/** What a capacity probe gets: the trial, its environment and how long to probe. */
export type ProbeContext = Omit<WorkloadContext, 'load' | 'onWindow' | 'onProgress'>;

/** What a workload measured; the runner adds index, order, timing, status and resources. */
export type RepetitionMeasurement = Omit<
  RepetitionRecord,
  'index' | 'order' | 'startedAt' | 'status' | 'error' | 'environment'
>;

/**
 * How a ClusterIP Service exposes this workload's server for `placement: via-service`, or why
 * it cannot (the planner refuses such trials before creating anything).
 */
export type ServiceExposure = { port: number; targetPort: number } | { unsupported: string };

export interface Workload {
  /**
   * The port the workload's server listens on in the server pod: what a NetworkPolicy must
   * admit and a Service targets.
   */
  readonly serverPort: number;
  readonly serviceExposure: ServiceExposure;
  /** Runs one repetition. Throws a NetbenchError when nothing could be measured. */
  run(context: WorkloadContext): Promise<RepetitionMeasurement>;
  /**
   * A short closed-loop run that finds the most this trial's path carries (requests/s or
   * bits/s); load levels and shares are fractions of it.
   */
  probeCapacity(context: ProbeContext): Promise<Capacity>;
}
