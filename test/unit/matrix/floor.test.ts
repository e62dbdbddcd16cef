import { describe, expect, it } from 'vitest';
import { floorGroups, floorId, loopbackEnvironment } from '../../../src/matrix/floor.js';
import { defaultDimensions } from '../../../src/spec/dimensions.js';
import type { Environment, PodCommand } from '../../../src/platform/platform.js';

/** An environment that records which pod each command went to. */
function recordingEnvironment(): { env: Environment; pods: string[] } {
  const pods: string[] = [];
  const env = {
    topology: { datapath: 'bridge', nodes: [], pods: [] },
    facts: {},
    podAddress: (pod: string) => (pod === 'server' ? '10.244.1.3' : '10.244.1.2'),
    targetAddress: (_pod: string, port: number) => ({ host: '10.96.0.10', port }),
    exec: (pod: string, _c: PodCommand) => {
      pods.push(pod);
      return Promise.resolve({ stdout: '', stderr: '', exitCode: 0 });
    },
    start: (pod: string, _c: PodCommand) => {
      pods.push(pod);
      return Promise.resolve({} as never);
    },
    readResources: () => Promise.resolve({ atMs: 0, groups: [] }),
    teardown: () => Promise.reject(new Error('the floor must not tear the trial down')),
  } as unknown as Environment;
  return { env, pods };
}

describe('the instrument floor', () => {
  it('puts the server in the client pod and every address on loopback', async () => {
    const { env, pods } = recordingEnvironment();
    const floor = loopbackEnvironment(env);
    await floor.start('server', { kind: 'program', argv: ['sockperf', 'server'] });
    await floor.exec('client', { kind: 'program', argv: ['sockperf', 'ping-pong'] });
    expect(pods).toEqual(['client', 'client']);
    expect(floor.podAddress('server')).toBe('127.0.0.1');
    expect(floor.targetAddress('server', 8080)).toEqual({ host: '127.0.0.1', port: 8080 });
    await expect(floor.teardown()).resolves.toBeUndefined();
  });

  it('is shared by trials that differ only in their path', () => {
    const d = { ...defaultDimensions(), workload: 'tcp-rr' as const, pinning: 'same-cpu' as const };
    const bridge = floorId({ ...d, datapath: 'bridge', placement: 'same-node' });
    const vxlan = floorId({ ...d, datapath: 'vxlan', placement: 'cross-node' });
    expect(bridge).toBeDefined();
    expect(vxlan).toBe(bridge);
    expect(floorId({ ...d, payload: 64 })).not.toBe(bridge);
  });

  it('is shared by trials that differ only in a dimension their engine ignores', () => {
    const d = { ...defaultDimensions(), workload: 'tcp-rr' as const, rate: 'max' as const };
    expect(floorId({ ...d, connections: 2 })).toBe(floorId({ ...d, connections: 8 }));
    expect(floorId({ ...d, pinning: 'same-cpu', payload: 64 })).toBe(
      'floor tcp-rr/max/same-cpu/64B',
    );
  });

  it('does not exist for throughput workloads or loads relative to a capacity probe', () => {
    expect(floorId({ ...defaultDimensions(), workload: 'tcp-stream' })).toBeUndefined();
    expect(floorId({ ...defaultDimensions(), load: 'moderate' })).toBeUndefined();
  });
});

describe('floor groups', () => {
  it('measure one floor per engine setting, shown against every trial that uses it', () => {
    const rr = { ...defaultDimensions(), workload: 'tcp-rr' as const, payload: 64 };
    const http = defaultDimensions();
    const groups = floorGroups([
      { id: 'rr-bridge', dimensions: { ...rr, datapath: 'bridge' } },
      { id: 'rr-vxlan', dimensions: { ...rr, datapath: 'vxlan', placement: 'cross-node' } },
      { id: 'http-bridge', dimensions: http },
      { id: 'stream', dimensions: { ...http, workload: 'tcp-stream' } },
    ]);
    expect(groups.map((g) => g.trialIds)).toEqual([['rr-bridge', 'rr-vxlan'], ['http-bridge']]);
  });
});
