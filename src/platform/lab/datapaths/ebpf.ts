import type { EbpfFacts } from '../../../results/facts.js';
import { NetbenchError } from '../../../core/errors.js';
import type { LabLayout, LabNode } from '../addressing.js';
import { endpointUpdate, type MapUpdate } from '../ebpf/bpf-maps.js';
import {
  attachIngress,
  bpfNodeDir,
  bpffsMountpoint,
  ensureBpffs,
  hostEndianness,
  loadPrograms,
  readCounters,
  removePins,
  updateMap,
} from '../ebpf/bpf-loader.js';
import { bpfObjectPath } from '../ebpf/bpf-support.js';
import type { LabShell } from '../lab-shell.js';
import { peerRoutes, type DatapathContext, type LabDatapath } from './datapath.js';

/**
 * Cilium's model: pods get a veth each (the CNI ptp plugin, no bridge), and tc programs on the
 * host side of every pod veth and on the node's underlay device forward pod traffic themselves:
 * bpf_redirect_peer() into a pod of the same node found in an endpoint map, bpf_redirect_neigh()
 * towards another node after a FIB lookup (native routing, as Cilium's
 * routingMode=native with autoDirectNodeRoutes: the routes to peers' pod CIDRs are static).
 */
export const ebpfDatapath: LabDatapath = {
  models:
    'Cilium with native routing and BPF host routing: tc programs on pod veths, endpoint map, bpf_redirect_peer / bpf_redirect_neigh',
  leavesOut:
    "cilium-agent and its identity-based policy, connection tracking for all traffic (only load-balanced connections are tracked), tunnelling, XDP, Hubble; programs are netbench's own (bpf/datapath.bpf.c), far smaller than Cilium's",
  encapsulation: 'none',
  podNetwork: 'ptp',
  podMtu: (underlayMtu) => underlayMtu,
  unsupported(topology, capabilities) {
    if (capabilities.bpfUnavailable !== undefined) {
      return `the ebpf datapath cannot run here: ${capabilities.bpfUnavailable}`;
    }
    if (topology.policy !== undefined) {
      // The programs redirect pod traffic past the node's netfilter hooks, where the lab's
      // iptables/nftables enforcers filter; Cilium enforces policy in its own BPF programs.
      return 'the ebpf datapath forwards pod traffic past netfilter, where the lab enforces NetworkPolicy: use policy off with ebpf, or another datapath with a policy';
    }
    if (topology.podBandwidthBps !== undefined) {
      // The bandwidth plugin shapes pod egress with an ingress qdisc on the host veth, the hook
      // these programs own (and bpf_redirect_peer skips the host veth's tbf anyway); Cilium has
      // its own BPF bandwidth manager instead.
      return 'the ebpf datapath owns the tc hooks the CNI bandwidth plugin needs: use bandwidth unlimited';
    }
    const mode = topology.services?.proxyMode;
    if (topology.services?.target !== undefined && mode !== 'ebpf') {
      return `the ebpf datapath forwards pod replies past netfilter, so kube-proxy's ${mode ?? 'iptables'} NAT never sees them: use kubeProxy ebpf with placement via-service (Cilium replaces kube-proxy too)`;
    }
    return undefined;
  },
  async connect(ctx) {
    const started = ctx.clock.monotonicMs();
    const object = bpfObjectPath();
    const mountpoint = bpffsMountpoint(ctx.runStateDir);
    const dirs = ctx.layout.nodes.map((n) =>
      bpfNodeDir(ctx.runStateDir, ctx.layout.environment, n.name),
    );
    const teardown = async (): Promise<void> => {
      for (const d of dirs) await removePins(d).catch(() => undefined);
    };
    try {
      for (const node of ctx.layout.nodes)
        await ctx.shell.ipBatch(node.ns, peerRoutes(ctx.layout, node));
      await ensureBpffs(ctx.shell.runner, mountpoint);
      const attachments: EbpfFacts['attachments'] = [];
      let endpoints = 0;
      for (const [i, node] of ctx.layout.nodes.entries()) {
        const dir = dirs[i]!;
        await loadPrograms(ctx.shell.runner, object, dir);
        const updates: MapUpdate[] = [];
        for (const pod of ctx.layout.pods.filter((p) => p.node === node)) {
          const host = await linkOf(ctx.shell, node.ns, pod.hostVeth);
          const inPod = await linkOf(ctx.shell, pod.ns, 'eth0');
          updates.push(
            endpointUpdate(
              {
                podIp: pod.ip,
                ifindex: host.ifindex,
                podMac: inPod.address,
                nodeMac: host.address,
              },
              hostEndianness === 'LE' ? 'LE' : 'BE',
            ),
          );
        }
        await updateMap(ctx.shell.runner, `${dir}/maps/endpoints`, updates);
        endpoints += updates.length;
        const onNode = [
          ...ctx.layout.pods
            .filter((p) => p.node === node)
            .map((p) => ({ device: p.hostVeth, program: `${dir}/from_pod` })),
          ...(ctx.layout.nodes.length > 1
            ? [{ device: 'eth0', program: `${dir}/from_netdev` }]
            : []),
        ];
        await attachIngress(ctx.shell, node.ns, onNode);
        for (const a of onNode) {
          attachments.push({
            node: node.name,
            device: a.device,
            program: a.program.split('/').pop()!,
          });
        }
      }
      const loadMs = ctx.clock.monotonicMs() - started;
      const probe = await probePath(ctx, dirs);
      return { facts: { ebpf: { object, attachments, endpoints, probe, loadMs } }, teardown };
    } catch (error) {
      await teardown();
      throw error;
    }
  },
};

