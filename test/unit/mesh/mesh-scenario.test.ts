import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isNetbenchError } from '../../../src/core/errors.js';
import { createProcessRunner } from '../../../src/core/process-runner.js';
import { silentLogger } from '../../../src/core/logger.js';
import { planRun } from '../../../src/matrix/plan.js';
import { createLabPlatform } from '../../../src/platform/lab/lab-platform.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';

const lab = createLabPlatform({
  runner: createProcessRunner(),
  logger: silentLogger,
  runId: 'abcde',
  purpose: 'unit test',
});

describe('examples/mesh.yaml', () => {
  const text = readFileSync(new URL('../../../examples/mesh.yaml', import.meta.url), 'utf8');

  it('plans every mesh model, strict mTLS, both placements at three rates', () => {
    const plan = planRun(parseScenario(text, 'mesh.yaml'), lab, 1);
    const d = plan.trials.map((t) => t.dimensions);
    expect(new Set(d.map((x) => x.mesh))).toEqual(
      new Set(['none', 'sidecar', 'node-proxy', 'node-proxy+waypoint']),
    );
    expect(new Set(d.map((x) => x.placement))).toEqual(new Set(['same-node', 'cross-node']));
    expect(new Set(d.map((x) => x.rate)).size).toBe(3);
    expect(d.every((x) => x.mtls === 'strict')).toBe(true);
    expect(plan.trials).toHaveLength(24);
  });
});

describe('mesh dimensions in a scenario', () => {
  it('rejects an unknown mesh, naming the value', () => {
    try {
      parseScenario('name: x\nmatrix:\n  mesh: istio\n', 'x.yaml');
      expect.unreachable();
    } catch (error) {
      expect(isNetbenchError(error) && error.code).toBe('NB_SPEC_INVALID');
      const problem = isNetbenchError(error) ? error.problems[0] : undefined;
      expect(problem?.path).toBe('matrix.mesh');
      expect(problem?.line).toBe(3);
    }
  });

  it('rejects a proxy concurrency of zero', () => {
    expect(() => parseScenario('name: x\nmatrix:\n  proxyConcurrency: 0\n', 'x.yaml')).toThrow(
      /problem/,
    );
  });
});
