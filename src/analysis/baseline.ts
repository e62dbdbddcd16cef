/**
 * Which trial is each trial's baseline. A scenario names a baseline value per dimension
 * (`baseline: { datapath: bridge, mesh: none }`); each named dimension makes one overhead table.
 * A trial with another value of that dimension is compared with the baseline-valued trial that
 * agrees with it on the most other dimensions: ideally all of them (the pure effect of that one
 * dimension); when the matrix has no such trial, the closest one, and the table names the other
 * dimensions that differ too, so nobody mistakes the comparison for a clean one.
 */

export interface BaselinePair {
  trialId: string;
  baselineId: string;
  differsAlsoIn: string[];
}

export interface BaselineMatch {
  dimension: string;
  value: unknown;
  pairs: BaselinePair[];
  notes: string[];
}

interface TrialLike {
  id: string;
  index: number;
  dimensions: Record<string, unknown>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function matchBaselines(
  trials: readonly TrialLike[],
  baseline: Record<string, unknown>,
): BaselineMatch[] {
  const out: BaselineMatch[] = [];
  for (const [dimension, value] of Object.entries(baseline)) {
    if (value === undefined) continue;
    const bases = trials.filter((t) => same(t.dimensions[dimension], value));
    const others = trials.filter((t) => !same(t.dimensions[dimension], value));
    const notes: string[] = [];
    const pairs: BaselinePair[] = [];
    if (bases.length === 0) {
      notes.push(
        `no trial has ${dimension} ${JSON.stringify(value)} (excluded, or failed), so nothing could be compared with it`,
      );
    } else {
      for (const t of others) {
        const keys = Object.keys(t.dimensions).filter((k) => k !== dimension);
        let best: TrialLike | undefined;
        let bestAgreement = -1;
        let tied: TrialLike[] = [];
        for (const b of bases) {
          const agreement = keys.filter((k) => same(t.dimensions[k], b.dimensions[k])).length;
          if (agreement > bestAgreement) {
            best = b;
            bestAgreement = agreement;
            tied = [];
          } else if (agreement === bestAgreement) tied.push(b);
        }
        const differsAlsoIn = keys.filter((k) => !same(t.dimensions[k], best!.dimensions[k]));
        if (tied.length > 0) {
          notes.push(
            `${t.id}: ${best!.id} and ${tied.map((x) => x.id).join(', ')} are equally close baselines; ${best!.id} was used`,
          );
        }
        pairs.push({ trialId: t.id, baselineId: best!.id, differsAlsoIn });
      }
    }
    out.push({ dimension, value, pairs, notes });
  }
  return out;
}
