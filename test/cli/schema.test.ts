import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';

const examples = readdirSync('examples').filter((f) => f.endsWith('.yaml'));

async function compiledSchema(): Promise<ReturnType<Ajv['compile']>> {
  const r = await cli(['schema']);
  expect(r.exitCode).toBe(0);
  return new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(r.stdout) as object);
}

describe('netbench schema', () => {
  it('prints the JSON Schema that the package ships as schema/scenario.schema.json', async () => {
    const r = await cli(['schema']);
    expect(r.stdout).toBe(readFileSync('schema/scenario.schema.json', 'utf8'));
  });

  for (const file of examples) {
    it(`validates examples/${file}, which names the schema on its first line`, async () => {
      const text = readFileSync(`examples/${file}`, 'utf8');
      expect(text.split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../schema/scenario.schema.json',
      );
      const validate = await compiledSchema();
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  it('rejects an unknown key, a misspelt datapath and a repetitions of zero', async () => {
    const validate = await compiledSchema();
    for (const bad of [
      { name: 'a', repetitons: 3 },
      { name: 'a', matrix: { datapath: 'bridj' } },
      { name: 'a', repetitions: 0 },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
