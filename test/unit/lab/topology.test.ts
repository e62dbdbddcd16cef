import { describe, expect, it } from 'vitest';
import { topologyFor, topologyKey } from '../../../src/matrix/topology.js';
import { defaultDimensions, dimensions } from '../../../src/spec/dimensions.js';
import { createLabPlatform } from '../../../src/platform/lab/lab-platform.js';
import { createProcessRunner } from '../../../src/core/process-runner.js';
import { silentLogger } from '../../../src/core/logger.js';
import { planLayout, layoutNamespaces } from '../../../src/platform/lab/addressing.js';

const d = defaultDimensions();
const lab = (bpfUnavailable?: string) =>
  createLabPlatform({
    runner: createProcessRunner(),
    logger: silentLogger,
    runId: 'test0',
    purpose: 'test',
    capabilities: { bpfUnavailable },
  });

describe('topologies of the datapath dimensions', () => {
  it('puts two server replicas behind a Service on the client node for via-service', () => {
    const t = topologyFor({
      ...d,
      placement: 'via-service',
      services: 1000,
      kubeProxy: 'nftables',
    });
    expect(t.nodes).toEqual([{ name: 'node1' }]);
    expect(t.pods).toContainEqual({ name: 'server2', node: 'node1', replicaOf: 'server' });
    expect(t.services).toEqual({
      proxyMode: 'nftables',
      unrelated: 1000,
      target: {
        name: 'server',
        ports: [{ port: 80, targetPort: 8080 }],
        endpoints: ['server', 'server2'],
      },
    });
  });

  it('programs Services without a target when only the count asks for them', () => {
    const t = topologyFor({ ...d, placement: 'cross-node', services: 10 });
    expect(t.services).toEqual({ proxyMode: 'iptables', unrelated: 10 });
  });

  it('lets trials without Services share an environment whatever their kube-proxy mode', () => {
    expect(topologyKey(topologyFor({ ...d, kubeProxy: 'nftables' }))).toBe(
      topologyKey(topologyFor({ ...d, kubeProxy: 'iptables' })),
    );
  });

  it('parses human counts and bit rates in the new dimensions', () => {
    expect(dimensions.services.schema.parse('10k')).toBe(10_000);
    expect(dimensions.services.schema.safeParse(-1).success).toBe(false);
    expect(dimensions.bandwidth.schema.parse('100Mbit')).toBe(100e6);
    expect(dimensions.bandwidth.schema.parse('unlimited')).toBe('unlimited');
  });

  it('places host-network pods in their node namespace at the node address', () => {
    const layout = planLayout(
      'test0',
      1,
      topologyFor({ ...d, datapath: 'host', placement: 'cross-node' }),
    );
    expect(layout.pods.map((p) => [p.name, p.ns, p.ip])).toEqual([
      ['client', 'nb-test0-e1-node1', '172.31.0.1'],
      ['server', 'nb-test0-e1-node2', '172.31.0.2'],
    ]);
    expect(layoutNamespaces(layout)).toEqual(['nb-test0-e1-node1', 'nb-test0-e1-node2']);
  });
});

describe('what the lab refuses to build, before building anything', () => {
  it('refuses the ebpf datapath with the probed reason where BPF cannot load (rootless)', () => {
    const why = lab('this lab runs in a user namespace (rootless)').unsupported(
      topologyFor({ ...d, datapath: 'ebpf' }),
    );
    expect(why).toContain('the ebpf datapath cannot run here: this lab runs in a user namespace');
  });

  it('refuses kube-proxy NAT in front of the ebpf datapath, and eBPF Services without it', () => {
    expect(
      lab().unsupported(topologyFor({ ...d, datapath: 'ebpf', placement: 'via-service' })),
    ).toContain('use kubeProxy ebpf');
    expect(
      lab().unsupported(topologyFor({ ...d, placement: 'via-service', kubeProxy: 'ebpf' })),
    ).toContain('use datapath ebpf');
    expect(
      lab().unsupported(
        topologyFor({ ...d, datapath: 'ebpf', placement: 'via-service', kubeProxy: 'ebpf' }),
      ),
    ).toBeUndefined();
  });

  it('refuses a bandwidth limit on the ebpf datapath, whose programs own the tc hooks', () => {
    expect(lab().unsupported(topologyFor({ ...d, datapath: 'ebpf', bandwidth: 1e8 }))).toContain(
      'use bandwidth unlimited',
    );
  });

  it('refuses a bandwidth limit and Service replicas on host network', () => {
    expect(lab().unsupported(topologyFor({ ...d, datapath: 'host', bandwidth: 1e8 }))).toContain(
      'no bandwidth plugin',
    );
    expect(
      lab().unsupported(topologyFor({ ...d, datapath: 'host', placement: 'via-service' })),
    ).toContain('needs a pod datapath');
  });
});
