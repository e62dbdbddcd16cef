import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mountsUnder } from '../../src/platform/lab/ebpf/bpf-loader.js';
import { inUserNamespace, whyBpfUnavailable } from '../../src/platform/lab/ebpf/bpf-support.js';
import type { Results } from '../../src/results/schema.js';
import { assertRoot, binPath, namespacesOf, repoRoot } from '../helpers/lab.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function runIdIn(out: string): Promise<string | undefined> {
  const file = join(out, 'results.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as Results).runId;
  } catch {
    return undefined;
  }
}

function pidsOf(namespaces: string[]): number[] {
  return namespaces.flatMap((ns) =>
    spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
      .stdout.split(/\s+/)
      .filter((s) => /^\d+$/.test(s))
      .map(Number),
  );
}

function commandOf(pid: number): string {
  return spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `netbench run` on a one-trial scenario, SIGKILLs it once `ready` says so. */
async function killMidRun(
  datapath: string,
  ready: (runId: string) => Promise<boolean>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nb-leftovers-'));
  const scenario = join(dir, 'scenario.yaml');
  await writeFile(
    scenario,
    `name: leftovers\nrepetitions: 3\nwarmup: 0.5s\nduration: 5s\nmatrix:\n  datapath: ${datapath}\n  placement: cross-node\n  rate: 100\n`,
  );
  const out = join(dir, 'out');
  const child = spawn(process.execPath, [binPath, 'run', scenario, '--out', out, '--quiet'], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.on('close', r));
  const runId = await waitFor('the run id', () => runIdIn(out));
  await waitFor('the datapath to be up under load', async () =>
    (await ready(runId)) ? true : undefined,
  );
  child.kill('SIGKILL');
  await exited;
  return runId;
}

function labDown(runId: string): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [binPath, 'lab', 'down', '--run', runId], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout };
}

describe('netbench lab down after a killed run', () => {
  beforeAll(assertRoot);

  it('stops the BIRD daemons of a killed routed-bgp run', async () => {
    const runId = await killMidRun('routed-bgp', async (id) => {
      const pids = pidsOf(await namespacesOf(id));
      // BIRD on both nodes, and the workload's agents in the pods.
      return pids.filter((p) => commandOf(p) === 'bird').length === 2 && pids.length >= 4;
    });
    const birds = pidsOf(await namespacesOf(runId)).filter((p) => commandOf(p) === 'bird');
    expect(birds).toHaveLength(2);
    const down = labDown(runId);
    expect(down.status).toBe(0);
    expect(down.stdout).toContain(`removed ${runId}`);
    expect(birds.filter(alive)).toEqual([]);
    expect(await namespacesOf(runId)).toEqual([]);
    expect(existsSync(`/run/netbench/${runId}`)).toBe(false);
  });

  it('unpins and frees the BPF programs and maps of a killed ebpf run', async (ctx) => {
    const why = whyBpfUnavailable();
    if (why !== undefined && inUserNamespace()) {
      ctx.skip(why);
      return;
    }
    const pins = (id: string) => `/run/netbench/${id}/bpffs/e1-node1`;
    const runId = await killMidRun('ebpf', async (id) => {
      const pids = pidsOf(await namespacesOf(id));
      return existsSync(`${pins(id)}/from_pod`) && pids.length >= 2;
    });
    const shown = spawnSync(
      'bpftool',
      ['-j', 'prog', 'show', 'pinned', `${pins(runId)}/from_pod`],
      {
        encoding: 'utf8',
      },
    );
    const programId = (JSON.parse(shown.stdout) as { id: number }).id;
    expect(programId).toBeGreaterThan(0);
    expect(await mountsUnder(`/run/netbench/${runId}`)).toEqual([`/run/netbench/${runId}/bpffs`]);

    const down = labDown(runId);
    expect(down.status).toBe(0);
    expect(down.stdout).toContain('1 mounts');
    expect(await mountsUnder(`/run/netbench/${runId}`)).toEqual([]);
    expect(existsSync(`/run/netbench/${runId}`)).toBe(false);
    expect(await namespacesOf(runId)).toEqual([]);
    // With its pins and its devices gone, the kernel frees the program.
    await waitFor('the program to be freed', () =>
      Promise.resolve(
        spawnSync('bpftool', ['prog', 'show', 'id', String(programId)]).status !== 0
          ? true
          : undefined,
      ),
    );
  });
});
