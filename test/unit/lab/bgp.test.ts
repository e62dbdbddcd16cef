import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planLayout } from '../../../src/platform/lab/addressing.js';
import {
  birdConfig,
  labAsn,
  parseBirdProtocols,
} from '../../../src/platform/lab/bgp/bird-config.js';

const layout = planLayout('test0', 1, {
  datapath: 'routed-bgp',
  nodes: [{ name: 'node1' }, { name: 'node2' }],
  pods: [],
});

describe('BIRD configuration of the routed-bgp datapath', () => {
  const conf = birdConfig({
    node: layout.nodes[0]!,
    peers: [layout.nodes[1]!],
    podInterface: 'cni0',
    logFile: '/run/netbench/test0/e1/bgp/node1.log',
  });

  it('peers every node over iBGP in AS 64512 from its underlay address', () => {
    expect(labAsn).toBe(64512);
    expect(conf).toContain('router id 172.31.0.1;');
    expect(conf).toContain('protocol bgp peer_node2 {');
    expect(conf).toContain('local 172.31.0.1 as 64512;');
    expect(conf).toContain('neighbor 172.31.0.2 as 64512;');
  });

  it('resolves next hops directly and retries after 1 s (routes would be unreachable, convergence slow)', () => {
    expect(conf).toMatch(/^\s+direct;$/m);
    expect(conf).toMatch(/^\s+connect delay time 1;$/m);
  });

  it('exports the pod CIDR of the pod interface and installs only BGP routes in the kernel', () => {
    expect(conf).toContain('protocol direct pods { ipv4; interface "cni0"; }');
    expect(conf).toContain('export where source = RTS_BGP;');
    expect(conf).toContain('export where source = RTS_DEVICE;');
  });

  it('reads session states from real `birdc show protocols all` output', () => {
    const captured = readFileSync(
      new URL('../../fixtures/lab/birdc-show-protocols-all.txt', import.meta.url),
      'utf8',
    );
    expect(parseBirdProtocols(captured)).toEqual([
      { protocol: 'peer_node2', state: 'up', bgpState: 'Established' },
    ]);
  });

  it('reports a session that is still connecting by its BGP state', () => {
    const out = [
      'Name       Proto      Table      State  Since         Info',
      'peer_node2 BGP        ---        start  2026-11-21 12:56:25  Active        Socket: Connection refused',
      '  BGP state:          Active',
      '    Neighbor address: 172.31.0.2',
    ].join('\n');
    expect(parseBirdProtocols(out)).toEqual([
      { protocol: 'peer_node2', state: 'start', bgpState: 'Active' },
    ]);
  });
});
