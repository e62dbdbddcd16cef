/**
 * Finding and removing what lab runs left behind: namespaces named `nb-<runId>-…`, the processes
 * inside them (pods' agents, BIRD daemons, proxies), file systems mounted under the run's state
 * directory (the run's bpf filesystem holding the eBPF datapath's pinned programs and maps), and
 * state directories. Used at the end of every run, by `lab down` after a crash, and by `lab
 * status`. Everything else the lab creates (links, routes, iptables/nftables rules, tc programs,
 * CNI devices such as the bandwidth plugin's ifb) lives inside a namespace and goes with it.
 */
import { systemClock, type Clock } from '../../core/clock.js';
import type { RunId } from '../../core/run-id.js';
import type { LabShell } from './lab-shell.js';
import { mountsUnder } from './ebpf/bpf-loader.js';
import { isAlive, readOwners, removeState, stateDir, type LabOwner } from './lab-state.js';
import { runIdOfNamespace } from './names.js';

export interface LabRunInfo {
  runId: RunId;
  namespaces: string[];
  /** PIDs of processes still running inside the run's namespaces. */
  pids: number[];
  /** File systems mounted under the run's state directory (its bpf filesystem). */
  mounts: string[];
  owner: LabOwner | undefined;
  /** The owning netbench process is still running (the run is live, not a leftover). */
  ownerAlive: boolean;
}

export async function listNamespaces(shell: LabShell): Promise<string[]> {
  const out = await shell.ip(undefined, ['netns', 'list']);
  return out.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

export async function pidsInNamespace(shell: LabShell, ns: string): Promise<number[]> {
  const out = await shell.runner.run({ argv: ['ip', 'netns', 'pids', ns], allowFailure: true });
  return out.stdout
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

export async function listLabRuns(shell: LabShell, stateRootDir?: string): Promise<LabRunInfo[]> {
  const byRun = new Map<RunId, LabRunInfo>();
  const entry = (runId: RunId): LabRunInfo => {
    let info = byRun.get(runId);
    if (info === undefined) {
      info = { runId, namespaces: [], pids: [], mounts: [], owner: undefined, ownerAlive: false };
      byRun.set(runId, info);
    }
    return info;
  };
  for (const ns of await listNamespaces(shell)) {
    const runId = runIdOfNamespace(ns);
    if (runId === undefined) continue;
    const info = entry(runId);
    info.namespaces.push(ns);
    info.pids.push(...(await pidsInNamespace(shell, ns)));
  }
  for (const owner of await readOwners(stateRootDir)) {
    const info = entry(owner.runId);
    info.owner = owner;
    info.ownerAlive = owner.pid !== process.pid && isAlive(owner.pid);
    info.mounts = await mountsUnder(stateDir(owner.runId, stateRootDir));
  }
  return [...byRun.values()].sort((a, b) => a.runId.localeCompare(b.runId));
}

/** Stops processes (TERM, then KILL after a grace period) and waits until they are gone. */
export async function stopProcesses(
  pids: readonly number[],
  graceMs = 2000,
  clock: Clock = systemClock,
): Promise<void> {
  const live = (): number[] => pids.filter((p) => isAlive(p));
  for (const pid of live()) signal(pid, 'SIGTERM');
  const deadline = clock.monotonicMs() + graceMs;
  while (live().length > 0 && clock.monotonicMs() < deadline) await clock.sleep(25);
  for (const pid of live()) signal(pid, 'SIGKILL');
  const killDeadline = clock.monotonicMs() + 2000;
  while (live().length > 0 && clock.monotonicMs() < killDeadline) await clock.sleep(25);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Removes every namespace (and its processes) of `runId`, then unmounts what is mounted under
 * its state directory (which unpins and frees its BPF programs and maps), then its state.
 * Idempotent.
 */
export async function removeLabRun(
  shell: LabShell,
  runId: RunId,
  stateRootDir?: string,
): Promise<{ namespaces: string[]; pids: number[]; mounts: string[] }> {
  const namespaces = (await listNamespaces(shell)).filter((ns) => runIdOfNamespace(ns) === runId);
  const pids: number[] = [];
  for (const ns of namespaces) pids.push(...(await pidsInNamespace(shell, ns)));
  await stopProcesses(pids);
  for (const ns of namespaces) {
    await shell.runner.run({ argv: ['ip', 'netns', 'delete', ns], allowFailure: true });
  }
  const mounts = await mountsUnder(stateDir(runId, stateRootDir));
  for (const m of mounts) {
    // Lazy (-l): a process that still has the directory open must not keep the run alive.
    await shell.runner.run({ argv: ['umount', '-l', m], allowFailure: true, timeoutMs: 10_000 });
  }
  await removeState(runId, stateRootDir);
  return { namespaces, pids, mounts };
}
