import { describe, expect, it } from 'vitest';
import { NetbenchError } from '../../../src/core/errors.js';
import { defaultScenarioName, defaultScenarioYaml } from '../../../src/spec/default-scenario.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';

function problemsOf(yaml: string): NetbenchError {
  try {
    parseScenario(yaml, 'test.yaml');
  } catch (error) {
    if (error instanceof NetbenchError) return error;
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario loader', () => {
  it('accepts the built-in default scenario and applies defaults', () => {
    const s = parseScenario(defaultScenarioYaml, defaultScenarioName);
    expect(s.name).toBe('default');
    expect(s.platform).toBe('lab');
    expect(s.timeout).toBe(2);
    expect(s.repetitions).toBe('auto');
    expect(s.precision).toBe(5);
    expect(s.budget).toBe(240);
  });

  it('accepts the smallest scenario: a name', () => {
    const s = parseScenario('name: tiny\n', 'tiny.yaml');
    expect(s.repetitions).toBe(3);
    expect(s.duration).toBe(10);
    expect(s.warmup).toBe(2);
    expect(s.matrix).toEqual({});
  });

  it('converts human units in the matrix, single values and lists alike', () => {
    const s = parseScenario(
      'name: u\nmatrix:\n  rate: [1k, "2.5k", max]\n  payload: 4KiB\nduration: 1.5m\n',
      'u.yaml',
    );
    expect(s.matrix.rate).toEqual([1000, 2500, 'max']);
    expect(s.matrix.payload).toBe(4096);
    expect(s.duration).toBe(90);
  });

  it('reports every problem at once, each with its path and line', () => {
    const e = problemsOf(
      [
        'name: ok-name',
        'repetitions: 0',
        'warmup: soon',
        'matrix:',
        '  datapath: [bridge, vxlam]',
        '  rate: 1k/s',
        '  conections: 4',
        'colour: blue',
      ].join('\n'),
    );
    expect(e.code).toBe('NB_SPEC_INVALID');
    const byPath = Object.fromEntries(e.problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'colour',
        'matrix.conections',
        'matrix.datapath[1]',
        'matrix.rate',
        'repetitions',
        'warmup',
      ].sort(),
    );
    expect(byPath.repetitions?.line).toBe(2);
    expect(byPath.warmup?.line).toBe(3);
    expect(byPath['matrix.datapath[1]']?.line).toBe(5);
    expect(byPath['matrix.rate']?.line).toBe(6);
    expect(byPath['matrix.conections']?.line).toBe(7);
    expect(byPath.colour?.line).toBe(8);
  });

  it('suggests the closest key for a misspelt one', () => {
    const e = problemsOf('name: a\nrepetitons: 2\n');
    expect(e.problems[0]?.message).toBe('unknown key "repetitons"');
    expect(e.problems[0]?.hint).toContain('did you mean "repetitions"?');
  });

  it('suggests the closest value for a misspelt choice', () => {
    const e = problemsOf('name: a\nmatrix:\n  placement: cross-nod\n');
    expect(e.problems[0]?.path).toBe('matrix.placement');
    expect(e.problems[0]?.hint).toContain('did you mean "cross-node"?');
  });

  it('names the rate it could not read and offers a fix', () => {
    const e = problemsOf('name: a\nmatrix:\n  rate: 1k/s\n');
    expect(e.problems[0]?.message).toContain('"1k/s"');
    expect(e.problems[0]?.hint).toBe('did you mean "1k"?');
  });

  it('rejects unknown keys inside include and exclude cells', () => {
    const e = problemsOf('name: a\nexclude:\n  - datapth: bridge\n');
    expect(e.problems[0]?.path).toBe('exclude[0].datapth');
    expect(e.problems[0]?.line).toBe(3);
    expect(e.problems[0]?.hint).toContain('datapath');
  });

  it('requires a name and says so', () => {
    const e = problemsOf('repetitions: 2\n');
    expect(e.problems[0]?.path).toBe('name');
    expect(e.problems[0]?.message).toContain('required');
  });

  it('rejects an empty list in the matrix', () => {
    const e = problemsOf('name: a\nmatrix:\n  datapath: []\n');
    expect(e.problems[0]?.path).toBe('matrix.datapath');
  });

  it('rejects wrong types with the value quoted', () => {
    const e = problemsOf('name: a\nrepetitions: three\nmatrix:\n  connections: many\n');
    const messages = e.problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContain(
      'repetitions: repetitions "three" is not a whole number from 1 to 1000, nor "auto"',
    );
    expect(messages).toContain('matrix.connections: expected number, got "many"');
  });

  it('reports YAML syntax errors with their line', () => {
    const e = problemsOf('name: a\nmatrix:\n  rate: [1k, 2k\nduration: 5s\n');
    expect(e.code).toBe('NB_SPEC_YAML');
    expect(e.problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects duplicate keys', () => {
    expect(problemsOf('name: a\nname: b\n').code).toBe('NB_SPEC_YAML');
  });

  it('rejects an empty file, a list, and several documents', () => {
    expect(problemsOf('').message).toContain('empty');
    expect(problemsOf('- a\n- b\n').message).toContain('mapping');
    expect(problemsOf('name: a\n---\nname: b\n').message).toContain('2 YAML documents');
  });

  it('rejects a duration below the minimum and a bad payload size', () => {
    const e = problemsOf('name: a\nduration: 10ms\nmatrix:\n  payload: 3 bananas\n');
    expect(e.problems.map((p) => p.path).sort()).toEqual(['duration', 'matrix.payload']);
  });

  it('rejects an unknown platform with the valid choices', () => {
    const e = problemsOf('name: a\nplatform: moon\n');
    expect(e.problems[0]?.message).toBe('platform "moon" does not exist');
    expect(e.problems[0]?.hint).toContain('lab');
  });

  it('accepts the kubernetes platform with its section, and rejects unknown keys in it', () => {
    const s = parseScenario(
      'name: a\nplatform: kubernetes\nkubernetes: { nodes: [w1, w2], readyTimeout: 1m }\n',
      'a.yaml',
    );
    expect(s.platform).toBe('kubernetes');
    expect(s.kubernetes).toEqual({ nodes: ['w1', 'w2'], readyTimeout: 60, imagePullSecrets: [] });
    const e = problemsOf('name: a\nplatform: kubernetes\nkubernetes: { node: [w1] }\n');
    expect(e.problems[0]?.path).toContain('kubernetes');
  });
});
