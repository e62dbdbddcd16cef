import { readdir, readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { requirementsJsonSchema } from '../../../src/advisor/requirements-json-schema.js';
import { decisionRules, warningRules } from '../../../src/advisor/rules/index.js';

const root = new URL('../../../', import.meta.url).pathname;

describe('rule registries and published contracts', () => {
  it('gives every rule a summary and at least one source, and documents it by name in docs/advisor.md', async () => {
    const doc = await readFile(`${root}docs/advisor.md`, 'utf8');
    const all: [string, { summary: string; sources: readonly unknown[] }][] = [
      ...Object.values(decisionRules).flatMap((rules) =>
        Object.entries(rules as Record<string, { summary: string; sources: readonly unknown[] }>),
      ),
      ...Object.entries(warningRules),
    ];
    expect(all.length).toBeGreaterThanOrEqual(25);
    for (const [name, rule] of all) {
      expect(rule.summary.length, name).toBeGreaterThan(20);
      expect(rule.sources.length, name).toBeGreaterThan(0);
      expect(doc, `docs/advisor.md names ${name}`).toContain(`\`${name}\``);
    }
  });

  it('publishes a JSON Schema that is current and accepts every example profile', async () => {
    const published = JSON.parse(
      await readFile(`${root}docs/requirements.schema.json`, 'utf8'),
    ) as Record<string, unknown>;
    expect(published).toEqual(requirementsJsonSchema());
    const validate = new Ajv2020({ strict: false }).compile(published);
    const dir = `${root}examples/requirements/`;
    for (const f of (await readdir(dir)).filter((x) => x.endsWith('.yaml'))) {
      const ok = validate(parse(await readFile(`${dir}${f}`, 'utf8')));
      expect(ok, `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ cluster: { services: 1, pods: 1, nodes: 1, kernel: '6.1' }, extra: 1 })).toBe(
      false,
    );
  });
});
