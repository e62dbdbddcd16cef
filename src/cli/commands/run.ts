/** `netbench run [SCENARIO]`: plan, deploy, measure, write results. */
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createRunId } from '../../core/run-id.js';
import { gitSha, toolVersion } from '../../core/version.js';
import { fingerprintEnvironment } from '../../collect/environment.js';
import { planRun } from '../../matrix/plan.js';
import { combineObservers, runScenario } from '../../matrix/run-scenario.js';
import { parseMetricsPort, startLiveRunMetrics } from '../../export/live-run.js';
import { defaultCaptureOptions } from '../../capture/packet-capture.js';
import { adaptivePlan } from '../../matrix/adaptive.js';
import type { AdaptiveRun } from '../../matrix/round-end.js';
import { analyzeResults } from '../../analysis/analyze.js';
import { headlineIntervals } from '../../analysis/headline.js';
import { platforms } from '../../platform/registry.js';
import { resultsFileName } from '../../results/results-store.js';
import type { Scenario } from '../../spec/scenario-schema.js';
import type { CliContext } from '../context.js';
import type { commandFlags, FlagValues } from '../flags.js';
import { loadScenarioFile, writeWarnings } from '../load-scenario-file.js';
import { applyPlatformFlags } from '../platform-flags.js';
import { writeJson, writeLine } from '../output.js';
import { createRunDisplay, summaryTable } from '../run-display.js';
import { thresholdSummary, writeRunReport } from './report.js';
import { loadRequirementsOption, recommendationSection } from './recommendation-section.js';

/** `run`'s flags, typed from the flag table. */
export type RunFlags = FlagValues<typeof commandFlags.run>;

export async function runCommand(
  scenarioPath: string | undefined,
  flags: RunFlags,
  ctx: CliContext,
  logger: Logger,
): Promise<number> {
  const loaded = await loadScenarioFile(scenarioPath, ctx.cwd);
  writeWarnings(ctx.stderr, loaded.source, loaded.warnings);
  // Read before measuring, so a bad requirements file fails in seconds, not after the run.
  const requirements = await loadRequirementsOption(flags.requirements, ctx.cwd);
  const scenario = applyPlatformFlags(applyOverrides(loaded.scenario, flags), flags);
  const metricsPort =
    flags.metricsPort === undefined ? undefined : parseMetricsPort(flags.metricsPort);
  const runId = createRunId();
  const platform = platforms[scenario.platform]({
    runner: ctx.runner,
    logger,
    runId,
    purpose: 'run',
    scenario,
  });
  const seed = flags.seed ?? scenario.seed ?? randomInt(2 ** 31 - 1);
  const plan = planRun(scenario, platform, seed);
  const outDir = resolve(
    ctx.cwd,
    flags.out ?? ctx.env.NETBENCH_OUT ?? join('results', `${scenario.name}-${runId}`),
  );
  await platform.preflight();
  const environment = await fingerprintEnvironment(ctx.runner, platform.name);
  const cluster = await platform.describe?.(ctx.signal);
  if (cluster !== undefined) environment.cluster = cluster;
  const display = createRunDisplay(ctx.stderr, flags.quiet === true);
  const metrics =
    metricsPort === undefined
      ? undefined
      : await startLiveRunMetrics({
          port: metricsPort,
          runId,
          plannedRepetitions: plan.order.length,
          outDir,
        });
  if (metrics !== undefined && flags.quiet !== true)
    writeLine(ctx.stderr, `metrics: ${metrics.url}`);
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
    observer: combineObservers(display, metrics?.observer),
    ...(flags.capture === true ? { capture: defaultCaptureOptions } : {}),
    floors: true,
    ...adaptiveRun(scenario),
  }).finally(() => metrics?.close({ waitForScrape: !ctx.signal.aborted }));
  display.clear();
  // report.html beside results.json, and the scenario's thresholds (also for partial runs).
  const report = await writeRunReport(
    outDir,
    outcome.results,
    ctx.stderr,
    recommendationSection(requirements, outcome.results),
  );
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

/** Flags override the scenario file (precedence: defaults < file < environment < flags). */
function applyOverrides(scenario: Scenario, flags: RunFlags): Scenario {
  const out = { ...scenario };
  if (flags.repetitions !== undefined) out.repetitions = flags.repetitions;
  if (flags.duration !== undefined) out.duration = flags.duration;
  if (flags.warmup !== undefined) out.warmup = flags.warmup;
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
