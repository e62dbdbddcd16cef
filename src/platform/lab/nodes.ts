/**
 * Nodes: their namespaces' loopback and forwarding, and the underlay between two nodes (a veth
 * pair `eth0` ↔ `eth0`, the lab's "physical" network). Pod-facing devices are the CNI plugins'
 * business (pod-wiring.ts), the links between nodes the datapath's.
 */
import { underlayPrefixLength, type LabLayout } from './addressing.js';
import type { LabShell } from './lab-shell.js';
import { linkAlias } from './names.js';

export async function buildNodes(
  shell: LabShell,
  layout: LabLayout,
  underlayMtu: number,
): Promise<void> {
  const alias = linkAlias(layout.runId);
  const hostNetwork = layout.pods.some((p) => p.hostNetwork);
  for (const node of layout.nodes) {
    const lines = ['link set lo up'];
    // A lone node has no underlay; host-network pods still need the node's address to talk to,
    // and the kernel delivers local addresses over lo whichever device holds them.
    if (hostNetwork && layout.nodes.length === 1)
      lines.push(`address add ${node.underlayIp}/32 dev lo`);
    await shell.ipBatch(node.ns, lines);
    await shell.sysctl(node.ns, { 'net.ipv4.ip_forward': 1 });
  }
  const [first, second] = layout.nodes;
  if (first !== undefined && second !== undefined) {
    await shell.ipBatch(first.ns, [
      `link add eth0 mtu ${underlayMtu} type veth peer name eth0 mtu ${underlayMtu} netns ${second.ns}`,
      `link set eth0 alias ${alias}`,
      `address add ${first.underlayIp}/${underlayPrefixLength} dev eth0`,
      'link set eth0 up',
    ]);
    await shell.ipBatch(second.ns, [
      `link set eth0 alias ${alias}`,
      `address add ${second.underlayIp}/${underlayPrefixLength} dev eth0`,
      'link set eth0 up',
    ]);
  }
}
