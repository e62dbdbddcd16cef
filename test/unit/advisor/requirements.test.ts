import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseRequirements } from '../../../src/advisor/parse-requirements.js';
import type { NetbenchError } from '../../../src/core/errors.js';
import { thrown } from '../../helpers/errors.js';

const examples = new URL('../../../examples/requirements/', import.meta.url).pathname;

describe('requirements files', () => {
  it('parses every example profile, with defaults applied and units turned into numbers', async () => {
    const files = (await readdir(examples)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const req = parseRequirements(await readFile(`${examples}${f}`, 'utf8'), f);
      expect(req.cluster.nodeOS).toContain('linux');
      expect(['low', 'medium', 'high']).toContain(req.team.capacity);
    }
    const fintech = parseRequirements(
      await readFile(`${examples}regulated-fintech.yaml`, 'utf8'),
      'regulated-fintech.yaml',
    );
    expect(fintech.budget).toEqual({
      p99AddedUs: 5000,
      proxyCpuCores: 40,
      proxyMemoryBytes: 64 * 1024 ** 3,
    });
    expect(fintech.cluster.requestsPerSecond).toBe(40_000);
  });

  it('fills the needs and team with documented defaults when they are left out', () => {
    const req = parseRequirements(
      'cluster: { services: 5, pods: 10, nodes: 1, kernel: "6.1" }',
      'r.yaml',
    );
    expect(req.needs).toEqual({
      mtls: 'none',
      l7Policy: 'none',
      l7Traffic: false,
      perPodL7: false,
      bgpPeering: false,
      networkPolicy: true,
      observability: 'flows',
    });
    expect(req.team.capacity).toBe('medium');
    expect(req.cluster.purpose).toBe('production');
  });

  it('reports every problem at once, each with its path, line and a hint', () => {
    const text = [
      'cluster:',
      '  services: many',
      '  pods: 10',
      '  nodes: 0',
      '  kernel: 5.1x',
      'needs:',
      '  mtls: everywhere',
      '  l7polcy: basic',
      'budget: { p99: 5 parsecs }',
    ].join('\n');
    const e = thrown(() => parseRequirements(text, 'bad.yaml')) as NetbenchError;
    expect(e.code).toBe('NB_ADVISE_REQUIREMENTS_INVALID');
    const byPath = new Map(e.problems.map((p) => [p.path, p]));
    expect([...byPath.keys()].sort()).toEqual(
      [
        'budget.p99',
        'cluster.kernel',
        'cluster.nodes',
        'cluster.services',
        'needs.l7polcy',
        'needs.mtls',
      ].sort(),
    );
    expect(byPath.get('cluster.services')?.line).toBe(2);
    expect(byPath.get('needs.mtls')?.hint).toMatch(/none, some, all|expected one of/);
    expect(byPath.get('needs.l7polcy')?.hint).toMatch(/l7Policy/);
    expect(byPath.get('budget.p99')?.line).toBe(9);
  });

  it('refuses an empty file and a list with the requirements error code', () => {
    expect(thrown(() => parseRequirements('', 'e.yaml')).code).toBe(
      'NB_ADVISE_REQUIREMENTS_INVALID',
    );
    expect(thrown(() => parseRequirements('- a', 'l.yaml')).code).toBe(
      'NB_ADVISE_REQUIREMENTS_INVALID',
    );
  });
});
