/** Requirements and contexts for rule tests, built from YAML the way users write them. */
import { advise } from '../../../src/advisor/advise.js';
import type { Advice, Recommendation } from '../../../src/advisor/advice-types.js';
import type { Evidence } from '../../../src/advisor/evidence/evidence.js';
import { parseRequirements } from '../../../src/advisor/parse-requirements.js';
import type { Requirements } from '../../../src/advisor/requirements-schema.js';
import type { Decision } from '../../../src/advisor/vocabulary.js';

export const noEvidence = (): Evidence => ({
  runs: [],
  meshOverheads: [],
  proxyCosts: [],
  kubeProxy: [],
  datapaths: [],
});

/** Requirements from YAML (the base cluster below, overridden by `yaml`). */
export function requirements(yaml: string): Requirements {
  return parseRequirements(yaml, 'test.yaml');
}

/** A production cluster of 120 Services on kernel 6.1 with `needs` and `current` as given. */
export function cluster(extra = '', clusterExtra = ''): Requirements {
  return requirements(
    `cluster:\n  services: 120\n  pods: 900\n  nodes: 40\n  kernel: "6.1"\n${clusterExtra}${extra}`,
  );
}

export function adviceFor(req: Requirements, evidence: Evidence = noEvidence()): Advice {
  return advise(req, evidence);
}

export function decision<D extends Decision>(advice: Advice, d: D): Recommendation<D> {
  return advice.recommendations.find((r) => r.decision === d) as Recommendation<D>;
}

/** The same requirements with some cluster fields changed. */
export function withCluster(
  req: Requirements,
  patch: Partial<Requirements['cluster']>,
): Requirements {
  return { ...req, cluster: { ...req.cluster, ...patch } };
}
