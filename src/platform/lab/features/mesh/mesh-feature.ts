/**
 * The service-mesh lab feature: issues the run's certificates, starts the proxies (sidecars in
 * pods, node proxies in node namespaces, a waypoint in its pod) through `startDaemon` so they are
 * stopped and accounted with the environment, then loads the interception rules into every
 * captured pod. What to deploy comes from the pure plan in src/mesh/mesh-plan.ts.
 */
import type { MeshFacts, EnvironmentFacts } from '../../../../results/facts.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { meshModels, meshProblem, planMesh } from '../../../../mesh/mesh-plan.js';
import type { LabFeature, LabFeatureContext } from '../feature.js';
import { issueCertificates, meshPki } from './certificates.js';
import { checkHaproxyConfig, haproxyVersion, waitForHaproxy } from './haproxy-process.js';

export const meshFeature: LabFeature = {
  name: 'mesh',
  applies: (topology) => topology.mesh !== undefined,
  unsupported: meshProblem,
  async apply(ctx: LabFeatureContext): Promise<Partial<EnvironmentFacts>> {
    const spec = ctx.topology.mesh;
    if (spec === undefined) return {};
    const started = performance.now();
    const runner = ctx.shell.runner;
    const proxyVersion = await haproxyVersion(runner);
    const meshDir = join(ctx.stateDir, 'mesh');
    const dir = join(meshDir, `e${ctx.layout.environment}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const serviceAccounts = new Map(
      ctx.topology.pods.map((p) => [p.name, p.serviceAccount] as const),
    );
    const plan = planMesh({
      spec,
      pods: ctx.layout.pods.map((p) => {
        const sa = serviceAccounts.get(p.name);
        return {
          name: p.name,
          node: p.node.name,
          ip: p.ip,
          ns: p.ns,
          ...(sa === undefined ? {} : { serviceAccount: sa }),
        };
      }),
      nodes: ctx.layout.nodes.map((n) => ({ name: n.name, ns: n.ns })),
      dir,
      ...meshPki(meshDir),
    });
    if (plan.certificates.length > 0) {
      await issueCertificates(runner, meshDir, ctx.layout.runId, plan.certificates);
    }
    for (const proxy of plan.proxies) {
      await writeFile(proxy.configPath, proxy.config, { mode: 0o600 });
      await checkHaproxyConfig(runner, proxy.configPath);
    }
    for (const proxy of plan.proxies) {
      ctx.signal?.throwIfAborted();
      const process = await ctx.startDaemon(proxy.ns, proxy.role, [
        'haproxy',
        '-db',
        '-f',
        proxy.configPath,
      ]);
      await waitForHaproxy(process, `the ${proxy.role} of ${proxy.owner}`, proxy.statsSocket);
    }
    // Rules last, as istio-init runs before the application starts: the proxies already listen.
    for (const pod of plan.interception) {
      await ctx.shell.exec(pod.ns, ['nft', '-f', '-'], { input: pod.rules, timeoutMs: 30_000 });
    }
    const model = meshModels[spec.mode];
    const facts: MeshFacts = {
      mode: spec.mode,
      models: model.models,
      leavesOut: model.leavesOut,
      mtls: spec.mtls,
      tlsVersion: spec.mtls === 'strict' ? 'TLSv1.3' : null,
      concurrency: spec.concurrency,
      proxyVersion,
      interception: model.interception,
      proxyTraversals: plan.traversals,
      identities: plan.identities.map((i) => ({ pod: i.pod, spiffeId: i.spiffeId })),
      proxies: plan.proxies.map((p) => ({
        role: p.role,
        owner: p.owner,
        node: p.node,
        layer: p.layer,
        statsSocket: p.statsSocket,
      })),
      setupMs: performance.now() - started,
    };
    return { mesh: facts };
  },
};
