import { describe, expect, it } from 'vitest';
import { topologyFor, topologyKey } from '../../../src/matrix/topology.js';
import { defaultDimensions } from '../../../src/spec/dimensions.js';

describe('mesh in a trial topology', () => {
  it('adds nothing for mesh none, whatever mtls and concurrency say', () => {
    const a = topologyFor({ ...defaultDimensions(), mesh: 'none', mtls: 'strict' });
    const b = topologyFor({
      ...defaultDimensions(),
      mesh: 'none',
      mtls: 'off',
      proxyConcurrency: 4,
    });
    expect(a.mesh).toBeUndefined();
    expect(topologyKey(a)).toBe(topologyKey(b));
  });

  it('captures the client and the server for sidecar and node-proxy', () => {
    const t = topologyFor({ ...defaultDimensions(), mesh: 'sidecar', proxyConcurrency: 4 });
    expect(t.mesh).toEqual({
      mode: 'sidecar',
      mtls: 'strict',
      concurrency: 4,
      members: ['client', 'server'],
    });
    expect(t.pods.map((p) => p.name)).toEqual(['client', 'server']);
  });

  it("schedules the waypoint on the server's node and has it serve the server", () => {
    const t = topologyFor({
      ...defaultDimensions(),
      datapath: 'routed',
      placement: 'cross-node',
      mesh: 'node-proxy+waypoint',
    });
    expect(t.pods).toContainEqual({ name: 'waypoint', node: 'node2' });
    expect(t.mesh?.waypoint).toEqual({ pod: 'waypoint', serves: ['server'] });
    expect(t.mesh?.members).toEqual(['client', 'server']);
  });

  it('gives each mesh model and mTLS mode its own environment', () => {
    const keys = new Set(
      (['sidecar', 'node-proxy', 'node-proxy+waypoint'] as const).flatMap((mesh) =>
        (['off', 'strict'] as const).map((mtls) =>
          topologyKey(topologyFor({ ...defaultDimensions(), mesh, mtls })),
        ),
      ),
    );
    expect(keys.size).toBe(6);
  });
});
