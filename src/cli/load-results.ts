/**
 * results.json as report and compare read it: the contract's own checks (results-store), and
 * every raw histogram decoded once, so a corrupt one is an input error naming its trial instead
 * of a crash deep in the analysis.
 */
import { NetbenchError, type InputProblem } from '../core/errors.js';
import { loadResults } from '../results/results-store.js';
import type { Results } from '../results/schema.js';
import { decodeHistogram } from '../stats/histogram.js';

export async function loadCheckedResults(pathOrDir: string): Promise<Results> {
  const results = await loadResults(pathOrDir);
  const problems: InputProblem[] = [];
  results.trials.forEach((trial, t) => {
    trial.repetitions.forEach((repetition, r) => {
      for (const [key, encoded] of Object.entries(repetition.histograms ?? {})) {
        try {
          decodeHistogram(encoded);
        } catch (error) {
          problems.push({
            path: `trials[${t}].repetitions[${r}].histograms.${key}`,
            message: `trial ${JSON.stringify(trial.id)} repetition ${repetition.index}: the ${key} histogram does not decode (${(error as Error).message})`,
          });
        }
      }
    });
  });
  if (problems.length > 0) {
    throw new NetbenchError('NB_RESULTS_INVALID', `${pathOrDir} holds corrupt histograms`, {
      problems: problems.slice(0, 20),
      hint: 'the file was edited or truncated; render the run from an intact copy',
    });
  }
  return results;
}
