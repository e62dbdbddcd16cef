import type { Logger } from '../core/logger.js';
import type { ProcessRunner } from '../core/process-runner.js';
import type { RunId } from '../core/run-id.js';
import type { Scenario } from '../spec/scenario-schema.js';
import { createLabPlatform } from './lab/lab-platform.js';
import type { Platform, PlatformName } from './platform.js';

export interface PlatformFactoryOptions {
  runner: ProcessRunner;
  logger: Logger;
  runId: RunId;
  purpose: string;
  scenario: Scenario;
}

export type PlatformFactory = (options: PlatformFactoryOptions) => Platform;

/** Every platform, one per name of the scenario's `platform` field (compile-checked). */
export const platforms = {
  lab: (o) =>
    createLabPlatform({
      runner: o.runner,
      logger: o.logger,
      runId: o.runId,
      purpose: o.purpose,
      mtu: o.scenario.lab.mtu,
    }),
} satisfies Record<PlatformName, PlatformFactory>;
