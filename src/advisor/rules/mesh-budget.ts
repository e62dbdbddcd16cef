/**
 * Picks a mesh from a rule's candidates, in the rule's order of preference, skipping any whose
 * measured p99 overhead or whose cluster-wide proxy cost breaks the team's budget. Where the
 * evidence changes the advice, it is here: two runs with different overheads give different
 * meshes under the same budget. Pure.
 */
import { formatMicros } from '../../core/units.js';
import type { AdviceContext, EvidenceCitation, RuleOutcome } from '../advice-types.js';
import { citeMeshOverhead, citeProxyCost, signedMicros } from '../citations.js';
import { perPodRps } from '../cost-model.js';
import type { MeshOverhead } from '../evidence/evidence.js';
import { labModelOf, mtlsLatencyPriors, mtlsLatencyPriorSource } from '../priors.js';
import { pickRepresentative } from '../representative.js';
import { measured } from '../sources.js';
import type { Confidence, MeshChoice } from '../vocabulary.js';

export type MeshCandidate = Exclude<MeshChoice, 'none'>;

/** The team needs L7 from its mesh (policy or traffic management). */
export const needsL7 = (ctx: AdviceContext): boolean =>
  ctx.req.needs.l7Policy !== 'none' || ctx.req.needs.l7Traffic;

/** The measured overhead that stands for a candidate at the team's rate, if any run measured it. */
export function measuredOverhead(
  ctx: AdviceContext,
  candidate: MeshCandidate,
): MeshOverhead | undefined {
  const model = labModelOf(candidate, needsL7(ctx));
  return pickRepresentative(
    ctx.evidence.meshOverheads.filter((o) => o.meshMode === model),
    perPodRps(ctx.req),
  );
}

interface Assessment {
  candidate: MeshCandidate;
  overhead: MeshOverhead | undefined;
  /** Why it breaks the budget, empty when it fits. */
  breaks: string[];
  /** The upper bound of its overhead's interval crosses the p99 budget. */
  mayBreak: boolean;
}

function assess(ctx: AdviceContext, candidate: MeshCandidate): Assessment {
  const budget = ctx.req.budget;
  const overhead = measuredOverhead(ctx, candidate);
  const cost = ctx.costModel.meshes.find((m) => m.mesh === candidate);
  const breaks: string[] = [];
  let mayBreak = false;
  const p99Budget = budget?.p99AddedUs;
  if (p99Budget !== undefined && overhead !== undefined) {
    const added = overhead.p99AddedUs;
    if (added.value > p99Budget) {
      breaks.push(
        `its measured p99 overhead ${signedMicros(added.value)} breaks the p99 budget of ${formatMicros(p99Budget)}`,
      );
    } else if (added.high !== undefined && added.high > p99Budget) mayBreak = true;
  }
  const cpuBudget = budget?.proxyCpuCores;
  if (cpuBudget !== undefined && cost?.cpuCores !== undefined && cost.cpuCores.value > cpuBudget) {
    breaks.push(
      `its proxies would need ${cost.cpuCores.value.toFixed(1)} vCPU cluster-wide (${cost.basis}), over the budget of ${cpuBudget}`,
    );
  }
  const memBudget = budget?.proxyMemoryBytes;
  if (
    memBudget !== undefined &&
    cost?.memoryBytes !== undefined &&
    cost.memoryBytes.value > memBudget
  ) {
    breaks.push(`its proxies' memory (${cost.basis}) is over the memory budget`);
  }
  return { candidate, overhead, breaks, mayBreak };
}

function citationsOf(ctx: AdviceContext, a: Assessment): EvidenceCitation[] {
  const out: EvidenceCitation[] = [];
  if (a.overhead !== undefined) out.push(citeMeshOverhead(a.overhead));
  const model = labModelOf(a.candidate, needsL7(ctx));
  const cost = pickRepresentative(
    ctx.evidence.proxyCosts.filter((c) => c.meshMode === model),
    perPodRps(ctx.req),
  );
  if (cost !== undefined) out.push(citeProxyCost(cost));
  return out;
}

const lower = (c: Confidence): Confidence => (c === 'high' ? 'medium' : 'low');

/**
 * The first candidate within budget, with the reasons the ones before it were skipped. When all
 * break the budget, the one with the smallest measured overhead, at low confidence.
 */
export function pickWithinBudget(
  ctx: AdviceContext,
  candidates: readonly MeshCandidate[],
  outcome: Omit<RuleOutcome<'mesh'>, 'choice'>,
): RuleOutcome<'mesh'> {
  const assessed = candidates.map((c) => assess(ctx, c));
  const fitIndex = assessed.findIndex((a) => a.breaks.length === 0);
  const fitting = assessed[fitIndex];
  const skipped = fitIndex > 0 ? assessed.slice(0, fitIndex) : [];
  const because = [...outcome.because];
  const evidence: EvidenceCitation[] = [...(outcome.evidence ?? [])];
  for (const s of skipped) {
    because.push(`not ${s.candidate}: ${s.breaks.join('; ')}`);
    evidence.push(...citationsOf(ctx, s));
  }
  let chosen: Assessment;
  let confidence = outcome.confidence;
  if (fitting !== undefined) {
    chosen = fitting;
  } else {
    chosen = assessed.reduce((best, a) =>
      (a.overhead?.p99AddedUs.value ?? Infinity) < (best.overhead?.p99AddedUs.value ?? Infinity)
        ? a
        : best,
    );
    because.push(
      `every mesh that meets the needs breaks the budget (${assessed.map((a) => `${a.candidate}: ${a.breaks.join('; ')}`).join(' | ')}); ${chosen.candidate} costs least as measured`,
    );
    confidence = 'low';
  }
  evidence.push(...citationsOf(ctx, chosen));
  const extraSources = [...(outcome.extraSources ?? [])];
  if (chosen.overhead !== undefined) {
    extraSources.push(measured(`mesh overhead of the ${chosen.overhead.meshMode} model`));
    const o = chosen.overhead;
    if (o.p99AddedUs.repetitions < 2 || o.p99Relative.verdict === 'unknown') {
      because.push(
        `its overhead was measured with ${o.p99AddedUs.repetitions} valid repetition(s) and no run-to-run interval: repeat the run (repetitions >= 3) before relying on it`,
      );
      confidence = lower(confidence);
    }
    if (chosen.mayBreak) {
      because.push(
        'the upper bound of its measured p99 overhead crosses the budget: measure again with more repetitions',
      );
      confidence = 'low';
    }
  } else {
    because.push(
      `no run measured its shape (${labModelOf(chosen.candidate, needsL7(ctx))}); published figures put its mTLS latency overhead near +${Math.round(mtlsLatencyPriors[chosen.candidate] * 100)}% (a prior, not your workload): run examples/mesh.yaml to measure it`,
    );
    extraSources.push(mtlsLatencyPriorSource);
    if (confidence === 'high') confidence = lower(confidence);
  }
  return { ...outcome, choice: chosen.candidate, because, evidence, confidence, extraSources };
}
