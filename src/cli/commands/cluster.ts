/**
 * `netbench cluster status|down [--run ID]`: the cluster's netbench namespaces, found by label,
 * with whether the run that made them still runs; down deletes leftovers of crashed runs (as
 * `lab status` / `lab down` do for the lab).
 */
import { hostname } from 'node:os';
import { NetbenchError } from '../../core/errors.js';
import { isRunId } from '../../core/run-id.js';
import { removeNamespace } from '../../platform/kubernetes/cluster-reads.js';
import { createKubeApi, loadKubeConfig } from '../../platform/kubernetes/kube-api.js';
import {
  managedSelector,
  ownerAnnotation,
  runLabel,
  type RunOwner,
} from '../../platform/kubernetes/labels.js';
import type { CliContext } from '../context.js';
import { formatTable, writeJson, writeLine } from '../output.js';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  run?: string;
  force?: boolean;
  json?: boolean;
}

interface ClusterRun {
  runId: string;
  namespace: string;
  phase: string;
  owner?: RunOwner;
  /** running: its netbench process is alive on this host; leftover: it is gone; unknown: another host. */
  state: 'running' | 'leftover' | 'unknown';
  pods: number;
}

function ownerAlive(owner: RunOwner | undefined): ClusterRun['state'] {
  if (owner === undefined) return 'leftover';
  if (owner.host !== hostname()) return 'unknown';
  try {
    process.kill(owner.pid, 0);
    return 'running';
  } catch {
    return 'leftover';
  }
}

async function listRuns(
  flags: ClusterFlags,
  ctx: CliContext,
): Promise<{ runs: ClusterRun[]; api: ReturnType<typeof createKubeApi> }> {
  const api = createKubeApi(
    loadKubeConfig({ kubeconfig: flags.kubeconfig ?? ctx.env.KUBECONFIG, context: flags.context }),
  );
  const namespaces = await api.listNamespaces(managedSelector());
  const runs: ClusterRun[] = [];
  for (const ns of namespaces) {
    const name = ns.metadata?.name ?? '';
    let owner: RunOwner | undefined;
    try {
      owner = JSON.parse(ns.metadata?.annotations?.[ownerAnnotation] ?? '') as RunOwner;
    } catch {
      owner = undefined;
    }
    const pods = await api.listPods(name).catch(() => ({ items: [] }));
    runs.push({
      runId: ns.metadata?.labels?.[runLabel] ?? '?',
      namespace: name,
      phase: ns.status?.phase ?? 'Active',
      ...(owner === undefined ? {} : { owner }),
      state: ownerAlive(owner),
      pods: pods.items.length,
    });
  }
  return { runs, api };
}

export async function clusterStatusCommand(flags: ClusterFlags, ctx: CliContext): Promise<number> {
  const { runs } = await listRuns(flags, ctx);
  if (flags.json === true) {
    writeJson(ctx.stdout, { runs });
    return 0;
  }
  if (runs.length === 0) {
    writeLine(ctx.stdout, 'no netbench objects on this cluster');
    return 0;
  }
  writeLine(
    ctx.stdout,
    formatTable(
      ['run', 'namespace', 'state', 'phase', 'made by', 'host', 'started', 'pods'],
      runs.map((r) => [
        r.runId,
        r.namespace,
        r.state,
        r.phase,
        r.owner?.purpose ?? 'unknown',
        r.owner?.host ?? '',
        r.owner?.startedAt ?? '',
        String(r.pods),
      ]),
    ),
  );
  return 0;
}

export async function clusterDownCommand(flags: ClusterFlags, ctx: CliContext): Promise<number> {
  if (flags.run !== undefined && !isRunId(flags.run)) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--run ${JSON.stringify(flags.run)} is not a run id`,
      {
        hint: 'run ids are 5 lowercase letters/digits; `netbench cluster status` lists them',
      },
    );
  }
  const { runs, api } = await listRuns(flags, ctx);
  const chosen = runs.filter((r) => flags.run === undefined || r.runId === flags.run);
  if (flags.run !== undefined && chosen.length === 0) {
    throw new NetbenchError('NB_USAGE_BAD_FLAG', `no netbench run ${flags.run} on this cluster`, {
      hint: '`netbench cluster status` lists what exists',
    });
  }
  const removed: string[] = [];
  const kept: string[] = [];
  for (const r of chosen) {
    // Without --run, only runs whose owner is known to be gone; another host's runs need --run or --force.
    if (r.state !== 'leftover' && flags.force !== true && flags.run === undefined) {
      kept.push(r.runId);
      continue;
    }
    if (r.state === 'running' && flags.force !== true) {
      kept.push(r.runId);
      continue;
    }
    await removeNamespace(api, r.namespace, ctx.clock, 120_000);
    removed.push(r.namespace);
  }
  if (flags.json === true) writeJson(ctx.stdout, { removed, kept });
  else {
    if (removed.length === 0 && kept.length === 0) writeLine(ctx.stdout, 'nothing to remove');
    for (const ns of removed) writeLine(ctx.stdout, `removed namespace ${ns} and everything in it`);
    for (const id of kept) {
      writeLine(
        ctx.stderr,
        `kept ${id}: its netbench process may still run (here or on another host); use --run ${id} --force to remove it anyway`,
      );
    }
  }
  return 0;
}
