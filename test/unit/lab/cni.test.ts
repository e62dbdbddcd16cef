import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planLayout } from '../../../src/platform/lab/addressing.js';
import {
  bandwidthBurstBits,
  cniNetworkFor,
  pluginBinaries,
} from '../../../src/platform/lab/cni/cni-config.js';
import {
  parseCniError,
  parseCniResult,
  podWiringOf,
} from '../../../src/platform/lab/cni/cni-result.js';

const layout = planLayout('test0', 1, {
  datapath: 'vxlan',
  nodes: [{ name: 'node1' }, { name: 'node2' }],
  pods: [
    { name: 'client', node: 'node1' },
    { name: 'server', node: 'node2' },
  ],
});
const node2 = layout.nodes[1]!;

describe('CNI network configuration', () => {
  it('chains bridge with host-local IPAM on the node pod CIDR, then loopback', () => {
    const net = cniNetworkFor({ main: 'bridge', node: node2, mtu: 1450, ipamDataDir: '/run/x' });
    expect(net.plugins.map((p) => p.type)).toEqual(['bridge', 'loopback']);
    expect(net.plugins[0]).toMatchObject({
      bridge: 'cni0',
      isDefaultGateway: true,
      mtu: 1450,
      ipam: {
        type: 'host-local',
        dataDir: '/run/x',
        ranges: [[{ subnet: '10.244.2.0/24', rangeStart: '10.244.2.2', gateway: '10.244.2.1' }]],
      },
    });
  });

  it('puts the bandwidth plugin between the main plugin and loopback when pods are limited', () => {
    const net = cniNetworkFor({
      main: 'ptp',
      node: node2,
      mtu: 1500,
      ipamDataDir: '/run/x',
      bandwidthBps: 100e6,
    });
    expect(net.plugins.map((p) => p.type)).toEqual(['ptp', 'bandwidth', 'loopback']);
    expect(net.plugins[1]).toEqual({
      type: 'bandwidth',
      ingressRate: 100e6,
      ingressBurst: bandwidthBurstBits(100e6),
      egressRate: 100e6,
      egressBurst: bandwidthBurstBits(100e6),
    });
  });

  it('gives the token bucket 10 ms at the rate, and never less than 1 Mibit', () => {
    expect(bandwidthBurstBits(1e9)).toBe(1e7);
    expect(bandwidthBurstBits(10e6)).toBe(1024 * 1024);
  });

  it('lists the IPAM plugin among the binaries a network needs', () => {
    const net = cniNetworkFor({ main: 'bridge', node: node2, mtu: 1500, ipamDataDir: '/d' });
    expect(pluginBinaries(net)).toEqual(['bridge', 'host-local', 'loopback']);
  });
});

describe('CNI plugin output', () => {
  const captured = readFileSync(
    new URL('../../fixtures/lab/cni-bridge-bandwidth-result.json', import.meta.url),
    'utf8',
  );

  it('finds the pod address and the host veth in a real bridge+bandwidth result, not the ifb', () => {
    const result = parseCniResult(captured);
    expect(result).toBeDefined();
    expect(podWiringOf(result!)).toEqual({
      ip: '10.244.1.10',
      prefixLength: 24,
      hostInterface: 'veth544cc36b',
    });
  });

  it('reads the error object a plugin prints on failure', () => {
    expect(parseCniError('{\n    "code": 7,\n    "msg": "missing network name"\n}')).toMatchObject({
      code: 7,
      msg: 'missing network name',
    });
    expect(parseCniError('not json')).toBeUndefined();
    expect(parseCniResult('{"code": 7, "msg": "x"}')).toBeUndefined();
  });
});
