/** `netbench run [SCENARIO]`: plan, deploy, measure, write results. */
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createRunId } from '../../core/run-id.js';
import { parseDuration } from '../../core/units.js';
import { gitSha, toolVersion } from '../../core/version.js';
import { fingerprintEnvironment } from '../../collect/environment.js';
import { planRun } from '../../matrix/plan.js';
import { runScenario } from '../../matrix/run-scenario.js';
import { adaptivePlan } from '../../matrix/adaptive.js';
import type { AdaptiveRun } from '../../matrix/round-end.js';
import { analyzeResults } from '../../analysis/analyze.js';
import { headlineIntervals } from '../../analysis/headline.js';
import { platforms } from '../../platform/registry.js';
import { resultsFileName } from '../../results/results-store.js';
import type { Scenario } from '../../spec/scenario-schema.js';
import type { CliContext } from '../context.js';
import { loadScenarioFile } from '../load-scenario-file.js';
import { writeJson, writeLine } from '../output.js';
import { createRunDisplay, summaryTable } from '../run-display.js';
import { thresholdSummary, writeRunReport } from './report.js';

export interface RunFlags {
  out?: string;
  seed?: string;
  repetitions?: string;
  duration?: string;
  warmup?: string;
  json?: boolean;
  quiet?: boolean;
}

export async function runCommand(
  scenarioPath: string | undefined,
  flags: RunFlags,
  ctx: CliContext,
  logger: Logger,
): Promise<number> {
  const loaded = await loadScenarioFile(scenarioPath, ctx.cwd);
  const scenario = applyOverrides(loaded.scenario, flags);
  const runId = createRunId();
  const platform = platforms[scenario.platform]({
    runner: ctx.runner,
    logger,
    runId,
    purpose: 'run',
    scenario,
  });
  const seed =
    flags.seed !== undefined
      ? parseIntFlag('--seed', flags.seed)
      : (scenario.seed ?? randomInt(2 ** 31 - 1));
  const plan = planRun(scenario, platform, seed);
  const outDir = resolve(
    ctx.cwd,
    flags.out ?? ctx.env.NETBENCH_OUT ?? join('results', `${scenario.name}-${runId}`),
  );
  await platform.preflight();
  const environment = await fingerprintEnvironment(ctx.runner, platform.name);
  const display = createRunDisplay(ctx.stderr, flags.quiet === true);
  if (flags.quiet !== true) {
    writeLine(
      ctx.stderr,
      `netbench run ${runId}: ${plan.trials.length} trials × ${scenario.repetitions} repetitions on the ${platform.name} platform → ${outDir}`,
    );
  }
  const outcome = await runScenario({
    scenario,
    scenarioSource: loaded.source,
    plan,
    platform,
    environment,
    tool: { name: 'netbench', version: toolVersion(), gitSha: gitSha() },
    runId,
    outDir,
    logger,
    clock: ctx.clock,
    signal: ctx.signal,
    observer: display,
    floors: true,
    ...adaptiveRun(scenario),
  });
  display.clear();
  // report.html beside results.json, and the scenario's thresholds (also for partial runs).
  const report = await writeRunReport(outDir, outcome.results, ctx.stderr);
  const failedThresholds = report.thresholds.filter((t) => !t.passed);
  if (flags.quiet !== true) {
    writeLine(ctx.stderr);
    writeLine(ctx.stderr, summaryTable(outcome.results));
    if (report.thresholds.length > 0) {
      writeLine(ctx.stderr);
      for (const line of thresholdSummary(report.thresholds)) writeLine(ctx.stderr, line);
    }
    if (report.path !== undefined) writeLine(ctx.stderr, `report: ${report.path}`);
  }
  const resultsPath = join(outDir, resultsFileName);
  if (flags.json === true)
    writeJson(ctx.stdout, {
      runId,
      status: outcome.results.status,
      results: resultsPath,
      report: report.path ?? null,
      thresholds: report.thresholds.map((t) => ({ threshold: t.threshold, passed: t.passed })),
    });
  else writeLine(ctx.stdout, resultsPath);
  if (outcome.interrupted) {
    throw new NetbenchError(
      'NB_INTERRUPTED',
      `run ${runId} interrupted; finished repetitions are in ${resultsPath}`,
    );
  }
  if (outcome.fatal !== undefined) throw outcome.fatal;
  const failed = outcome.results.trials
    .flatMap((t) => t.repetitions)
    .filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    throw new NetbenchError(
      'NB_RUN_FAILED',
      `${failed.length} repetitions failed; see ${resultsPath}`,
      {
        hint: 'each failed repetition records its error in results.json',
      },
    );
  }
  if (failedThresholds.length > 0) {
    throw new NetbenchError(
      'NB_THRESHOLDS_FAILED',
      `${failedThresholds.length} of ${report.thresholds.length} thresholds failed: ${failedThresholds.map((t) => t.threshold).join('; ')}`,
      { hint: `the checks are listed above and in ${report.path ?? resultsPath}` },
    );
  }
  return 0;
}

function parseIntFlag(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `${flag} ${JSON.stringify(value)} is not a whole number >= 0`,
      {
        hint: `e.g. ${flag} 3`,
      },
    );
  }
  return n;
}

function durationFlag(flag: string, value: string): number {
  const parsed = parseDuration(value);
  if (!parsed.ok)
    throw new NetbenchError('NB_USAGE_BAD_FLAG', `${flag}: ${parsed.message}`, {
      hint: parsed.hint,
    });
  return parsed.value;
}

/** Flags override the scenario file (precedence: defaults < file < environment < flags). */
function applyOverrides(scenario: Scenario, flags: RunFlags): Scenario {
  const out = { ...scenario };
  if (flags.repetitions !== undefined) {
    out.repetitions = parseIntFlag('--repetitions', flags.repetitions);
    if (out.repetitions < 1)
      throw new NetbenchError('NB_USAGE_BAD_FLAG', '--repetitions must be at least 1');
  }
  if (flags.duration !== undefined) out.duration = durationFlag('--duration', flags.duration);
  if (flags.warmup !== undefined) out.warmup = durationFlag('--warmup', flags.warmup);
  return out;
}

/** Bootstrap resamples of the headline check between rounds: enough for a stop rule, fast. */
const headlineIterations = 200;

/** `repetitions: auto`: the plan and the analysis that gives the headline intervals. */
function adaptiveRun(scenario: Scenario): { adaptive: AdaptiveRun } | Record<string, never> {
  const plan = adaptivePlan(scenario);
  if (plan === undefined) return {};
  return {
    adaptive: {
      plan,
      headline: (results) =>
        headlineIntervals(
          analyzeResults(results, { iterations: headlineIterations, precision: plan.precision })
            .analysis,
        ),
    },
  };
}
