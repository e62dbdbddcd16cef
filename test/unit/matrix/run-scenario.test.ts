/**
 * The runner on the fake platform: real agents and engines in-process on loopback, no root. What
 * is checked is the runner's own behaviour (order, reuse, interruption, failures), not figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../../src/cli/commands/agent.js';
import { systemClock } from '../../../src/core/clock.js';
import { NetbenchError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import { planRun } from '../../../src/matrix/plan.js';
import { runScenario, type RunOutcome } from '../../../src/matrix/run-scenario.js';
import {
  createFakePlatform,
  type FakePlatformOptions,
} from '../../../src/platform/fake/fake-platform.js';
import { loadResults } from '../../../src/results/results-store.js';
import type { Results } from '../../../src/results/schema.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Two trials (two datapaths, so two topologies) × `repetitions`, short and light. */
function scenarioText(matrix: string, repetitions: number): string {
  return [
    'name: fake-run',
    `repetitions: ${repetitions}`,
    'warmup: 100ms',
    'duration: 300ms',
    'matrix:',
    '  workload: http',
    '  connections: 2',
    '  placement: same-node',
    ...matrix.split('\n').map((l) => `  ${l}`),
  ].join('\n');
}

const environment: Results['environment'] = {
  platform: 'fake',
  hostname: 'test',
  kernel: 'test',
  os: 'test',
  arch: 'x64',
  cpuModel: 'test',
  cpuCount: 2,
  memoryBytes: 1,
  nodeVersion: process.version,
  tools: {},
};

async function run(
  text: string,
  seed: number,
  fake: Omit<FakePlatformOptions, 'runAgent'> = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<{
  outcome: RunOutcome;
  platform: ReturnType<typeof createFakePlatform>;
  outDir: string;
}> {
  const scenario = parseScenario(text, 'fake-run.yaml');
  const platform = createFakePlatform({ runAgent, ...fake });
  const plan = planRun(scenario, platform, seed);
  const outDir = await mkdtemp(join(tmpdir(), 'netbench-fake-run-'));
  dirs.push(outDir);
  const outcome = await runScenario({
    scenario,
    scenarioSource: 'fake-run.yaml',
    plan,
    platform,
    environment,
    tool: { name: 'netbench', version: 'test', gitSha: null },
    runId: `fake${seed}`,
    outDir,
    logger: createLogger({ write: () => true }, 'error'),
    clock: systemClock,
    signal,
  });
  return { outcome, platform, outDir };
}

/** (trial id, repetition) in the order they ran. */
function ranOrder(results: Results): string[] {
  return results.trials
    .flatMap((t) => t.repetitions.map((r) => ({ at: r.order, what: `${t.id}#${r.index}` })))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.what);
}

const twoDatapaths = 'rate: 200\ndatapath: [bridge, vxlan]';

describe('running a scenario (fake platform)', () => {
  it('runs the repetitions interleaved in the planned order, and one seed replays the same order', async () => {
    const first = await run(scenarioText(twoDatapaths, 2), 7);
    const again = await run(scenarioText(twoDatapaths, 2), 7);
    const planned = planRun(
      parseScenario(scenarioText(twoDatapaths, 2), 'x'),
      first.platform,
      7,
    ).order.map((e) => `${e.trial.id}#${e.repetition}`);
    expect(ranOrder(first.outcome.results)).toEqual(planned);
    expect(ranOrder(again.outcome.results)).toEqual(planned);
    // Interleaved: each round runs every trial once before any trial runs again.
    expect(planned.slice(0, 2).map((x) => x.split('#')[1])).toEqual(['0', '0']);
    expect(first.outcome.results.status).toBe('complete');
    for (const t of first.outcome.results.trials) {
      for (const r of t.repetitions) {
        expect(r.status, `${t.id}#${r.index}`).not.toBe('failed');
        expect(r.requests?.completed).toBeGreaterThan(0);
      }
    }
  });

  it('deploys a topology once while consecutive repetitions share it', async () => {
    const { outcome, platform } = await run(
      scenarioText('rate: [200, 300]\ndatapath: bridge', 2),
      3,
    );
    expect(outcome.results.trials).toHaveLength(2);
    expect(platform.log.deployments).toHaveLength(1);
    expect(platform.log.teardowns).toBe(1);
    expect(
      new Set(outcome.results.trials.flatMap((t) => t.repetitions.map((r) => r.environment))),
    ).toEqual(new Set([1]));
  });

  it('keeps the finished repetitions on disk when interrupted mid-repetition', async () => {
    const abort = new AbortController();
    const { outcome, platform, outDir } = await run(
      scenarioText(twoDatapaths, 3),
      5,
      {
        // Ctrl-C while the third repetition's load runs.
        onLoadStart: (n) => {
          if (n === 3) setTimeout(() => abort.abort(), 150);
        },
      },
      abort.signal,
    );
    expect(outcome.interrupted).toBe(true);
    const onDisk = await loadResults(outDir);
    expect(onDisk.status).toBe('interrupted');
    const measured = onDisk.trials.flatMap((t) => t.repetitions);
    expect(measured).toHaveLength(2);
    expect(measured.every((r) => r.status !== 'failed')).toBe(true);
    expect(platform.log.teardowns).toBe(platform.log.deployments.length);
    expect(platform.log.closed).toBe(true);
  });

  it('records a failed repetition with its error and goes on with the run', async () => {
    const { outcome } = await run(scenarioText(twoDatapaths, 2), 9, {
      faults: {
        failLoadStart: {
          at: 2,
          error: new NetbenchError(
            'NB_WORKLOAD_FAILED',
            'the client pod could not start its program',
          ),
        },
      },
    });
    expect(outcome.fatal).toBeUndefined();
    expect(outcome.results.status).toBe('complete');
    const reps = outcome.results.trials.flatMap((t) => t.repetitions);
    expect(reps).toHaveLength(4);
    const failed = reps.filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error?.code).toBe('NB_WORKLOAD_FAILED');
    expect(failed[0]?.order).toBe(1);
  });

  it('stops at a fatal platform error, tears everything down and keeps what was measured', async () => {
    const { outcome, platform, outDir } = await run(scenarioText(twoDatapaths, 2), 11, {
      faults: {
        failLoadStart: {
          at: 2,
          error: new NetbenchError('NB_LAB_SETUP_FAILED', 'the platform went away'),
        },
      },
    });
    expect(outcome.fatal?.code).toBe('NB_LAB_SETUP_FAILED');
    const onDisk = await loadResults(outDir);
    expect(onDisk.status).toBe('failed');
    expect(onDisk.trials.flatMap((t) => t.repetitions)).toHaveLength(1);
    expect(platform.log.teardowns).toBe(platform.log.deployments.length);
    expect(platform.log.closed).toBe(true);
  });

  it('stops when a deployment fails fatally, and still closes the platform', async () => {
    const { outcome, platform } = await run(scenarioText(twoDatapaths, 2), 13, {
      faults: {
        failDeploy: {
          at: 2,
          error: new NetbenchError('NB_LAB_SETUP_FAILED', 'no namespaces left'),
        },
      },
    });
    expect(outcome.fatal?.code).toBe('NB_LAB_SETUP_FAILED');
    expect(outcome.results.status).toBe('failed');
    expect(platform.log.deployments).toHaveLength(2);
    expect(platform.log.teardowns).toBe(1);
    expect(platform.log.closed).toBe(true);
  });
});
