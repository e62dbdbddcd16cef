/**
 * ClusterIP Services as a lab feature: the rules kube-proxy would program on every node, in the
 * trial's kube-proxy mode, batch-loaded in one transaction per node (iptables-restore, nft -f,
 * bpftool batch) and timed; then read back from the kernel and counted.
 */
import type { TopologySpec } from '../../../../topology/topology-spec.js';
import type { ServiceNodeFact, ServicesFacts } from '../../../../results/facts.js';
import { NetbenchError } from '../../../../core/errors.js';
import type { LabNode } from '../../addressing.js';
import { ebpfMapDir } from '../../datapaths/ebpf.js';
import { serviceUpdates } from '../../ebpf/bpf-maps.js';
import { hostEndianness, updateMap } from '../../ebpf/bpf-loader.js';
import type { LabFeature, LabFeatureContext } from '../feature.js';
import { countIptablesRules, renderIptablesRestore } from './iptables-rules.js';
import { countNftObjects, nftTable, renderNftScript } from './nftables-rules.js';
import {
  planServices,
  targetClusterIp,
  unrelatedEndpoints,
  type PlannedService,
} from './service-plan.js';

/** max_entries of the `services` map in bpf/datapath.bpf.c. */
const serviceMapEntries = 131_072;

export const servicesFeature: LabFeature = {
  name: 'services',
  applies: (topology) => topology.services !== undefined,
  unsupported(topology: TopologySpec) {
    const mode = topology.services?.proxyMode;
    if (topology.services?.target !== undefined && topology.mesh !== undefined) {
      // The mesh models route to pod addresses; a ClusterIP in front of sidecars is not modelled.
      return 'placement via-service with a mesh is not modelled yet: use mesh none, or placement same-node/cross-node';
    }
    if (topology.services?.target !== undefined && topology.policy !== undefined) {
      // The replica is not among the pods the policy set binds, so it would be left open.
      return 'placement via-service with a NetworkPolicy is not modelled yet: use policy off, or placement same-node/cross-node';
    }
    if (mode === 'ebpf' && topology.datapath !== 'ebpf') {
      return `kubeProxy ebpf programs Services into the ebpf datapath's maps, but this trial's datapath is ${topology.datapath}: use datapath ebpf, or kubeProxy iptables or nftables`;
    }
    const entries = ((topology.services?.unrelated ?? 0) + 1) * (1 + unrelatedEndpoints);
    if (mode === 'ebpf' && entries > serviceMapEntries) {
      return `kubeProxy ebpf holds at most ${serviceMapEntries} service map entries (${Math.floor(serviceMapEntries / (1 + unrelatedEndpoints)) - 1} unrelated services); this trial needs ${entries}`;
    }
    return undefined;
  },
  async apply(ctx) {
    const spec = ctx.topology.services!;
    const podIp = (name: string): string => {
      const pod = ctx.layout.pods.find((p) => p.name === name);
      if (pod === undefined) throw new Error(`Service endpoint ${name} is not a pod of this lab`);
      return pod.ip;
    };
    const services = planServices(spec, podIp);
    if (spec.target !== undefined && ctx.topology.datapath !== 'ebpf') {
      await bridgedTrafficThroughNetfilter(ctx);
    }
    const nodes: ServiceNodeFact[] = [];
    let backend = '';
    for (const node of ctx.layout.nodes) {
      ctx.signal?.throwIfAborted();
      const programmed = await programNode(ctx, node, services);
      nodes.push(programmed.fact);
      backend = programmed.backend;
    }
    const facts: ServicesFacts = {
      proxyMode: spec.proxyMode,
      backend,
      services: services.length,
      endpoints: services.reduce((a, s) => a + s.endpoints.length, 0),
      ...(spec.target === undefined
        ? {}
        : {
            target: {
              name: `default/${spec.target.name}`,
              clusterIp: targetClusterIp,
              ports: spec.target.ports,
              endpoints: spec.target.endpoints,
            },
          }),
      nodes,
    };
    return { services: facts };
  },
};

