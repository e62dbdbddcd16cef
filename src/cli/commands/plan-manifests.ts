/**
 * `netbench plan --manifests DIR`: every object a kubernetes run would create, one YAML file per
 * topology, without contacting a cluster, for review or `kubectl apply --dry-run=server -f`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { NetbenchError } from '../../core/errors.js';
import type { RunPlan } from '../../matrix/plan.js';
import { topologyKey } from '../../matrix/topology.js';
import { loadAgentBundle } from '../../platform/kubernetes/agent-bundle.js';
import { resolveImages } from '../../platform/kubernetes/images.js';
import {
  agentConfigMap,
  environmentObjectList,
  environmentObjects,
  namespaceObject,
} from '../../platform/kubernetes/manifests.js';
import type { Scenario } from '../../spec/scenario-schema.js';

/** The run id the planned objects are named with (`nb-plan0`). */
export const planRunId = 'plan0';

export async function writePlanManifests(
  scenario: Scenario,
  plan: RunPlan,
  dir: string,
): Promise<string[]> {
  if (scenario.platform !== 'kubernetes') {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      '--manifests writes Kubernetes objects: it needs --platform kubernetes',
      {
        hint: 'add --platform kubernetes --nodes A,B (or platform: kubernetes in the scenario)',
      },
    );
  }
  const nodes = scenario.kubernetes.nodes;
  if (nodes === undefined) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      '--manifests needs the cluster nodes: plan does not contact a cluster to pick them',
      {
        hint: 'add --nodes A,B (`kubectl get nodes` lists them)',
      },
    );
  }
  const images = resolveImages({
    ...scenario.kubernetes,
    pullSecrets: scenario.kubernetes.imagePullSecrets,
  });
  const bundle = await loadAgentBundle();
  const nodeNames = Object.fromEntries(nodes.map((n, i) => [`node${i + 1}`, n]));
  const groups = new Map<
    string,
    { topology: RunPlan['trials'][number]['topology']; trials: string[] }
  >();
  for (const t of plan.trials) {
    const key = topologyKey(t.topology);
    const group = groups.get(key) ?? { topology: t.topology, trials: [] };
    group.trials.push(t.id);
    groups.set(key, group);
  }
  await mkdir(dir, { recursive: true });
  const owner = {
    host: hostname(),
    pid: 0,
    startedAt: new Date(0).toISOString(),
    purpose: 'plan --manifests',
  };
  const written: string[] = [];
  let environment = 0;
  for (const { topology, trials } of groups.values()) {
    environment += 1;
    if (topology.nodes.some((n) => nodeNames[n.name] === undefined)) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `trial ${trials[0]} places pods on ${topology.nodes.length} nodes but --nodes gives ${nodes.length}`,
        {
          hint: 'give two nodes with --nodes A,B',
        },
      );
    }
    const run = { runId: planRunId, owner, bundle, hostNetwork: topology.datapath === 'host' };
    const objects = [
      namespaceObject(run),
      agentConfigMap(run),
      ...environmentObjectList(
        environmentObjects(topology, {
          runId: planRunId,
          environment,
          nodeNames,
          images,
          bundleSha256: bundle.sha256,
        }),
      ),
    ];
    const file = join(
      dir,
      `${String(environment).padStart(2, '0')}-${trials[0]!.replace(/[^a-z0-9.-]+/gi, '-')}.yaml`,
    );
    const header = `# netbench plan --manifests: trials ${trials.join(', ')} (environment e${environment})\n`;
    await writeFile(file, header + objects.map((o) => stringify(o)).join('---\n'));
    written.push(file);
  }
  return written;
}
