/**
 * `policy verify`, the effects: build the model's pods in the lab with the policies enforced,
 * start a probe server in every destination pod, probe every pair and port from every source
 * pod (TCP connect, UDP request/response, SCTP one-way INIT), and compare what got through
 * with what the evaluator expects. A probe that should have passed but did not is retried
 * (packets can be lost on a busy machine); a probe that passed when it should not have is a
 * definite mismatch.
 */
import type { TopologySpec } from '../topology/topology-spec.js';
import type { EnvironmentFacts } from '../results/facts.js';
import { NetbenchError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RunningProcess } from '../core/process-runner.js';
import type { Milliseconds } from '../core/units.js';
import type { Environment, Platform } from '../platform/platform.js';
import type { PolicyEnforcerName, DatapathName } from '../spec/dimensions.js';
import type { PolicyAgentConfig, PolicyProbeRequest } from '../agent/agent-protocol.js';
import { watchAgent, type AgentWatch } from '../agent/agent-process.js';
import { createEvaluator, type Probe, type Verdict } from '../policy/evaluate.js';
import { parseIp } from '../policy/ip.js';
import type { ClusterModel, ModelPod } from '../policy/model.js';
import type { NetworkPolicy } from '../policy/network-policy.js';
import type { PolicySetSpec } from '../policy/policy-set.js';
import type { ProbeOutcome } from '../policy/probe/probe-client.js';
import { planProbes, type ProbeSelection } from '../policy/probes.js';
import { labNodeNames, placeModelInLab, type LabPlacement } from './placement.js';
import { policyCounterDelta } from '../platform/policy-counters.js';
import type { PolicyCounters } from '../results/schema.js';

export interface VerifyOptions {
  model: ClusterModel;
  policies: NetworkPolicy[];
  selection: ProbeSelection;
  /** `none`: build the pods but enforce nothing, as a CNI without a policy engine (Flannel). */
  enforcer: PolicyEnforcerName | 'none';
  datapath: DatapathName;
  /** How long a probe waits for an answer. */
  timeoutMs: Milliseconds;
  /** Extra attempts for a probe expected to pass that did not. @default 2 */
  retries?: number;
  platform: Platform;
  logger: Logger;
  signal?: AbortSignal;
}

export interface ProbeResult {
  verdict: Verdict;
  observed: boolean;
  /** How the last attempt ended: connected, refused, echo, timeout, arrived, not arrived… */
  detail: string;
  attempts: number;
}

export interface VerifyReport {
  placements: LabPlacement[];
  /** Lab pod name → the address it got. */
  addresses: Record<string, string>;
  facts: EnvironmentFacts;
  results: ProbeResult[];
  mismatches: ProbeResult[];
  /**
   * What the enforcer's rules counted while the probes ran (absent with no enforcer, or on a
   * platform that cannot read them): which policy rule allowed, which default deny dropped.
   */
  policyCounters?: PolicyCounters;
}

const probeConcurrency = 64;

function nodeCountFor(datapath: DatapathName): number {
  return datapath === 'bridge' ? 1 : 2;
}

/** The model as deployed: every pod with the address the lab gave it. */
function labModel(
  model: ClusterModel,
  placements: readonly LabPlacement[],
  env: Environment,
): ClusterModel {
  const pods = placements.map((p): ModelPod => {
    const ip = parseIp(env.podAddress(p.pod));
    if (!ip.ok) throw new Error(`lab pod ${p.pod} has no usable address`);
    return { ...p.model, ip: ip.value };
  });
  return { namespaces: model.namespaces, pods };
}

