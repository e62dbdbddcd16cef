import { describe, expect, it } from 'vitest';
import { expandMatrix } from '../../../src/matrix/expand.js';
import { planRun } from '../../../src/matrix/plan.js';
import { scheduleRepetitions } from '../../../src/matrix/schedule.js';
import { NetbenchError } from '../../../src/core/errors.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';
import { defaultScenarioName, defaultScenarioYaml } from '../../../src/spec/default-scenario.js';
import { createLabPlatform } from '../../../src/platform/lab/lab-platform.js';
import { createProcessRunner } from '../../../src/core/process-runner.js';
import { silentLogger } from '../../../src/core/logger.js';

const scenario = (yaml: string) => parseScenario(yaml, 'test.yaml');
const lab = createLabPlatform({
  runner: createProcessRunner(),
  logger: silentLogger,
  runId: 'test0',
  purpose: 'test',
});

describe('matrix expansion', () => {
  it('makes the cartesian product of the listed dimensions', () => {
    const trials = expandMatrix(
      scenario('name: a\nmatrix:\n  datapath: [vxlan, routed]\n  rate: [100, 200, 300]\n'),
    );
    expect(trials).toHaveLength(6);
    expect(trials.map((t) => t.id)).toEqual([
      'vxlan/100rps',
      'vxlan/200rps',
      'vxlan/300rps',
      'routed/100rps',
      'routed/200rps',
      'routed/300rps',
    ]);
  });

  it('fills dimensions the scenario does not name with their defaults', () => {
    const [t] = expandMatrix(scenario('name: a\n'));
    expect(t?.dimensions).toEqual({
      workload: 'http',
      datapath: 'bridge',
      placement: 'same-node',
      load: 'fixed',
      services: 0,
      kubeProxy: 'iptables',
      bandwidth: 'unlimited',
      rate: 1000,
      bitrate: 'max',
      protocol: 'http1',
      streams: 1,
      threads: 1,
      pinning: 'none',
      connections: 8,
      payload: 1024,
      policy: 'off',
      enforcer: 'iptables',
      mesh: 'none',
      mtls: 'strict',
      proxyConcurrency: 2,
      graph: { name: 'none', entry: '', services: [] },
    });
    expect(t?.id).toBe('a');
  });

  it('removes excluded cells and adds included ones', () => {
    const trials = expandMatrix(
      scenario(
        [
          'name: a',
          'matrix:',
          '  datapath: [vxlan, routed]',
          '  placement: [same-node, cross-node]',
          'exclude:',
          '  - { placement: same-node }',
          'include:',
          '  - { datapath: bridge, placement: same-node }',
        ].join('\n'),
      ),
    );
    expect(trials.map((t) => t.id)).toEqual([
      'vxlan/cross-node',
      'routed/cross-node',
      'bridge/same-node',
    ]);
  });

  it('sweeps an included cell over the matrix lists it leaves open', () => {
    const trials = expandMatrix(
      scenario(
        'name: a\nmatrix:\n  rate: [100, 200]\ninclude:\n  - { datapath: vxlan, placement: cross-node }\n',
      ),
    );
    expect(trials.map((t) => t.id)).toEqual([
      'bridge/same-node/100rps',
      'bridge/same-node/200rps',
      'vxlan/cross-node/100rps',
      'vxlan/cross-node/200rps',
    ]);
  });

  it('expands the built-in default to the three spine datapaths, request/response and HTTP', () => {
    const trials = expandMatrix(parseScenario(defaultScenarioYaml, defaultScenarioName));
    expect(trials.map((t) => t.id)).toEqual([
      'tcp-rr/bridge/same-node/max/same-cpu',
      'tcp-rr/vxlan/cross-node/max/same-cpu',
      'tcp-rr/routed/cross-node/max/same-cpu',
      'http/bridge/same-node/500rps/cross-cpu/2conn',
    ]);
  });

  it('names a trial by the varying dimensions it uses, not those only other trials use', () => {
    const trials = expandMatrix(
      scenario(
        'name: a\nmatrix:\n  workload: tcp-rr\ninclude:\n  - { workload: http, connections: 2 }\n',
      ),
    );
    expect(trials.map((t) => t.id)).toEqual(['tcp-rr', 'http/2conn']);
  });

  it('keeps every varying dimension in the ids of trials that differ only in one they ignore', () => {
    const trials = expandMatrix(
      scenario('name: a\nmatrix:\n  workload: [tcp-rr, http]\n  connections: [1, 2]\n'),
    );
    expect(trials.map((t) => t.id)).toEqual([
      'tcp-rr/1conn',
      'tcp-rr/2conn',
      'http/1conn',
      'http/2conn',
    ]);
  });

  it('drops duplicate cells', () => {
    const trials = expandMatrix(scenario('name: a\ninclude:\n  - { datapath: bridge }\n'));
    expect(trials).toHaveLength(1);
  });
});

