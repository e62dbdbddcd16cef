/**
 * Requirements files: YAML text → validated `Requirements`, every problem at once with its path,
 * line and a hint (the scenario loader's machinery, reused as it is). Pure: the caller reads the
 * file.
 */
import { NetbenchError } from '../core/errors.js';
import { parseSingleDocument } from '../spec/yaml-source.js';
import { issuesToProblems } from '../spec/zod-problems.js';
import { requirementsSchema, type Requirements } from './requirements-schema.js';

const example = 'see examples/requirements/small-dev.yaml';

/** Parses and validates requirements YAML. `name` is the file name used in messages. */
export function parseRequirements(text: string, name: string): Requirements {
  const { doc, lineCounter, input } = parseSingleDocument(
    text,
    name,
    'NB_ADVISE_REQUIREMENTS_INVALID',
    'requirements',
    `requirements need at least \`cluster: { services, pods, nodes, kernel }\`; ${example}`,
  );
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new NetbenchError(
      'NB_ADVISE_REQUIREMENTS_INVALID',
      `${name} must be a mapping of keys to values`,
      { hint: `start with \`cluster:\`; ${example}` },
    );
  }
  const parsed = requirementsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = issuesToProblems(parsed.error.issues, {
      doc,
      lineCounter,
      input,
      schema: requirementsSchema,
    });
    throw new NetbenchError(
      'NB_ADVISE_REQUIREMENTS_INVALID',
      `${name} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      { problems },
    );
  }
  return parsed.data;
}
