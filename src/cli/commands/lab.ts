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

export async function labUpCommand(
  flags: { datapath?: string; placement?: string; json?: boolean },
  ctx: CliContext,
  logger: Logger,
): Promise<number> {
  const d: TrialDimensions = { ...defaultDimensions() };
  if (flags.datapath !== undefined) d.datapath = pick('datapath', flags.datapath);
  if (flags.placement !== undefined) d.placement = pick('placement', flags.placement);
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
      hint: 'pick another --datapath or --placement',
    });
  }
  await platform.preflight();
  const env = await platform.deploy(topology, ctx.signal);
  const pods = topology.pods.map((p) => ({
    pod: p.name,
    node: p.node,
    ip: env.podAddress(p.name),
  }));
  if (flags.json === true) writeJson(ctx.stdout, { runId, datapath: env.facts, pods });
  else {
    writeLine(
      ctx.stdout,
      `lab ${runId} is up: ${d.datapath}, ${d.placement}, pod MTU ${env.facts.podMtu}`,
    );
    for (const p of pods) writeLine(ctx.stdout, `  pod ${p.pod} on ${p.node}: ${p.ip}`);
    writeLine(ctx.stdout, `  namespaces: ip netns list | grep nb-${runId}-`);
    writeLine(ctx.stdout, `  remove it with: netbench lab down --run ${runId}`);
  }
  return 0;
}

function pick<K extends 'datapath' | 'placement'>(name: K, value: string): TrialDimensions[K] {
  const parsed = dimensions[name].schema.safeParse(value);
  if (!parsed.success) {
    const options = (dimensions[name].schema as unknown as { options: string[] }).options;
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--${name} ${JSON.stringify(value)} is not a ${name}`,
      {
        hint: suggestionHint(value, options),
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
  const removed: { runId: string; namespaces: string[]; processes: number }[] = [];
  const skipped: string[] = [];
  for (const r of runs) {
    if (r.ownerAlive && flags.force !== true) {
      skipped.push(r.runId);
      continue;
    }
    const done = await removeLabRun(shell, r.runId);
    removed.push({ runId: r.runId, namespaces: done.namespaces, processes: done.pids.length });
  }
  if (flags.json === true) writeJson(ctx.stdout, { removed, skipped });
  else {
    if (removed.length === 0 && skipped.length === 0) writeLine(ctx.stdout, 'nothing to remove');
    for (const r of removed) {
      writeLine(
        ctx.stdout,
        `removed ${r.runId}: ${r.namespaces.length} namespaces, ${r.processes} processes`,
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