/**
 * A reply from a Service endpoint to a client on the same bridge is bridged, not routed: only
 * with br_netfilter does it cross conntrack and get its source translated back to the ClusterIP,
 * which is why Kubernetes requires net.bridge.bridge-nf-call-iptables=1.
 */
async function bridgedTrafficThroughNetfilter(ctx: LabFeatureContext): Promise<void> {
  for (const node of ctx.layout.nodes) {
    const out = await ctx.shell.exec(
      node.ns,
      ['sysctl', '-q', '-w', 'net.bridge.bridge-nf-call-iptables=1'],
      { allowFailure: true, timeoutMs: 10_000 },
    );
    if (out.exitCode !== 0) {
      throw new NetbenchError(
        'NB_LAB_SETUP_FAILED',
        `cannot make bridged traffic cross netfilter on ${node.name}: ${out.stderr.trim()}`,
        {
          hint: 'load the br_netfilter module (modprobe br_netfilter): Services on a bridge need it, as in Kubernetes',
        },
      );
    }
  }
}

async function programNode(
  ctx: LabFeatureContext,
  node: LabNode,
  services: readonly PlannedService[],
): Promise<{ fact: ServiceNodeFact; backend: string }> {
  const mode = ctx.topology.services!.proxyMode;
  const run = (argv: string[], input?: string): ReturnType<typeof ctx.shell.exec> =>
    ctx.shell.exec(node.ns, argv, {
      ...(input === undefined ? {} : { input }),
      // 10 000 Services are 80 000 iptables rules: minutes on a small machine (nf_tables backend).
      timeoutMs: 1_800_000,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
  switch (mode) {
    case 'iptables':
    case 'iptables-legacy': {
      // Same rules, same tools; only the backend differs (iptables-legacy-* talk xtables).
      const tool = mode === 'iptables' ? 'iptables' : 'iptables-legacy';
      const input = renderIptablesRestore(services);
      const started = ctx.clock.monotonicMs();
      await run([`${tool}-restore`, '--noflush', '-w'], input);
      const programmingMs = ctx.clock.monotonicMs() - started;
      const nat = await run([`${tool}-save`, '-t', 'nat']);
      const filter = await run([`${tool}-save`, '-t', 'filter']);
      const counted = countIptablesRules(`${nat.stdout}\n${filter.stdout}`);
      const version = await run([tool, '-V']);
      return {
        fact: { node: node.name, programmingMs, ...counted, mapElements: 0 },
        backend: version.stdout.trim(),
      };
    }
    case 'nftables': {
      const script = renderNftScript(services);
      const started = ctx.clock.monotonicMs();
      await run(['nft', '-f', '-'], script);
      const programmingMs = ctx.clock.monotonicMs() - started;
      const listed = await run(['nft', '-j', 'list', 'table', 'ip', nftTable]);
      const version = await run(['nft', '-v']);
      return {
        fact: { node: node.name, programmingMs, ...countNftObjects(listed.stdout) },
        backend: version.stdout.trim(),
      };
    }
    case 'ebpf': {
      const endianness = hostEndianness === 'LE' ? 'LE' : 'BE';
      const updates = services.flatMap((s) =>
        serviceUpdates(
          {
            address: s.clusterIp,
            port: s.port,
            protocol: s.protocol,
            backends: s.endpoints.map((e) => ({ address: e.ip, port: e.port })),
          },
          endianness,
        ),
      );
      const started = ctx.clock.monotonicMs();
      await updateMap(
        ctx.shell.runner,
        `${ebpfMapDir(ctx.stateDir, ctx.layout, node)}/services`,
        updates,
      );
      const programmingMs = ctx.clock.monotonicMs() - started;
      const version = await ctx.shell.runner.run({ argv: ['bpftool', 'version'], timeoutMs: 5000 });
      return {
        fact: { node: node.name, programmingMs, rules: 0, chains: 0, mapElements: updates.length },
        backend: `${version.stdout.trim().split('\n')[0] ?? 'bpftool'}: hash map read by netbench's tc programs`,
      };
    }
  }
}