export async function verifyInLab(o: VerifyOptions): Promise<VerifyReport> {
  const nodeCount = nodeCountFor(o.datapath);
  const { placements, problems } = placeModelInLab(o.model.pods, nodeCount);
  if (problems.length > 0) {
    throw new NetbenchError(
      'NB_POLICY_LAB_UNSUPPORTED',
      'the model cannot be placed in the lab as written',
      {
        problems,
      },
    );
  }
  const policySet: PolicySetSpec | undefined =
    o.enforcer === 'none'
      ? undefined
      : {
          enforcer: o.enforcer,
          label: 'verify',
          namespaces: o.model.namespaces,
          pods: placements.map((p) => ({ pod: p.pod, model: p.model })),
          policies: o.policies,
        };
  const topology: TopologySpec = {
    datapath: o.datapath,
    nodes: labNodeNames(nodeCount).map((name) => ({ name })),
    pods: placements.map((p) => ({
      name: p.pod,
      node: p.node,
      ...(p.ip === undefined ? {} : { ip: p.ip }),
    })),
    ...(policySet === undefined ? {} : { policy: policySet }),
  };
  const why = o.platform.unsupported(topology);
  if (why !== undefined) {
    throw new NetbenchError(
      'NB_POLICY_LAB_UNSUPPORTED',
      `the lab cannot build this model: ${why}`,
      {
        hint: 'the lab builds up to 2 nodes and about 240 pods per node; try --datapath routed',
      },
    );
  }
  await o.platform.preflight();
  let env: Environment | undefined;
  const agents = new Map<string, { pod: string; watch: AgentWatch; process: RunningProcess }>();
  try {
    env = await o.platform.deploy(topology, o.signal);
    const deployed = labModel(o.model, placements, env);
    const labPodOf = new Map(placements.map((p) => [p.model.id, p.pod]));
    const evaluator = createEvaluator(deployed, o.policies);
    const probes = planProbes(deployed, o.selection);
    const countersBefore = await env.readPolicyCounters?.();
    o.logger.info(
      `lab up: ${placements.length} pods on ${nodeCount} node(s), ${
        env.facts.policy === undefined
          ? 'no enforcer'
          : `${o.enforcer} programmed ${env.facts.policy.programmedRules} rules in ${env.facts.policy.programmingMs.toFixed(0)} ms`
      }; probing ${probes.length} connections`,
    );

    // One agent per pod: it serves the ports probed on its pod and probes others on request.
    const sctpArrived = new Set<number>();
    for (const p of deployed.pods) {
      const incoming = probes.filter((x) => x.to.id === p.id);
      const ports = (proto: string): number[] => [
        ...new Set(incoming.filter((x) => x.protocol === proto).map((x) => x.port)),
      ];
      const config: PolicyAgentConfig = {
        tcpPorts: ports('TCP'),
        udpPorts: ports('UDP'),
        sctp: incoming.some((x) => x.protocol === 'SCTP'),
      };
      const pod = labPodOf.get(p.id)!;
      const proc = await env.start(pod, {
        kind: 'agent',
        args: ['policy-agent', '--config', JSON.stringify(config)],
      });
      const watch = watchAgent(proc, `the policy agent in pod ${p.id} (${pod})`, (e) => {
        if (e.event === 'received') sctpArrived.add(e.probe);
      });
      agents.set(p.id, { pod, watch, process: proc });
    }
    // On Ctrl-C, stopping the agents makes every pending wait fail at once.
    o.signal?.addEventListener(
      'abort',
      () => {
        for (const a of agents.values()) a.process.kill('SIGTERM');
      },
      { once: true },
    );
    for (const a of agents.values()) await a.watch.next('ready', 30_000);
    o.logger.debug(`policy agents ready in ${agents.size} pods`);

    const verdicts = probes.map((p) => evaluator.evaluate(p));
    const results: ProbeResult[] = verdicts.map((verdict) => ({
      verdict,
      observed: false,
      detail: 'not probed',
      attempts: 0,
    }));
    let nextId = 0;
    let rounds = 0;
    const round = async (indexes: readonly number[]): Promise<void> => {
      const ids = new Map<number, number>(); // probe id → result index
      const bySource = new Map<string, { id: number; probe: Probe }[]>();
      for (const i of indexes) {
        const probe = probes[i]!;
        const id = nextId++;
        ids.set(id, i);
        const list = bySource.get(probe.from.id) ?? [];
        list.push({ id, probe });
        bySource.set(probe.from.id, list);
      }
      const roundNumber = rounds++;
      const outcomes = await Promise.all(
        [...bySource.entries()].map(async ([source, list]) => {
          const request: PolicyProbeRequest = {
            round: roundNumber,
            targets: list.map(({ id, probe }) => ({
              id,
              ip: probe.to.ip!.text,
              port: probe.port,
              protocol: probe.protocol,
            })),
            timeoutMs: o.timeoutMs,
            concurrency: probeConcurrency,
          };
          const agent = agents.get(source)!;
          agent.process.stdin.write(`${JSON.stringify(request)}\n`);
          const event = await agent.watch.next('result', o.timeoutMs * list.length + 60_000);
          if (event.event !== 'result') throw new Error('unreachable');
          const answer = event.result as { round: number; outcomes: ProbeOutcome[] };
          if (answer.round !== roundNumber) {
            throw new Error(
              `agent in ${agent.pod} answered round ${answer.round}, not ${roundNumber}`,
            );
          }
          return answer.outcomes;
        }),
      );
      const sctpSent: number[] = [];
      for (const outcome of outcomes.flat()) {
        const i = ids.get(outcome.id)!;
        const r = results[i]!;
        r.attempts += 1;
        if (probes[i]!.protocol === 'SCTP') {
          if (outcome.reached) sctpSent.push(outcome.id);
          else {
            r.observed = false;
            r.detail = outcome.detail;
          }
          continue;
        }
        r.observed = outcome.reached;
        r.detail = outcome.reached ? outcome.detail : `${outcome.detail} after ${o.timeoutMs} ms`;
      }
      if (sctpSent.length > 0) {
        // Arrivals are reported by the servers; wait until the expected ones are in, or timeout.
        const deadline = performance.now() + o.timeoutMs;
        const expected = sctpSent.filter((id) => results[ids.get(id)!]!.verdict.allowed);
        while (performance.now() < deadline && !expected.every((id) => sctpArrived.has(id))) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        for (const id of sctpSent) {
          const r = results[ids.get(id)!]!;
          r.observed = sctpArrived.has(id);
          r.detail = r.observed ? 'arrived' : `did not arrive within ${o.timeoutMs} ms`;
        }
      }
    };

    let started = performance.now();
    await round(results.map((_, i) => i));
    o.logger.debug(
      `probe round of ${results.length} took ${(performance.now() - started).toFixed(0)} ms`,
    );
    for (let attempt = 0; attempt < (o.retries ?? 2); attempt++) {
      const again = results.flatMap((r, i) => (r.verdict.allowed && !r.observed ? [i] : []));
      if (again.length === 0) break;
      o.logger.debug(
        `retrying ${again.length} probes that were expected to pass: ${again
          .slice(0, 5)
          .map(
            (i) =>
              `${probes[i]!.from.id}→${probes[i]!.to.id} ${probes[i]!.protocol}/${probes[i]!.port} (${results[i]!.detail})`,
          )
          .join(', ')}`,
      );
      started = performance.now();
      await round(again);
      o.logger.debug(`retry round took ${(performance.now() - started).toFixed(0)} ms`);
    }
    const mismatches = results.filter((r) => r.observed !== r.verdict.allowed);
    const addresses = Object.fromEntries(placements.map((p) => [p.pod, env!.podAddress(p.pod)]));
    const countersAfter =
      countersBefore === undefined ? undefined : await env.readPolicyCounters?.();
    return {
      placements,
      addresses,
      facts: env.facts,
      results,
      mismatches,
      ...(countersBefore === undefined || countersAfter === undefined
        ? {}
        : { policyCounters: policyCounterDelta(countersBefore, countersAfter) }),
    };
  } catch (error) {
    if (o.signal?.aborted === true)
      throw new NetbenchError('NB_INTERRUPTED', 'policy verify interrupted');
    throw error;
  } finally {
    for (const a of agents.values()) a.process.kill('SIGTERM');
    await Promise.all(
      [...agents.values()].map((a) =>
        Promise.race([a.watch.done, new Promise((r) => setTimeout(r, 3000).unref())]),
      ),
    );
    try {
      await env?.teardown();
    } finally {
      await o.platform.close();
    }
  }
}
