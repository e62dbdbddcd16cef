/**
 * `advise`: requirements + evidence → recommendations, warnings and the cost model. Pure: the
 * CLI reads the files, this decides. Decisions are made in the order they constrain each other
 * (CNI, then mesh, then kube-proxy, then observability); each is the first of its rules that
 * applies.
 */
import type {
  Advice,
  AdviceContext,
  AdviceWarning,
  DecisionRule,
  Recommendation,
} from './advice-types.js';
import { buildCostModel } from './cost-model.js';
import type { Evidence } from './evidence/evidence.js';
import type { Requirements } from './requirements-schema.js';
import { decisionRules, warningRules } from './rules/index.js';
import { formatSource } from './sources.js';
import { decisionNames, type CurrentCni, type Decision } from './vocabulary.js';

function decide<D extends Decision>(
  decision: D,
  rules: Record<string, DecisionRule<D>>,
  ctx: AdviceContext,
): Recommendation<D> {
  for (const [name, rule] of Object.entries(rules)) {
    const outcome = rule.decide(ctx);
    if (outcome === undefined) continue;
    return {
      decision,
      choice: outcome.choice,
      rule: name,
      because: outcome.because,
      evidence: outcome.evidence ?? [],
      switchWhen: outcome.switchWhen,
      confidence: outcome.confidence,
      sources: [...new Set([...rule.sources, ...(outcome.extraSources ?? [])].map(formatSource))],
    };
  }
  // Every registry ends with a rule that always applies; reaching here is a bug.
  throw new Error(`no ${decision} rule applied`);
}

/** The CNI the cluster runs once the CNI recommendation is applied. */
function effectiveCni(rec: Recommendation<'cni'>, req: Requirements): CurrentCni | undefined {
  return rec.choice === 'keep-current' ? req.cluster.current?.cni : rec.choice;
}

export function advise(req: Requirements, evidence: Evidence): Advice {
  const costModel = buildCostModel(req, evidence);
  const ctx: AdviceContext = {
    req,
    evidence,
    costModel,
    cni: req.cluster.current?.cni,
    decided: {},
  };
  const recommendations: Recommendation[] = [];
  for (const decision of decisionNames) {
    const rec = decide(
      decision,
      decisionRules[decision] as Record<string, DecisionRule<typeof decision>>,
      ctx,
    );
    (ctx.decided as Record<Decision, Recommendation>)[decision] = rec;
    if (decision === 'cni') ctx.cni = effectiveCni(rec as Recommendation<'cni'>, req);
    recommendations.push(rec);
  }
  const warnings: AdviceWarning[] = Object.entries(warningRules).flatMap(([code, rule]) =>
    rule.check(ctx).map((w) => ({
      code,
      message: w.message,
      evidence: w.evidence ?? [],
      sources: rule.sources.map(formatSource),
    })),
  );
  return { recommendations, warnings, costModel, runs: evidence.runs };
}
