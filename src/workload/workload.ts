/**
 * A workload drives traffic through a deployed environment for one repetition and returns what
 * it measured. Workloads are registered in ./index.ts, one per name of the `workload` dimension.
 */
import type { Logger } from '../core/logger.js';
import type { Seconds } from '../core/units.js';
import type { Environment } from '../platform/platform.js';
import type { RepetitionRecord } from '../results/schema.js';
import type { TrialDimensions } from '../spec/dimensions.js';

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
}

/** What a workload measured; the runner adds index, order, timing and status. */
export type RepetitionMeasurement = Omit<
  RepetitionRecord,
  'index' | 'order' | 'startedAt' | 'status' | 'error' | 'environment'
>;

export interface Workload {
  /** Runs one repetition. Throws a NetbenchError when nothing could be measured. */
  run(context: WorkloadContext): Promise<RepetitionMeasurement>;
}
