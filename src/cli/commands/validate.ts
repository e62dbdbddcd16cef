/** `netbench validate FILE`: check a scenario without running anything. */
import { isNetbenchError } from '../../core/errors.js';
import { expandMatrix } from '../../matrix/expand.js';
import type { CliContext } from '../context.js';
import type { commandFlags, FlagValues } from '../flags.js';
import { loadScenarioFile, writeWarnings } from '../load-scenario-file.js';
import { writeJson, writeLine } from '../output.js';

export async function validateCommand(
  file: string,
  flags: FlagValues<typeof commandFlags.validate>,
  ctx: CliContext,
): Promise<number> {
  try {
    const { scenario, warnings } = await loadScenarioFile(file, ctx.cwd);
    const trials = expandMatrix(scenario);
    if (flags.json === true)
      writeJson(ctx.stdout, { file, valid: true, trials: trials.length, problems: [], warnings });
    else {
      writeWarnings(ctx.stderr, file, warnings);
      writeLine(
        ctx.stdout,
        `${file}: valid (${trials.length} trials × ${scenario.repetitions} repetitions)`,
      );
    }
    return 0;
  } catch (error) {
    if (flags.json === true && isNetbenchError(error)) {
      writeJson(ctx.stdout, {
        file,
        valid: false,
        code: error.code,
        message: error.message,
        problems: error.problems,
      });
    }
    throw error;
  }
}
