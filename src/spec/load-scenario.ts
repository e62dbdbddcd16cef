/**
 * Scenario files: YAML text → validated `Scenario`, reporting every problem at once with its path,
 * line and a hint.
 */
import { NetbenchError } from '../core/errors.js';
import { checkExpansion } from './expansion-limit.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';
import { checkApplicability } from './dimension-applicability.js';
import { lineOf, parseSingleDocument } from './yaml-source.js';
import { issuesToProblems } from './zod-problems.js';

/** A parsed scenario and what is legal in it but probably not meant. */
export interface ParsedScenario {
  scenario: Scenario;
  /** One sentence each, for stderr (and `validate --json`). */
  warnings: string[];
}

/** Parses and validates scenario YAML. `name` is the file name used in messages. */
export function parseScenario(text: string, name: string): Scenario {
  return parseScenarioWithWarnings(text, name).scenario;
}

/** `parseScenario`, also returning the warnings (values only some trials use). */
export function parseScenarioWithWarnings(text: string, name: string): ParsedScenario {
  const { doc, lineCounter, input } = parseSingleDocument(
    text,
    name,
    'NB_SPEC_INVALID',
    'scenario',
    'a scenario needs at least `name:`; see examples/quick.yaml',
  );
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new NetbenchError('NB_SPEC_INVALID', `${name} must be a mapping of keys to values`, {
      hint: 'start with `name: my-scenario`; see examples/quick.yaml',
    });
  }
  checkExpansion(input as Record<string, unknown>, name, { doc, lineCounter });
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const problems = issuesToProblems(parsed.error.issues, {
      doc,
      lineCounter,
      input,
      schema: scenarioSchema,
    });
    throw new NetbenchError(
      'NB_SPEC_INVALID',
      `${name} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      { problems },
    );
  }
  const scenario = parsed.data as Scenario;
  const { problems, warnings } = checkApplicability(scenario, (dimension) =>
    lineOf(doc, lineCounter, ['matrix', dimension]),
  );
  if (problems.length > 0) {
    throw new NetbenchError(
      'NB_SPEC_INVALID',
      `${name} has ${problems.length} value${problems.length === 1 ? '' : 's'} no trial would use`,
      { problems },
    );
  }
  return { scenario, warnings };
}
