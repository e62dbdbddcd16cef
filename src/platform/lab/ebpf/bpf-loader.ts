/**
 * Loading, attaching and filling the eBPF datapath's programs and maps with bpftool and tc.
 *
 * Everything is pinned in a bpf filesystem mounted for the run alone, under the run's state
 * directory (/run/netbench/<runId>/bpffs), one directory per environment and node. Nothing goes
 * to the shared /sys/fs/bpf, so runs never see each other's maps, and removing the run (even
 * after a crash: `netbench lab down`) unmounts it, which frees every program and map that is
 * not attached; attached programs go with their devices when the namespaces are deleted.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { NetbenchError } from '../../../core/errors.js';
import type { ProcessRunner } from '../../../core/process-runner.js';
import type { LabShell } from '../lab-shell.js';
import { batchLines, parseCounters, type Counters, type MapUpdate } from './bpf-maps.js';

export const hostEndianness = endianness();

/** The run's private bpf filesystem. */
export function bpffsMountpoint(runStateDir: string): string {
  return join(runStateDir, 'bpffs');
}

/** Pins of one node of one environment: programs at the top, maps under `maps/`. */
export function bpfNodeDir(runStateDir: string, environment: number, node: string): string {
  return join(bpffsMountpoint(runStateDir), `e${environment}-${node}`);
}

/** Mount points under `dir` (from /proc/self/mounts), deepest first. */
export async function mountsUnder(dir: string): Promise<string[]> {
  let table: string;
  try {
    table = await readFile('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return table
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' ') ?? '')
    .filter((m) => m === dir || m.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

export async function ensureBpffs(runner: ProcessRunner, mountpoint: string): Promise<void> {
  if ((await mountsUnder(mountpoint)).includes(mountpoint)) return;
  await mkdir(mountpoint, { recursive: true });
  await runner.run({ argv: ['mount', '-t', 'bpf', 'bpf', mountpoint], timeoutMs: 10_000 });
}

/** Loads every program of `object` into `dir` (pinned by name) with its maps in `dir/maps`. */
export async function loadPrograms(
  runner: ProcessRunner,
  object: string,
  dir: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const out = await runner.run({
    argv: ['bpftool', 'prog', 'loadall', object, dir, 'pinmaps', join(dir, 'maps')],
    allowFailure: true,
    timeoutMs: 60_000,
  });
  if (out.exitCode !== 0) {
    const log = (out.stderr || out.stdout).trim().split('\n');
    throw new NetbenchError(
      'NB_LAB_BPF_FAILED',
      `loading ${object} failed: ${log.slice(-6).join(' | ') || `bpftool exited with ${out.exitCode}`}`,
      {
        hint: 'the kernel rejected the programs; rebuild with `sh bpf/build.sh` and check `bpftool prog loadall` by hand',
      },
    );
  }
}

/** Attaches pinned programs to devices of namespace `ns` at tc ingress (clsact, direct-action). */
export async function attachIngress(
  shell: LabShell,
  ns: string,
  attachments: readonly { device: string; program: string }[],
): Promise<void> {
  const lines = attachments.flatMap((a) => [
    `qdisc add dev ${a.device} clsact`,
    `filter add dev ${a.device} ingress bpf direct-action object-pinned ${a.program}`,
  ]);
  if (lines.length === 0) return;
  await shell.runner.run({
    argv: ['tc', '-n', ns, '-batch', '-'],
    input: `${lines.join('\n')}\n`,
    timeoutMs: 30_000,
  });
}

/** Applies map updates in one bpftool process (`bpftool batch`), however many there are. */
export async function updateMap(
  runner: ProcessRunner,
  pinnedMap: string,
  updates: readonly MapUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  await runner.run({
    argv: ['bpftool', 'batch', 'file', '-'],
    input: `${batchLines(pinnedMap, updates)}\n`,
    timeoutMs: 300_000,
  });
}

export async function readCounters(runner: ProcessRunner, dir: string): Promise<Counters> {
  const out = await runner.run({
    argv: ['bpftool', '-j', 'map', 'dump', 'pinned', join(dir, 'maps', 'counters')],
    timeoutMs: 10_000,
  });
  return parseCounters(out.stdout, hostEndianness === 'LE' ? 'LE' : 'BE');
}

/** Unpins one node's programs and maps (attached programs live on until their device goes). */
export async function removePins(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
