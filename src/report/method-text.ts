/** "How sure are we?": the method, in a few paragraphs every report carries. Pure. */
import type { Analysis } from '../analysis/analyze.js';

export function methodParagraphs(a: Analysis): string[] {
  const level = Math.round(a.level * 100);
  return [
    `Percentiles come from the merged HdrHistogram of a trial's valid repetitions, never from averaging per-repetition percentiles. Latency is measured from each request's scheduled send time (open loop), so it includes queueing caused by the path.`,
    `Two kinds of noise move these numbers: which requests happened to be slow within a run (sampling), and how one run differs from the next (the machine, the deployment, the neighbours). On shared machines the second dominates, and more requests do not shrink it; only more repetitions do. A method that treats every request as independent calls almost any two runs "different".`,
    `So the ${level} % intervals are built from repetitions: ${a.bootstrap.iterations} bootstrap resamples of the repetitions (seeded from the run's seed ${a.bootstrap.seed}, so a re-render gives the same digits), each recomputing the merged percentile; their spread, corrected for the few repetitions resampled, with Student's t on R−1 degrees of freedom. Simulated with run-to-run noise of 0–15 %, these intervals held 93–98 % coverage and called identical configurations different 2–8 % of the time (scripts/stats-calibration.mjs). With two repetitions the intervals are honest but wide; with one, the interval covers request sampling only and no comparison gets a verdict.`,
    `A difference is "significant" when its interval excludes zero (Welch's t on the log scale, p < ${(1 - a.level).toFixed(2)}), otherwise "within noise": the data cannot tell it from run-to-run variation, which is not the same as "no difference". "P(slower)" is a descriptive effect size (Mann-Whitney U over requests / pairs), not a test. Repetitions the load generator marked invalid (it could not keep its schedule, or was saturated) are excluded, and counted in "valid reps".`,
  ];
}
