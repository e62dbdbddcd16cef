import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/schema.js';
import { assertRoot, binPath, namespacesOf, repoRoot } from '../helpers/lab.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function readResults(out: string): Promise<Results | undefined> {
  const file = join(out, 'results.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Results;
  } catch {
    return undefined;
  }
}

function start(args: string[]): {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

const longRun = [
  'run',
  'examples/quick.yaml',
  '--repetitions',
  '5',
  '--duration',
  '3s',
  '--warmup',
  '0.5s',
];

describe('Ctrl-C in the middle of a run', () => {
  beforeAll(assertRoot);

  it('tears the lab down, keeps finished repetitions and exits 130', async () => {
    const out = await mkdtemp(join(tmpdir(), 'nb-int-'));
    const run = start([...longRun, '--out', out]);
    const before = await waitFor('a finished repetition', async () => {
      const r = await readResults(out);
      return r !== undefined && r.trials.some((t) => t.repetitions.length > 0) ? r : undefined;
    });
    run.child.kill('SIGINT');
    const code = await run.exited;
    expect(code).toBe(130);
    expect(run.stderr()).toContain('NB_INTERRUPTED');
    const after = (await readResults(out))!;
    expect(after.status).toBe('interrupted');
    const kept = after.trials.flatMap((t) => t.repetitions).filter((r) => r.status !== 'failed');
    expect(kept.length).toBeGreaterThanOrEqual(before.trials.flatMap((t) => t.repetitions).length);
    expect(kept.every((r) => r.latencyUs !== undefined)).toBe(true);
    expect(await namespacesOf(after.runId)).toEqual([]);
  });
});

describe('netbench lab down after a killed run', () => {
  beforeAll(assertRoot);

  it('finds the leftovers of a run killed with SIGKILL and removes namespaces and processes', async () => {
    const out = await mkdtemp(join(tmpdir(), 'nb-kill-'));
    const run = start([...longRun, '--out', out]);
    const runId = await waitFor('the run id', async () => (await readResults(out))?.runId);
    // Wait until the workload is running inside the lab (pods exist, agents started).
    await waitFor('pods with processes', async () => {
      const ns = await namespacesOf(runId);
      const busy = ns.filter(
        (n) => spawnSync('ip', ['netns', 'pids', n], { encoding: 'utf8' }).stdout.trim() !== '',
      );
      return busy.length >= 2 ? busy : undefined;
    });
    run.child.kill('SIGKILL');
    await run.exited;
    const leftovers = await namespacesOf(runId);
    expect(leftovers.length).toBeGreaterThan(0);
    const pids = leftovers.flatMap((n) =>
      spawnSync('ip', ['netns', 'pids', n], { encoding: 'utf8' })
        .stdout.split(/\s+/)
        .filter(Boolean),
    );
    expect(pids.length).toBeGreaterThan(0);

    const status = spawnSync(process.execPath, [binPath, 'lab', 'status', '--json'], {
      encoding: 'utf8',
    });
    const listed = (
      JSON.parse(status.stdout) as { runs: { runId: string; ownerAlive: boolean }[] }
    ).runs.find((r) => r.runId === runId);
    expect(listed).toMatchObject({ runId, ownerAlive: false });

    const down = spawnSync(process.execPath, [binPath, 'lab', 'down', '--run', runId], {
      encoding: 'utf8',
    });
    expect(down.status).toBe(0);
    expect(down.stdout).toContain(`removed ${runId}`);
    expect(await namespacesOf(runId)).toEqual([]);
    for (const pid of pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(existsSync(`/run/netbench/${runId}`)).toBe(false);
  });
});
