import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createProcessRunner } from '../../src/core/process-runner.js';
import { createRunId } from '../../src/core/run-id.js';
import { topologyFor } from '../../src/matrix/topology.js';
import { planLayout } from '../../src/platform/lab/addressing.js';
import { cniNetworkFor } from '../../src/platform/lab/cni/cni-config.js';
import { createCniRuntime, type CniAttachment } from '../../src/platform/lab/cni/cni-runtime.js';
import { netnsPath } from '../../src/platform/lab/cni/pod-wiring.js';
import { createLabPlatform } from '../../src/platform/lab/lab-platform.js';
import { createLabShell } from '../../src/platform/lab/lab-shell.js';
import { removeLabRun } from '../../src/platform/lab/leftovers.js';
import { defaultDimensions } from '../../src/spec/dimensions.js';
import { assertRoot, namespacesOf } from '../helpers/lab.js';

const runner = createProcessRunner();
const shell = createLabShell(runner);

describe('netbench as a CNI runtime, with the real reference plugins', () => {
  const runId = createRunId();
  const layout = planLayout(runId, 1, {
    datapath: 'bridge',
    nodes: [{ name: 'node1' }],
    pods: [{ name: 'client', node: 'node1' }],
  });
  const node = layout.nodes[0]!;
  const pod = layout.pods[0]!;
  let dir: string;
  let network: ReturnType<typeof cniNetworkFor>;
  let runtime: ReturnType<typeof createCniRuntime>;
  const attachment = (over: Partial<CniAttachment> = {}): CniAttachment => ({
    nodeNs: node.ns,
    pod: pod.name,
    containerId: pod.ns,
    netnsPath: netnsPath(pod.ns),
    ifName: 'eth0',
    args: `IgnoreUnknown=1;IP=${pod.ip}`,
    ...over,
  });

  beforeAll(async () => {
    assertRoot();
    dir = await mkdtemp(join(tmpdir(), 'nb-cni-'));
    network = cniNetworkFor({ main: 'bridge', node, mtu: 1500, ipamDataDir: join(dir, 'ipam') });
    runtime = createCniRuntime({ shell, clock: systemClock, cacheDir: join(dir, 'results') });
    await shell.ipBatch(undefined, [`netns add ${node.ns}`, `netns add ${pod.ns}`]);
  });
  afterAll(async () => {
    await removeLabRun(shell, runId);
    expect(await namespacesOf(runId)).toEqual([]);
  });

  it('refuses CHECK before ADD: CHECK needs the cached result as prevResult', async () => {
    await expect(runtime.check(network, attachment())).rejects.toMatchObject({
      code: 'NB_LAB_CNI_FAILED',
      message: expect.stringContaining('CHECK needs prevResult') as string,
    });
  });

  it("surfaces the plugin's own error message when it fails", async () => {
    const missing = attachment({ netnsPath: '/var/run/netns/nb-no-such-pod' });
    await expect(runtime.add(network, missing)).rejects.toMatchObject({
      code: 'NB_LAB_CNI_FAILED',
      exitCode: 4,
      message: expect.stringMatching(
        /CNI plugin "bridge" ADD for pod client failed with CNI error \d+: failed to open netns "\/var\/run\/netns\/nb-no-such-pod"/,
      ) as string,
    });
  });

  it('runs ADD, CHECK and DEL: the pod gets its address, and DEL removes the host veth', async () => {
    const { result } = await runtime.add(network, attachment());
    expect(result.ips?.[0]?.address).toBe(`${pod.ip}/24`);
    await runtime.check(network, attachment());
    const links = async () =>
      (JSON.parse((await shell.ip(node.ns, ['-j', 'link', 'show'])).stdout) as { ifname: string }[])
        .map((l) => l.ifname)
        .filter((n) => n.startsWith('veth'));
    expect(await links()).toHaveLength(1);
    const lo = await shell.ip(pod.ns, ['-j', 'link', 'show', 'lo']);
    // The bridge plugin leaves lo down; the chained loopback plugin brought it up.
    expect((JSON.parse(lo.stdout) as { flags: string[] }[])[0]?.flags).toContain('UP');
    await runtime.del(network, attachment());
    expect(await links()).toEqual([]);
  });
});

describe('missing CNI plugin binaries', () => {
  const runId = createRunId();
  beforeAll(assertRoot);
  afterAll(async () => {
    await removeLabRun(shell, runId);
  });

  it('fail with the Debian package to install, and leave nothing behind', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'nb-nocni-'));
    const lab = createLabPlatform({
      runner,
      logger: silentLogger,
      runId,
      purpose: 'test missing cni',
      cniBinDir: empty,
    });
    await expect(lab.deploy(topologyFor(defaultDimensions()))).rejects.toMatchObject({
      code: 'NB_LAB_CNI_MISSING',
      exitCode: 4,
      message: `CNI plugin "bridge" was not found in ${empty}`,
      hint: expect.stringContaining('apt-get install containernetworking-plugins') as string,
    });
    expect(await namespacesOf(runId)).toEqual([]);
    await lab.close();
  });
});
