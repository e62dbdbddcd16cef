/**
 * The advisor's output (`netbench advise --json`) and the rule interfaces that produce it.
 */
import type { CostModel } from './cost-model.js';
import type { Evidence, RunInfo } from './evidence/evidence.js';
import type { Requirements } from './requirements-schema.js';
import type { Source } from './sources.js';
import type { ChoiceOf, Confidence, CurrentCni, Decision } from './vocabulary.js';

/** A measured figure a recommendation or warning rests on, with where it was measured. */
export interface EvidenceCitation {
  runId: string;
  trialId: string;
  /** The trial it was compared with (a mesh overhead's no-mesh cell, iptables for nftables). */
  againstTrialId?: string;
  /** What the figure is, e.g. `p99 added by the mesh`, `proxy CPU per 1k requests`. */
  figure: string;
  value: number;
  low: number | undefined;
  high: number | undefined;
  /** us, percent, ms-per-1k-requests, bytes. */
  unit: 'us' | 'percent' | 'ms-per-1k-requests' | 'bytes';
  repetitions: number;
  /** The same, for people: `sidecar cross-node/1000rps: p99 +1.2ms [0.8ms, 1.9ms], 3 repetitions`. */
  text: string;
}

/** One decision: the choice, why, what it rests on, and when to change it. */
export interface Recommendation<D extends Decision = Decision> {
  decision: D;
  choice: ChoiceOf[D];
  /** The rule that decided it (see docs/advisor.md). */
  rule: string;
  because: string[];
  evidence: EvidenceCitation[];
  switchWhen: string[];
  confidence: Confidence;
  /** Seeds and measurements the rule and its figures come from, for people. */
  sources: string[];
}

export interface AdviceWarning {
  /** The warning rule's name, stable for scripts. */
  code: string;
  message: string;
  evidence: EvidenceCitation[];
  sources: string[];
}

export interface Advice {
  recommendations: Recommendation[];
  warnings: AdviceWarning[];
  costModel: CostModel;
  /** The runs given as evidence. */
  runs: RunInfo[];
}

/** What a rule sees: the requirements, the evidence, the cost model, and earlier decisions. */
export interface AdviceContext {
  req: Requirements;
  evidence: Evidence;
  costModel: CostModel;
  /** The CNI the cluster will run once the CNI decision is applied (keep-current resolved). */
  cni: CurrentCni | undefined;
  /** Decisions already made (the CNI before the mesh, the mesh before kube-proxy). */
  decided: Partial<{ [D in Decision]: Recommendation<D> }>;
}

/** What a rule returns when it applies. */
export interface RuleOutcome<D extends Decision> {
  choice: ChoiceOf[D];
  because: string[];
  evidence?: EvidenceCitation[];
  switchWhen: string[];
  confidence: Confidence;
  /** Sources of figures used on the way (measurements, priors), beside the rule's own. */
  extraSources?: Source[];
}

/**
 * A decision rule: named, documented, with its source. Rules of one decision are tried in
 * registry order; the first that applies decides.
 */
export interface DecisionRule<D extends Decision> {
  decision: D;
  /** One sentence: when it applies and what it chooses. */
  summary: string;
  sources: Source[];
  /** The outcome, or undefined when the rule does not apply. */
  decide(ctx: AdviceContext): RuleOutcome<D> | undefined;
}

/** A warning rule: named, documented, with its source; returns the warnings it raises. */
export interface WarningRule {
  summary: string;
  sources: Source[];
  check(ctx: AdviceContext): { message: string; evidence?: EvidenceCitation[] }[];
}
