/**
 * NetworkPolicy enforcement in the lab, as CNIs do it: the policy set of the TopologySpec is
 * compiled against the pods' real addresses (selectors → pod IPs, named ports → numbers) and
 * loaded as filtering rules in each node's network namespace, for the pods that live there.
 * br_netfilter hands bridged pod-to-pod frames to the node's IPv4 FORWARD hook, so same-node
 * and cross-node traffic cross the same rules. A pod talking to itself stays in its namespace
 * and is never filtered, matching "a pod cannot block access to itself".
 */
import type { TopologySpec } from '../../../../topology/topology-spec.js';
import type { PolicyFacts } from '../../../../results/facts.js';
import { systemClock } from '../../../../core/clock.js';
import { NetbenchError } from '../../../../core/errors.js';
import { compilePolicySet } from '../../../../policy/compile.js';
import type { LabFeature, LabFeatureContext } from '../feature.js';
import { labPolicyEnforcers } from './index.js';

export const policyFeature: LabFeature = {
  name: 'policy',
  applies: (topology: TopologySpec) => topology.policy !== undefined,
  unsupported(topology: TopologySpec) {
    const spec = topology.policy;
    if (spec === undefined) return undefined;
    if (!(spec.enforcer in labPolicyEnforcers)) {
      return `policy enforcer "${String(spec.enforcer)}" does not exist in the lab (iptables, nftables; eBPF waits for the eBPF datapath)`;
    }
    if (topology.mesh !== undefined) {
      // Mesh proxies change the addresses and ports policies see (node proxies send from the
      // node, waypoints from their own pod); how each mesh composes with policy is not modelled.
      return 'NetworkPolicy enforcement together with a service mesh is not modelled in the lab yet: use policy: off with a mesh, or mesh: none with a policy';
    }
    const missing = spec.pods.filter((p) => !topology.pods.some((q) => q.name === p.pod));
    if (missing.length > 0) {
      return `the policy set binds pods ${missing.map((p) => p.pod).join(', ')} that the topology does not have`;
    }
    return undefined;
  },
  async apply(ctx: LabFeatureContext) {
    const spec = ctx.topology.policy;
    if (spec === undefined) return {};
    const enforcer = labPolicyEnforcers[spec.enforcer];
    const addresses = Object.fromEntries(ctx.layout.pods.map((p) => [p.name, p.ip]));
    const compiled = compilePolicySet(spec, addresses);
    const version = await ctx.shell.runner.run({ argv: enforcer.versionArgv, timeoutMs: 10_000 });
    const perNode: PolicyFacts['perNode'] = [];
    for (const node of ctx.layout.nodes) {
      ctx.signal?.throwIfAborted();
      const local = new Set(ctx.layout.pods.filter((p) => p.node === node).map((p) => p.name));
      const endpoints = compiled.endpoints.filter((e) => local.has(e.pod));
      // Bridged frames must reach the IPv4 hooks; the key is per network namespace.
      await ctx.shell.sysctl(node.ns, { 'net.bridge.bridge-nf-call-iptables': 1 });
      const rendered = enforcer.render(endpoints, ctx.layout.runId);
      const started = systemClock.monotonicMs();
      const result = await ctx.shell.exec(node.ns, enforcer.loadArgv, {
        input: rendered.text,
        timeoutMs: 600_000,
        allowFailure: true,
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      });
      const programmingMs = systemClock.monotonicMs() - started;
      if (result.exitCode !== 0) {
        throw new NetbenchError(
          'NB_POLICY_PROGRAM_FAILED',
          `${enforcer.loadArgv.join(' ')} failed on ${node.name}: ${result.stderr.trim().split('\n').slice(0, 3).join(' | ') || `exit ${result.exitCode}`}`,
          {
            hint: `the ${spec.enforcer} enforcer needs ${enforcer.loadArgv[0]} and the kernel's netfilter modules; run scripts/bootstrap.sh as root`,
          },
        );
      }
      perNode.push({ node: node.name, programmedRules: rendered.rules, programmingMs });
    }
    const facts: PolicyFacts = {
      enforcer: spec.enforcer,
      label: spec.label,
      policies: spec.policies.length,
      allowEntries: compiled.entries,
      programmedRules: perNode.reduce((n, x) => n + x.programmedRules, 0),
      programmingMs: perNode.reduce((n, x) => n + x.programmingMs, 0),
      perNode,
      tool: (version.stdout || version.stderr).trim().split('\n')[0] ?? '',
      conntrackFastPath: true,
      notes: compiled.notes,
    };
    return { policy: facts };
  },
};