describe('planning', () => {
  it('rejects a trial the platform cannot build, before creating anything, with a hint', () => {
    try {
      planRun(scenario('name: a\nmatrix:\n  placement: cross-node\n'), lab, 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NetbenchError);
      const e = error as NetbenchError;
      expect(e.code).toBe('NB_PLAN_IMPOSSIBLE');
      expect(e.problems[0]?.message).toContain('bridge datapath connects pods on one node only');
      expect(e.problems[0]?.hint).toContain('exclude');
    }
  });

  it('refuses a workload that cannot run behind a Service instead of silently bypassing it', () => {
    try {
      planRun(
        scenario('name: a\nmatrix:\n  workload: tcp-stream\n  placement: via-service\n'),
        lab,
        1,
      );
      expect.unreachable();
    } catch (error) {
      const e = error as NetbenchError;
      expect(e.code).toBe('NB_PLAN_IMPOSSIBLE');
      expect(e.problems[0]?.message).toContain('tcp-stream cannot run via a Service');
    }
  });

  it("puts the workload's own port on the Service for via-service trials", () => {
    const plan = planRun(
      scenario('name: a\nmatrix:\n  workload: [http, tcp-crr]\n  placement: via-service\n'),
      lab,
      1,
    );
    const ports = plan.trials.map((t) => t.topology.services?.target?.ports);
    expect(ports).toEqual([[{ port: 80, targetPort: 8080 }], [{ port: 8090, targetPort: 8090 }]]);
  });

  it('rejects a scenario whose exclusions remove every trial', () => {
    expect(() =>
      planRun(scenario('name: a\nexclude:\n  - { datapath: bridge }\n'), lab, 1),
    ).toThrowError(/no trials/);
  });
});

describe('repetition order', () => {
  const trials = expandMatrix(scenario('name: a\nmatrix:\n  rate: [1, 2, 3, 4, 5]\n'));

  it('runs every trial once per round before any trial runs again', () => {
    const order = scheduleRepetitions(trials, 3, 42);
    expect(order).toHaveLength(15);
    for (let round = 0; round < 3; round++) {
      const slice = order.slice(round * 5, round * 5 + 5);
      expect(slice.every((o) => o.repetition === round)).toBe(true);
      expect(new Set(slice.map((o) => o.trial.id)).size).toBe(5);
    }
  });

  it('runs trials that deploy the same topology back to back within a round', () => {
    const mixed = expandMatrix(
      scenario(
        'name: a\nmatrix:\n  rate: [1, 2, 3]\n  datapath: [vxlan, routed]\n  placement: cross-node\n',
      ),
    );
    for (const seed of [1, 2, 3, 4, 5]) {
      const order = scheduleRepetitions(mixed, 2, seed, (t) => t.dimensions.datapath);
      const datapaths = order.map((o) => o.trial.dimensions.datapath);
      // Each round of six is two blocks of three with one datapath each.
      for (const round of [datapaths.slice(0, 6), datapaths.slice(6)]) {
        expect(new Set(round.slice(0, 3)).size).toBe(1);
        expect(new Set(round.slice(3)).size).toBe(1);
        expect(round[0]).not.toBe(round[3]);
      }
    }
  });

  it('replays the same order for the same seed and shuffles for another', () => {
    const ids = (seed: number) => scheduleRepetitions(trials, 3, seed).map((o) => o.trial.id);
    expect(ids(42)).toEqual(ids(42));
    expect(ids(42)).not.toEqual(ids(43));
  });
});
