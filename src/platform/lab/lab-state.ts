/**
 * The lab's record of a run on disk (/run/netbench/<runId>/owner.json), written before anything
 * is created, so `lab status` can say whose a namespace is and `lab down` can tell a crashed run
 * (owner process gone) from a live one.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunId } from '../../core/run-id.js';
import { stateRoot } from './names.js';

export interface LabOwner {
  runId: RunId;
  /** PID of the netbench process that owns the run; 0 when the lab was left up on purpose. */
  pid: number;
  startedAt: string;
  /** What created it: `run`, `lab up`, `policy verify`, a test name. */
  purpose: string;
}

export function stateDir(runId: RunId, root = stateRoot): string {
  return join(root, runId);
}

export async function writeOwner(owner: LabOwner, root = stateRoot): Promise<void> {
  const dir = stateDir(owner.runId, root);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'owner.json'), `${JSON.stringify(owner, null, 2)}\n`);
}

export async function readOwners(root = stateRoot): Promise<LabOwner[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const owners: LabOwner[] = [];
  for (const e of entries) {
    try {
      owners.push(JSON.parse(await readFile(join(root, e, 'owner.json'), 'utf8')) as LabOwner);
    } catch {
      // A directory without a readable owner file is still a leftover: report it by name.
      owners.push({ runId: e, pid: -1, startedAt: '', purpose: 'unknown' });
    }
  }
  return owners;
}

export async function removeState(runId: RunId, root = stateRoot): Promise<void> {
  await rm(stateDir(runId, root), { recursive: true, force: true });
}

/** True when `pid` is a live process (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
