/**
 * Where each rule and figure of the advisor comes from. The seeds are the field guides the rules
 * were drawn from (kept in ../shared/seeds/ of the project workspace); `measurement` is a netbench
 * run the user passed as evidence. Every rule, prior and warning names one of these, so a reader
 * can check the claim and a test can say what it is testing.
 */

/** The published guides the rules and priors come from. */
export const seeds = {
  'seed-000': {
    file: '000_a2bdfaacc355e55e.txt',
    title:
      'Daga, Daga and Muhafeez, "Evaluating the impact of Kubernetes networking models on microservice communication performance" (Linux World)',
  },
  'seed-001': {
    file: '001_072598c7ac0b76f6.txt',
    title:
      'A platform consultancy\'s 2026 networking decision guide (CNI, mesh, observability, "decision framework" table)',
  },
  'seed-002': {
    file: '002_a32c875044c4cefa.txt',
    title:
      'Research notes F55, "Kubernetes service mesh & networking" (Istio, Linkerd, Cilium; Istio performance docs, arXiv 2411.02267)',
  },
  'seed-003': {
    file: '003_ea370de95b2f7f42.txt',
    title:
      'A consultancy\'s "production Kubernetes networking in 2026" guide (CNIs, kube-proxy, policies, Gateway API, meshes)',
  },
} as const;

export type SeedId = keyof typeof seeds;

/** A source: a seed and the part of it, or a measurement in one of the runs given. */
export type Source =
  { kind: 'seed'; seed: SeedId; where: string } | { kind: 'measurement'; what: string };

export const seed = (id: SeedId, where: string): Source => ({ kind: 'seed', seed: id, where });

export const measured = (what: string): Source => ({ kind: 'measurement', what });

/** `seed-001 (§"Decision framework")` or `measurement (mesh overhead)`, for people. */
export function formatSource(s: Source): string {
  return s.kind === 'seed' ? `${s.seed} (${s.where})` : `measurement (${s.what})`;
}
