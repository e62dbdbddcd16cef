/**
 * `netbench advise --requirements req.yaml [RUN_DIR|results.json ...]`: a recommendation for the
 * CNI, mesh, kube-proxy mode and observability from the team's requirements and their own runs.
 * The files are read here; the advice itself is pure (src/advisor).
 */
import { extname, resolve } from 'node:path';
import { advise } from '../../advisor/advise.js';
import type { Advice } from '../../advisor/advice-types.js';
import { extractEvidence } from '../../advisor/evidence/evidence.js';
import { parseRequirements } from '../../advisor/parse-requirements.js';
import { renderAdvicePage } from '../../advisor/render-html.js';
import { renderAdviceMarkdown } from '../../advisor/render-markdown.js';
import type { Requirements } from '../../advisor/requirements-schema.js';
import { NetbenchError } from '../../core/errors.js';
import type { Results } from '../../results/schema.js';
import { loadResults } from '../../results/results-store.js';
import { suggestionHint } from '../../spec/suggest.js';
import type { CliContext } from '../context.js';
import { readTextFile } from '../load-scenario-file.js';
import { writeOutput } from '../write-output.js';

export interface AdviseFlags {
  requirements: string;
  json?: boolean;
  format?: string;
  out?: string;
}

const adviceFormats = ['md', 'html', 'json'] as const;
type AdviceFormat = (typeof adviceFormats)[number];

function formatOf(flags: AdviseFlags): AdviceFormat {
  if (flags.json === true) return 'json';
  if (flags.format !== undefined) {
    if ((adviceFormats as readonly string[]).includes(flags.format)) {
      return flags.format as AdviceFormat;
    }
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--format ${JSON.stringify(flags.format)} is not an advice format`,
      { hint: suggestionHint(flags.format, adviceFormats) },
    );
  }
  const ext = flags.out === undefined ? '' : extname(flags.out).toLowerCase();
  return ext === '.html' || ext === '.htm' ? 'html' : ext === '.json' ? 'json' : 'md';
}

/** Reads and validates a requirements file (shared with `run` and `report --requirements`). */
export async function loadRequirementsFile(path: string, cwd: string): Promise<Requirements> {
  return parseRequirements(await readTextFile(path, cwd, 'requirements file'), path);
}

/** The advice for requirements and runs, as `run`/`report` need it for report.html. */
export function adviceFor(requirements: Requirements, runs: readonly Results[]): Advice {
  return advise(requirements, extractEvidence(runs));
}

function render(advice: Advice, format: AdviceFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          recommendations: advice.recommendations,
          warnings: advice.warnings,
          costModel: advice.costModel,
          runs: advice.runs,
        },
        // Bounds that cannot be given are null in the contract, not missing keys.
        (_key, value: unknown) => (value === undefined ? null : value),
        2,
      )}\n`;
    case 'html':
      return renderAdvicePage(advice);
    case 'md':
      return renderAdviceMarkdown(advice);
  }
}

export async function adviseCommand(
  inputs: readonly string[],
  flags: AdviseFlags,
  ctx: CliContext,
): Promise<number> {
  const format = formatOf(flags);
  const requirements = await loadRequirementsFile(flags.requirements, ctx.cwd);
  const runs: Results[] = [];
  for (const input of inputs) runs.push(await loadResults(resolve(ctx.cwd, input)));
  const advice = adviceFor(requirements, runs);
  const text = render(advice, format);
  await writeOutput(ctx, flags.out, text);
  return 0;
}
