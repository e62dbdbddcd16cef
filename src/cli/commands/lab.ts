/** `netbench lab up|down|status`: build a lab by hand, clean up after crashes, see what exists. */
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createRunId, isRunId } from '../../core/run-id.js';
import { topologyFor } from '../../matrix/topology.js';
import { createLabPlatform } from '../../platform/lab/lab-platform.js';
import { createLabShell } from '../../platform/lab/lab-shell.js';
import { listLabRuns, removeLabRun } from '../../platform/lab/leftovers.js';
import { defaultDimensions, dimensions, type TrialDimensions } from '../../spec/dimensions.js';
import { suggestionHint } from '../../spec/suggest.js';
import type { CliContext } from '../context.js';
import { formatTable, writeJson, writeLine } from '../output.js';

function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new NetbenchError('NB_LAB_NOT_ROOT', 'the lab commands need root', {
      hint: 'run as root (sudo netbench lab …)',
    });
  }
}

export interface LabUpFlags {
  datapath?: string;
  placement?: string;
  services?: string;
  kubeProxy?: string;
  bandwidth?: string;
  json?: boolean;
}

export async function labUpCommand(
  flags: LabUpFlags,
  ctx: CliContext,
  logger: Logger,
): Promise<number> {
  const d: TrialDimensions = { ...defaultDimensions() };
  if (flags.datapath !== undefined) d.datapath = pick('datapath', flags.datapath);
  if (flags.placement !== undefined) d.placement = pick('placement', flags.placement);
  if (flags.services !== undefined) d.services = pick('services', flags.services);
  if (flags.kubeProxy !== undefined) d.kubeProxy = pick('kubeProxy', flags.kubeProxy);
  if (flags.bandwidth !== undefined) d.bandwidth = pick('bandwidth', flags.bandwidth);
  const runId = createRunId();
  const platform = createLabPlatform({
    runner: ctx.runner,
    logger,
    runId,
    purpose: 'lab up',
    keep: true,
  });
  const topology = topologyFor(d);
  const why = platform.unsupported(topology);
  if (why !== undefined) {
    throw new NetbenchError('NB_PLAN_IMPOSSIBLE', why, {
      hint: 'pick another --datapath, --placement or --kube-proxy',
    });
  }
  await platform.preflight();
  let env: Awaited<ReturnType<typeof platform.deploy>>;
  try {
    env = await platform.deploy(topology, ctx.signal);
  } catch (error) {
    // Nothing is kept of a lab that failed to come up (its state directory included).
    await removeLabRun(createLabShell(ctx.runner), runId);
    throw error;
  }
  const pods = topology.pods.map((p) => ({
    pod: p.name,
    node: p.node,
    ip: env.podAddress(p.name),
  }));
  const service = env.facts.services?.target;
  if (flags.json === true) writeJson(ctx.stdout, { runId, datapath: env.facts, pods });
  else {
    writeLine(
      ctx.stdout,
      `lab ${runId} is up: ${d.datapath}, ${d.placement}, pod MTU ${env.facts.podMtu}`,
    );
    for (const p of pods) writeLine(ctx.stdout, `  pod ${p.pod} on ${p.node}: ${p.ip}`);
    if (service !== undefined) {
      writeLine(
        ctx.stdout,
        `  service ${service.name}: ${service.clusterIp}:${service.ports.map((p) => p.port).join(',')} → ${service.endpoints.join(', ')} (${env.facts.services?.proxyMode})`,
      );
    }
    writeLine(ctx.stdout, `  namespaces: ip netns list | grep nb-${runId}-`);
    writeLine(ctx.stdout, `  remove it with: netbench lab down --run ${runId}`);
  }
  return 0;
}

type LabUpDimension = 'datapath' | 'placement' | 'services' | 'kubeProxy' | 'bandwidth';

function pick<K extends LabUpDimension>(name: K, value: string): TrialDimensions[K] {
  const parsed = dimensions[name].schema.safeParse(value);
  if (!parsed.success) {
    const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const options = (dimensions[name].schema as unknown as { options?: string[] }).options;
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `${flag} ${JSON.stringify(value)} is not a valid ${name}`,
      {
        hint:
          options === undefined
            ? `${dimensions[name].description}`
            : suggestionHint(value, options),
      },
    );
  }
  return parsed.data as TrialDimensions[K];
}

export async function labStatusCommand(
  flags: { json?: boolean },
  ctx: CliContext,
): Promise<number> {
  requireRoot();
  const runs = await listLabRuns(createLabShell(ctx.runner));
  if (flags.json === true) {
    writeJson(ctx.stdout, { runs });
    return 0;
  }
  if (runs.length === 0) {
    writeLine(ctx.stdout, 'no netbench lab objects on this machine');
    return 0;
  }
  const rows = runs.map((r) => [
    r.runId,
    r.ownerAlive ? 'running' : r.owner?.pid === 0 ? 'kept (lab up)' : 'leftover',
    r.owner?.purpose ?? 'unknown',
    r.owner?.startedAt ?? '',
    String(r.namespaces.length),
    String(r.pids.length),
  ]);
  writeLine(
    ctx.stdout,
    formatTable(['run', 'state', 'made by', 'started', 'namespaces', 'processes'], rows),
  );
  for (const r of runs) {
    for (const ns of r.namespaces) writeLine(ctx.stdout, `  ${r.runId}: ${ns}`);
  }
  return 0;
}

export async function labDownCommand(
  flags: { run?: string; force?: boolean; json?: boolean },
  ctx: CliContext,
): Promise<number> {
  requireRoot();
  if (flags.run !== undefined && !isRunId(flags.run)) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--run ${JSON.stringify(flags.run)} is not a run id`,
      {
        hint: 'run ids are 5 lowercase letters/digits; `netbench lab status` lists them',
      },
    );
  }
  const shell = createLabShell(ctx.runner);
  const runs = (await listLabRuns(shell)).filter(
    (r) => flags.run === undefined || r.runId === flags.run,
  );
  if (flags.run !== undefined && runs.length === 0) {
    throw new NetbenchError('NB_USAGE_BAD_FLAG', `no lab run ${flags.run} on this machine`, {
      hint: '`netbench lab status` lists what exists',
    });
  }
  const removed: { runId: string; namespaces: string[]; processes: number; mounts: number }[] = [];
  const skipped: string[] = [];
  for (const r of runs) {
    if (r.ownerAlive && flags.force !== true) {
      skipped.push(r.runId);
      continue;
    }
    const done = await removeLabRun(shell, r.runId);
    removed.push({
      runId: r.runId,
      namespaces: done.namespaces,
      processes: done.pids.length,
      mounts: done.mounts.length,
    });
  }
  if (flags.json === true) writeJson(ctx.stdout, { removed, skipped });
  else {
    if (removed.length === 0 && skipped.length === 0) writeLine(ctx.stdout, 'nothing to remove');
    for (const r of removed) {
      writeLine(
        ctx.stdout,
        `removed ${r.runId}: ${r.namespaces.length} namespaces, ${r.processes} processes${r.mounts > 0 ? `, ${r.mounts} mounts` : ''}`,
      );
    }
    for (const s of skipped) {
      writeLine(
        ctx.stderr,
        `kept ${s}: its netbench process is still running (use --force to remove it anyway)`,
      );
    }
  }
  return 0;
}
