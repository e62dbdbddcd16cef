/** `netbench plan [SCENARIO]`: the trials and their order, creating nothing. */
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { formatDimension } from '../../matrix/expand.js';
import { planRun } from '../../matrix/plan.js';
import { adaptivePlan } from '../../matrix/adaptive.js';
import { platforms } from '../../platform/registry.js';
import { dimensionNames } from '../../spec/dimensions.js';
import type { CliContext } from '../context.js';
import type { commandFlags, FlagValues } from '../flags.js';
import { loadScenarioFile, writeWarnings } from '../load-scenario-file.js';
import { applyPlatformFlags } from '../platform-flags.js';
import { writePlanManifests } from './plan-manifests.js';
import { formatTable, writeJson, writeLine } from '../output.js';

/** Flags of `netbench plan`, typed from the flag table. */
export type PlanFlags = FlagValues<typeof commandFlags.plan>;

export async function planCommand(
  scenarioPath: string | undefined,
  flags: FlagValues<typeof commandFlags.plan>,
  ctx: CliContext,
): Promise<number> {
  const loaded = await loadScenarioFile(scenarioPath, ctx.cwd);
  writeWarnings(ctx.stderr, loaded.source, loaded.warnings);
  const scenario = applyPlatformFlags(loaded.scenario, flags);
  const { source } = loaded;
  const platform = platforms[scenario.platform]({
    runner: ctx.runner,
    logger: silentLogger,
    runId: 'plan0',
    purpose: 'plan',
    scenario,
  });
  const seed = flags.seed ?? scenario.seed ?? randomInt(2 ** 31 - 1);
  const plan = planRun(scenario, platform, seed);
  if (flags.manifests !== undefined) {
    const written = await writePlanManifests(scenario, plan, resolve(ctx.cwd, flags.manifests));
    for (const file of written) writeLine(ctx.stderr, `wrote ${file}`);
  }
  const perRepetitionS = scenario.warmup + scenario.duration;
  const adaptive = adaptivePlan(scenario);
  const estimateS =
    adaptive === undefined ? plan.order.length * (perRepetitionS + 3) : adaptive.budgetS;
  if (flags.json === true) {
    writeJson(ctx.stdout, {
      scenario: source,
      seed,
      repetitions: scenario.repetitions,
      estimatedSeconds: estimateS,
      trials: plan.trials.map((t) => ({
        id: t.id,
        dimensions: t.dimensions,
        topology: t.topology,
      })),
      order: plan.order.map((o) => ({ trial: o.trial.id, repetition: o.repetition })),
    });
    return 0;
  }
  const rows = plan.trials.map((t) => [
    t.id,
    ...dimensionNames.map((n) => formatDimension(n, t.dimensions)),
    t.topology.pods.map((p) => `${p.name}@${p.node}`).join(' '),
  ]);
  writeLine(ctx.stdout, formatTable(['trial', ...dimensionNames, 'pods'], rows));
  writeLine(ctx.stdout);
  writeLine(
    ctx.stdout,
    adaptive === undefined
      ? `${plan.trials.length} trials × ${scenario.repetitions} repetitions = ${plan.order.length} runs of ${perRepetitionS}s (warmup ${scenario.warmup}s + ${scenario.duration}s); about ${Math.ceil(estimateS / 60)} min. Order seed ${seed}.`
      : `${plan.trials.length} trials, repetitions auto: interleaved rounds of ${plan.trials.length} runs of ${perRepetitionS}s (warmup ${scenario.warmup}s + ${scenario.duration}s), at least ${adaptive.minRounds}, until every headline interval is within ±${adaptive.precision * 100}% or the ${Math.round(adaptive.budgetS)}s budget is spent. Order seed ${seed}.`,
  );
  return 0;
}
