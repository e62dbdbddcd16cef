/**
 * The plan: trials, their topologies and the order of repetitions, checked against the platform
 * before anything is created. An impossible trial stops the run here, with a hint.
 */
import type { TopologySpec } from '../topology/topology-spec.js';
import { NetbenchError, type InputProblem } from '../core/errors.js';
import type { Platform } from '../platform/platform.js';
import type { Scenario } from '../spec/scenario-schema.js';
import { expandMatrix, type TrialPlan } from './expand.js';
import { scheduleRepetitions, type ScheduledRepetition } from './schedule.js';
import { plannedRounds } from './adaptive.js';
import { topologyFor, topologyKey, workloadProblem } from './topology.js';

export interface PlannedTrial extends TrialPlan {
  topology: TopologySpec;
}

export interface RunPlan {
  trials: PlannedTrial[];
  seed: number;
  order: ScheduledRepetition<PlannedTrial>[];
}

export function planRun(
  scenario: Scenario,
  platform: Pick<Platform, 'unsupported'>,
  seed: number,
): RunPlan {
  const trials = expandMatrix(scenario).map((t) => ({ ...t, topology: topologyFor(t.dimensions) }));
  const problems: InputProblem[] = [];
  for (const t of trials) {
    const workloadWhy = workloadProblem(t.dimensions);
    const why = workloadWhy ?? platform.unsupported(t.topology, t.dimensions);
    if (why !== undefined) {
      // The cell to exclude names the dimensions that clash: the workload's with its placement.
      const cell =
        workloadWhy === undefined
          ? `datapath: ${t.dimensions.datapath}, placement: ${t.dimensions.placement}`
          : `workload: ${t.dimensions.workload}, placement: ${t.dimensions.placement}`;
      problems.push({
        path: `trial ${t.id}`,
        message: why,
        hint: `remove it with exclude: [{ ${cell} }]`,
      });
    }
  }
  if (problems.length > 0) {
    throw new NetbenchError(
      'NB_PLAN_IMPOSSIBLE',
      `${problems.length} of ${trials.length} trials cannot run on this platform`,
      { problems, hint: 'exclude those combinations in the scenario, or change the matrix' },
    );
  }
  if (trials.length === 0) {
    throw new NetbenchError('NB_PLAN_IMPOSSIBLE', 'the scenario expands to no trials', {
      hint: '`exclude` removed every cell of the matrix',
    });
  }
  const order = scheduleRepetitions(trials, plannedRounds(scenario), seed, (t) =>
    topologyKey(t.topology),
  );
  return { trials, seed, order };
}
