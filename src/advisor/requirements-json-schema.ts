/**
 * The requirements file as JSON Schema (draft 2020-12), generated from the zod schema so it
 * cannot drift: editors validate and complete requirements YAML with it. Written to
 * docs/requirements.schema.json by `node scripts/gen-requirements-schema.mjs`. Pure.
 */
import { z } from 'zod';
import { requirementsSchema } from './requirements-schema.js';

export function requirementsJsonSchema(): Record<string, unknown> {
  // io: 'input' describes what users write (`p99: 5ms`), not the parsed numbers.
  const schema = z.toJSONSchema(requirementsSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    title: 'netbench advise requirements',
    description:
      'What the cluster is, what the team needs, what it can run and spend (see docs/advisor.md).',
  };
}