async function linkOf(
  shell: LabShell,
  ns: string,
  device: string,
): Promise<{ ifindex: number; address: string }> {
  const out = await shell.ip(ns, ['-j', 'link', 'show', 'dev', device]);
  const [link] = JSON.parse(out.stdout) as { ifindex: number; address: string }[];
  if (link === undefined) throw new Error(`no device ${device} in ${ns}`);
  return link;
}

/**
 * Sends one ping from the first pod to the last and reads the counters: the programs must have
 * redirected it, or the kernel's own routing (which would also deliver it) did the work and the
 * model is not what it claims.
 */
async function probePath(
  ctx: DatapathContext,
  dirs: readonly string[],
): Promise<EbpfFacts['probe']> {
  const from = ctx.layout.pods[0];
  const to = ctx.layout.pods.at(-1);
  const total = { redirectPeer: 0, redirectNeigh: 0, passedToStack: 0 };
  if (from === undefined || to === undefined || from === to) return total;
  await ctx.shell.exec(from.ns, ['ping', '-c', '1', '-W', '2', to.ip], { timeoutMs: 10_000 });
  for (const dir of dirs) {
    const c = await readCounters(ctx.shell.runner, dir);
    total.redirectPeer += c.redirectPeer;
    total.redirectNeigh += c.redirectNeigh;
    total.passedToStack += c.passedToStack;
  }
  const crossNode = from.node !== to.node;
  if (total.redirectPeer === 0 || (crossNode && total.redirectNeigh === 0)) {
    throw new NetbenchError(
      'NB_LAB_BPF_FAILED',
      `a ping from ${from.name} to ${to.name} was not forwarded by the eBPF programs (counters: ${JSON.stringify(total)})`,
      {
        hint: 'the kernel routed it instead; check the endpoint map with `bpftool map dump pinned …/maps/endpoints`',
      },
    );
  }
  return total;
}

/** Exported for the services feature, which fills the same maps in kube-proxy mode ebpf. */
export function ebpfMapDir(runStateDir: string, layout: LabLayout, node: LabNode): string {
  return `${bpfNodeDir(runStateDir, layout.environment, node.name)}/maps`;
}
