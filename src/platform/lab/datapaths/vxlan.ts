import type { LabDatapath } from './datapath.js';

/**
 * Bytes VXLAN adds to every packet on the underlay: outer IPv4 (20) + UDP (8) + VXLAN (8) +
 * inner Ethernet (14). Pods (their veths, the bridge) and the VTEP get the underlay MTU minus
 * this, as flanneld writes into its subnet.env, so a full-size pod packet still fits the wire.
 */
export const vxlanHeaderOverheadBytes = 50;

/**
 * Flannel's VXLAN backend: each node has a `flannel.1` VTEP holding the .0 address of its pod
 * CIDR; a route to each peer's pod CIDR points at the peer's VTEP address (onlink), a permanent
 * neighbour entry maps it to the peer VTEP's MAC, and an FDB entry maps that MAC to the peer's
 * underlay IP. No learning, no multicast.
 */
export const vxlanDatapath: LabDatapath = {
  models: 'Flannel with the VXLAN backend (overlay)',
  leavesOut:
    'flanneld itself: the lab writes the routes, neighbour and FDB entries flanneld would learn from the Kubernetes API; no NetworkPolicy enforcement (Flannel has none)',
  encapsulation: 'vxlan',
  podNetwork: 'bridge',
  podMtu: (underlayMtu) => underlayMtu - vxlanHeaderOverheadBytes,
  unsupported: () => undefined,
  async connect({ shell, layout, underlayMtu }) {
    const vtepMac = (index: number): string =>
      `0a:58:0a:f4:${index.toString(16).padStart(2, '0')}:00`;
    const mtu = underlayMtu - vxlanHeaderOverheadBytes;
    // One node has no underlay and no peer: its pods meet on the bridge, as on a one-node
    // Flannel cluster (whose VTEP would carry nothing).
    if (layout.nodes.length < 2) return {};
    for (const node of layout.nodes) {
      await shell.ipBatch(node.ns, [
        `link add flannel.1 address ${vtepMac(node.index)} type vxlan id 1 local ${node.underlayIp} dev eth0 dstport 8472 nolearning`,
        `link set flannel.1 mtu ${mtu} up`,
        `address add 10.244.${node.index}.0/32 dev flannel.1`,
      ]);
    }
    for (const node of layout.nodes) {
      const lines: string[] = [];
      for (const peer of layout.nodes) {
        if (peer === node) continue;
        lines.push(
          `neighbor add 10.244.${peer.index}.0 lladdr ${vtepMac(peer.index)} dev flannel.1 nud permanent`,
          `route add ${peer.podCidr} via 10.244.${peer.index}.0 dev flannel.1 onlink proto static`,
        );
      }
      await shell.ipBatch(node.ns, lines);
      for (const peer of layout.nodes) {
        if (peer === node) continue;
        await shell.runner.run({
          argv: [
            'bridge',
            '-n',
            node.ns,
            'fdb',
            'append',
            vtepMac(peer.index),
            'dev',
            'flannel.1',
            'dst',
            peer.underlayIp,
          ],
        });
      }
    }
    return {};
  },
};
