/**
 * Resource readings of a real lab environment: pod processes found by network namespace,
 * node-level daemons grouped with their children, CPU pinning applied by taskset.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createProcessRunner, type RunningProcess } from '../../src/core/process-runner.js';
import { createRunId } from '../../src/core/run-id.js';
import { topologyFor } from '../../src/matrix/topology.js';
import { planLayout } from '../../src/platform/lab/addressing.js';
import { createLabPlatform } from '../../src/platform/lab/lab-platform.js';
import { createLabResourceReader } from '../../src/platform/lab/lab-resources.js';
import { createLabShell } from '../../src/platform/lab/lab-shell.js';
import type { Environment, Platform, ResourceReading } from '../../src/platform/platform.js';
import { defaultDimensions } from '../../src/spec/dimensions.js';
import { assertRoot, namespacesOf } from '../helpers/lab.js';

const runId = createRunId();
const topology = topologyFor({
  ...defaultDimensions(),
  placement: 'cross-node',
  datapath: 'routed',
});
let platform: Platform;
let env: Environment;

beforeAll(async () => {
  assertRoot();
  platform = createLabPlatform({
    runner: createProcessRunner(),
    logger: silentLogger,
    runId,
    purpose: 'test workload-resources',
  });
  env = await platform.deploy(topology);
});

afterAll(async () => {
  await env?.teardown();
  await platform?.close();
  expect(await namespacesOf(runId)).toEqual([]);
});

describe('lab resource readings', () => {
  it('find the processes of each pod by its network namespace, pinned where asked', async () => {
    const sleeper: RunningProcess = await env.start('server', {
      kind: 'program',
      argv: ['sleep', '30'],
      cpus: [0],
    });
    // `ip netns exec` enters the namespace just after it starts: read until the process is in it.
    const reading = await readUntil(
      () => env.readResources(),
      (r) => pidsOf(r, 'server').includes(sleeper.pid),
    );
    const server = reading.groups.find((g) => g.scope === 'pod' && g.name === 'server');
    const client = reading.groups.find((g) => g.scope === 'pod' && g.name === 'client');
    expect(server?.node).toBe('node2');
    expect(server?.processes?.map((p) => p.pid)).toContain(sleeper.pid);
    expect(server?.rssBytes).toBeGreaterThan(0);
    // Listed even with nothing running in it.
    expect(client?.processes).toEqual([]);
    // The whole machine's softirq time and the CPU time its hypervisor gave to others.
    for (const [name, role] of [
      ['kernel-softirq', 'kernel'],
      ['hypervisor-steal', 'steal'],
    ]) {
      const machine = reading.groups.find((g) => g.name === name);
      expect(machine).toMatchObject({ scope: 'node', node: 'host', role });
      expect(machine?.cpuSeconds).toBeGreaterThanOrEqual(0);
    }
    const status = await readFile(`/proc/${sleeper.pid}/status`, 'utf8');
    expect(/Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1]).toBe('0');
    sleeper.kill('SIGKILL');
    await sleeper.exited;
  });

  it("account a daemon inside a pod (a sidecar) apart from the pod's application", async () => {
    const layout = planLayout(runId, 1, topology);
    const client = layout.pods.find((p) => p.name === 'client')!;
    const shell = createLabShell(createProcessRunner());
    const app = await env.start('client', { kind: 'program', argv: ['sleep', '30'] });
    const proxy = await shell.start(client.ns, ['sleep', '30']);
    try {
      const read = createLabResourceReader(
        layout,
        [{ ns: client.ns, name: 'sidecar', process: proxy }],
        systemClock,
      );
      const { groups } = await readUntil(
        read,
        (r) => pidsOf(r, 'client').includes(app.pid) && pidsOf(r, 'client/sidecar').length > 0,
      );
      const appGroup = groups.find((g) => g.scope === 'pod' && g.name === 'client');
      const sidecar = groups.find((g) => g.scope === 'pod' && g.name === 'client/sidecar');
      expect(appGroup?.processes?.map((p) => p.pid)).toEqual([app.pid]);
      expect(sidecar).toMatchObject({ role: 'sidecar', node: 'node1' });
      expect(sidecar?.processes?.map((p) => p.pid)).toEqual([proxy.pid]);
    } finally {
      app.kill('SIGKILL');
      proxy.kill('SIGKILL');
    }
  });

  it('account node-level daemons under their name, their children included', async () => {
    const layout = planLayout(runId, 1, topology);
    const node1 = layout.nodes[0]!;
    const shell = createLabShell(createProcessRunner());
    const daemon = await shell.start(node1.ns, ['sh', '-c', 'sleep 30 & sleep 30 & wait']);
    try {
      const read = createLabResourceReader(
        layout,
        [{ ns: node1.ns, name: 'bird', process: daemon }],
        systemClock,
      );
      const reading = await readUntil(read, (r) => pidsOf(r, 'bird', 'node').length >= 3);
      const group = reading.groups.find((g) => g.scope === 'node' && g.name === 'bird');
      expect(group?.node).toBe('node1');
      expect(group?.role).toBe('bird');
      expect(group?.processes?.map((p) => p.command)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^sh /), 'sleep 30']),
      );
    } finally {
      daemon.kill('SIGKILL');
    }
  });
});

/** Reads until `done` holds (processes enter their namespace a moment after they start), at most ~1 s. */
async function readUntil(
  read: () => Promise<ResourceReading>,
  done: (r: ResourceReading) => boolean,
): Promise<ResourceReading> {
  let reading = await read();
  for (let i = 0; i < 50 && !done(reading); i++) {
    await systemClock.sleep(20);
    reading = await read();
  }
  return reading;
}

function pidsOf(r: ResourceReading, name: string, scope: 'pod' | 'node' = 'pod'): number[] {
  const group = r.groups.find((g) => g.scope === scope && g.name === name);
  return group?.processes?.map((p) => p.pid) ?? [];
}
