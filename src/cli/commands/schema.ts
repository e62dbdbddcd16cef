/** `netbench schema`: the JSON Schema of scenario files, for editors and other tools. */
import { scenarioJsonSchema } from '../../spec/json-schema.js';
import type { CliContext } from '../context.js';
import { writeJson } from '../output.js';

export function schemaCommand(ctx: CliContext): number {
  writeJson(ctx.stdout, scenarioJsonSchema());
  return 0;
}
