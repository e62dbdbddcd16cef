/**
 * `repetitions: auto` and the instrument's floor in the runner, on the fake platform (real agents
 * and engines in-process on loopback, no root). What is checked is when rounds stop and what is
 * recorded, not figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../../src/cli/commands/agent.js';
import { systemClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { adaptivePlan } from '../../../src/matrix/adaptive.js';
import { planRun } from '../../../src/matrix/plan.js';
import type { AdaptiveRun } from '../../../src/matrix/round-end.js';
import { runScenario, type RunOutcome } from '../../../src/matrix/run-scenario.js';
import { createFakePlatform } from '../../../src/platform/fake/fake-platform.js';
import type { Results } from '../../../src/results/schema.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

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

const autoScenario = [
  'name: fake-auto',
  'repetitions: auto',
  'precision: 5%',
  'budget: 10m',
  'warmup: 100ms',
  'duration: 200ms',
  'matrix:',
  '  workload: http',
  '  rate: 200',
  '  connections: 2',
  '  datapath: [bridge, vxlan]',
  '  placement: same-node',
].join('\n');

async function run(
  text: string,
  headline: AdaptiveRun['headline'] | undefined,
  floors = false,
): Promise<RunOutcome> {
  const scenario = parseScenario(text, 'fake-auto.yaml');
  const platform = createFakePlatform({ runAgent });
  const plan = planRun(scenario, platform, 3);
  const outDir = await mkdtemp(join(tmpdir(), 'netbench-fake-auto-'));
  dirs.push(outDir);
  const adaptive = adaptivePlan(scenario);
  return runScenario({
    scenario,
    scenarioSource: 'fake-auto.yaml',
    plan,
    platform,
    environment,
    tool: { name: 'netbench', version: 'test', gitSha: null },
    runId: 'fakeauto',
    outDir,
    logger: createLogger({ write: () => true }, 'error'),
    clock: systemClock,
    signal: new AbortController().signal,
    ...(adaptive === undefined || headline === undefined
      ? {}
      : { adaptive: { plan: adaptive, headline } }),
    floors,
  });
}

describe('repetitions: auto in the runner', () => {
  it('stops after the minimum rounds once every headline interval is precise, and says why', async () => {
    const outcome = await run(autoScenario, () => [{ name: 'p50', halfWidthLog: 0.01 }]);
    expect(outcome.results.status).toBe('complete');
    expect(outcome.results.trials.map((t) => t.repetitions.length)).toEqual([3, 3]);
    expect(outcome.results.adaptive).toMatchObject({
      reason: 'precision-met',
      rounds: 3,
      precision: 0.05,
      budgetS: 600,
    });
  });

  it('keeps adding rounds while a headline interval is too wide', async () => {
    let calls = 0;
    const outcome = await run(autoScenario, () => {
      calls++;
      return [{ name: 'p50', halfWidthLog: calls < 3 ? 0.5 : 0.01 }];
    });
    expect(outcome.results.trials.map((t) => t.repetitions.length)).toEqual([5, 5]);
    expect(outcome.results.adaptive).toMatchObject({ reason: 'precision-met', rounds: 5 });
  });
});

describe('the instrument floor in the runner', () => {
  it('measures one floor per engine setting in the first rounds, shown against every trial', async () => {
    const text = autoScenario.replace('repetitions: auto', 'repetitions: 2');
    const outcome = await run(text, undefined, true);
    const floors = outcome.results.floors ?? [];
    expect(floors).toHaveLength(1);
    expect(floors[0]!.trialIds).toEqual(outcome.results.trials.map((t) => t.id));
    expect(floors[0]!.repetitions.map((r) => r.index)).toEqual([0, 1]);
    expect(floors[0]!.repetitions.every((r) => r.latencyUs !== undefined)).toBe(true);
  });
});
