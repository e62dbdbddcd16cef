/**
 * The scenario file as JSON Schema, generated from the zod schema (one declaration, so the two
 * cannot drift), for editors: `# yaml-language-server: $schema=…` in a scenario gives completion
 * and checks as you type. Human units (`30s`, `1k`) are strings or numbers here; their meaning is
 * checked by `netbench validate`, which also reports what JSON Schema cannot say (a rate that no
 * trial uses, a baseline outside the matrix).
 */
import { z } from 'zod';
import { dimensionNames, dimensions } from './dimensions.js';
import { scenarioSchema } from './scenario-schema.js';

/** Where the generated schema is shipped in the package, relative to its root. */
export const scenarioSchemaPath = 'schema/scenario.schema.json';

interface JsonSchemaObject {
  properties?: Record<string, JsonSchemaObject & { description?: string }>;
  [key: string]: unknown;
}

/** JSON Schema (draft-07, what yaml-language-server and most editors read) of scenario files. */
export function scenarioJsonSchema(): JsonSchemaObject {
  const schema = z.toJSONSchema(scenarioSchema, {
    io: 'input',
    target: 'draft-7',
    // Refinements and unit parsers have no JSON Schema form: their input type stands in.
    unrepresentable: 'any',
  }) as JsonSchemaObject;
  if (schema.properties !== undefined) {
    // `repetitions` is parsed by a transform (so its error can name both forms); what it
    // accepts is a whole number from 1 to 1000, or "auto".
    schema.properties.repetitions = {
      ...schema.properties.repetitions,
      type: undefined,
      anyOf: [{ type: 'integer', minimum: 1, maximum: 1000 }, { const: 'auto' }],
    };
    delete schema.properties.repetitions.type;
  }
  const matrix = schema.properties?.matrix?.properties ?? {};
  for (const name of dimensionNames) {
    const property = matrix[name];
    if (property !== undefined) {
      property.description = `${dimensions[name].description}. Default: ${JSON.stringify(dimensions[name].default)}. One value, or a list to sweep.`;
    }
  }
  return {
    title: 'netbench scenario',
    description:
      'A netbench scenario file (docs/scenario.md). Check it with `netbench validate FILE`.',
    ...schema,
  };
}
