/**
 * BIRD 2 configuration for one lab node, pure: the Calico model's BGP control plane. Every node
 * runs one daemon in its namespace, peers with every other node over iBGP (the node-to-node
 * mesh, AS 64512 as Calico's default), exports its own pod CIDR (read from the `cni0` connected
 * route, as Calico's BIRD exports its IPAM blocks) and installs what it learns into the kernel,
 * where the routes show as `proto bird`.
 */
import type { LabNode } from '../addressing.js';

/** Calico's default AS number. */
export const labAsn = 64512;

/** BIRD protocol name of the session towards `peer`. */
export function bgpProtocolName(peer: LabNode): string {
  return `peer_${peer.name}`;
}

export interface BirdConfigOptions {
  node: LabNode;
  peers: readonly LabNode[];
  /** Interface whose connected route is the node's pod CIDR. */
  podInterface: string;
  logFile: string;
}

export function birdConfig(o: BirdConfigOptions): string {
  const lines = [
    `# netbench lab: BIRD for ${o.node.name} (iBGP node-to-node mesh, AS ${labAsn})`,
    `router id ${o.node.underlayIp};`,
    `log "${o.logFile}" all;`,
    'timeformat protocol iso long;',
    '',
    'protocol device { scan time 10; }',
    '',
    '# The pod CIDR, as the connected route of the pod interface.',
    `protocol direct pods { ipv4; interface "${o.podInterface}"; }`,
    '',
    '# Learned routes go to the kernel (proto bird); nothing is imported from it.',
    'protocol kernel {',
    '  ipv4 { import none; export where source = RTS_BGP; };',
    '}',
  ];
  for (const peer of o.peers) {
    lines.push(
      '',
      `protocol bgp ${bgpProtocolName(peer)} {`,
      `  local ${o.node.underlayIp} as ${labAsn};`,
      `  neighbor ${peer.underlayIp} as ${labAsn};`,
      // The peer shares the underlay subnet: resolve its next hop directly. Without this, iBGP
      // resolves next hops recursively through an IGP table the lab does not have, and the
      // routes are installed as unreachable.
      '  direct;',
      // Retry a refused connection after 1 s instead of the default 5 s: convergence in about
      // 1.5 s instead of 6.7 s when both daemons start together (measured, LAB-FACTS.md).
      '  connect delay time 1;',
      '  ipv4 { import all; export where source = RTS_DEVICE; };',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A BGP session as `birdc show protocols all` reports it. */
export interface BirdSession {
  protocol: string;
  /** BIRD's protocol state: up, start, down. */
  state: string;
  /** The BGP FSM state: Idle, Connect, Active, OpenSent, OpenConfirm, Established. */
  bgpState: string;
}

/** Parses the BGP sessions out of `birdc show protocols all` output. */
export function parseBirdProtocols(output: string): BirdSession[] {
  const sessions: BirdSession[] = [];
  let current: BirdSession | undefined;
  for (const line of output.split('\n')) {
    const head = /^(\S+)\s+BGP\s+\S+\s+(\S+)/.exec(line);
    if (head !== null) {
      current = { protocol: head[1]!, state: head[2]!, bgpState: 'unknown' };
      sessions.push(current);
      continue;
    }
    if (/^\S/.test(line)) {
      current = undefined;
      continue;
    }
    const state = /^\s+BGP state:\s+(\S+)/.exec(line);
    if (state !== null && current !== undefined) current.bgpState = state[1]!;
  }
  return sessions;
}
