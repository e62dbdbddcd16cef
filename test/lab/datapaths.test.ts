import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { createProcessRunner } from '../../src/core/process-runner.js';
import { createRunId } from '../../src/core/run-id.js';
import { topologyFor } from '../../src/matrix/topology.js';
import { createLabPlatform } from '../../src/platform/lab/lab-platform.js';
import { createLabShell } from '../../src/platform/lab/lab-shell.js';
import { removeLabRun } from '../../src/platform/lab/leftovers.js';
import { readCounters, bpfNodeDir } from '../../src/platform/lab/ebpf/bpf-loader.js';
import { stateDir } from '../../src/platform/lab/lab-state.js';
import type { Environment } from '../../src/platform/platform.js';
import {
  defaultDimensions,
  type DatapathName,
  type PlacementName,
  type TrialDimensions,
} from '../../src/spec/dimensions.js';
import { resolveLoad } from '../../src/workload/offered-load.js';
import { httpWorkload } from '../../src/workload/http/http-workload.js';
import { assertRoot, datapathTests, namespacesOf } from '../helpers/lab.js';

const runner = createProcessRunner();
const shell = createLabShell(runner);
const runIds: string[] = [];

/** Pings from the client to the server with Don't Fragment set; true when a reply came back. */
async function dfPing(env: Environment, payloadBytes: number): Promise<boolean> {
  const out = await env.exec(
    'client',
    {
      kind: 'program',
      argv: [
        'ping',
        '-M',
        'do',
        '-c',
        '1',
        '-W',
        '2',
        '-s',
        String(payloadBytes),
        env.podAddress('server'),
      ],
    },
    { allowFailure: true },
  );
  return out.exitCode === 0;
}

/** A short real trial: open-loop HTTP for one second, as `netbench run` would measure it. */
async function shortTrial(env: Environment, d: TrialDimensions) {
  const dimensions: TrialDimensions = { ...d, rate: 200, connections: 2 };
  return httpWorkload.run({
    environment: env,
    dimensions,
    load: resolveLoad(dimensions, undefined),
    warmupS: 0.2,
    durationS: 1,
    timeoutS: 1,
    logger: silentLogger,
  });
}

const cases: [DatapathName, PlacementName][] = [
  ['host', 'same-node'],
  ['host', 'cross-node'],
  ['bridge', 'same-node'],
  ['vxlan', 'cross-node'],
  ['routed', 'cross-node'],
  ['routed-bgp', 'cross-node'],
  ['ebpf', 'same-node'],
  ['ebpf', 'cross-node'],
];

describe.each(cases)('the %s datapath, %s', (datapath, placement) => {
  const runId = createRunId();
  runIds.push(runId);
  const d: TrialDimensions = { ...defaultDimensions(), datapath, placement };
  const lab = createLabPlatform({ runner, logger: silentLogger, runId, purpose: 'test datapaths' });
  let env: Environment;
  const { skipped, test } = datapathTests(lab, datapath, topologyFor(d));

  beforeAll(async () => {
    assertRoot();
    if (skipped !== undefined) return;
    const why = lab.unsupported(topologyFor(d));
    expect(why, `the lab refuses ${datapath} here`).toBeUndefined();
    env = await lab.deploy(topologyFor(d));
  });
  afterAll(async () => {
    await env?.teardown();
    await lab.close();
  });

  test('carries a short HTTP trial without errors', async () => {
    const m = await shortTrial(env, d);
    expect(m.requests?.completed).toBeGreaterThan(0);
    expect(m.errors).toBe(0);
    expect(m.timeouts).toBe(0);
  });

  test("passes a Don't-Fragment packet of the path MTU and refuses one byte more", async () => {
    const mtu = env.facts.podMtu;
    if (datapath === 'host' && placement === 'same-node') {
      // Host-network processes of one node talk over lo; its 64 KiB MTU exceeds any ping.
      expect(mtu).toBe(65536);
      expect(await dfPing(env, 1472)).toBe(true);
      return;
    }
    expect(mtu).toBe(datapath === 'vxlan' ? 1450 : 1500);
    expect(await dfPing(env, mtu - 28)).toBe(true);
    expect(await dfPing(env, mtu - 27)).toBe(false);
  });

  test('records what the datapath really was', async () => {
    const f = env.facts;
    expect(f.datapath).toBe(datapath);
    expect(f.underlayMtu).toBe(1500);
    const peerRoute = f.routes.find((r) => r.node === 'node1' && r.destination === '10.244.2.0/24');
    switch (datapath) {
      case 'host':
        expect(f.cni).toBeUndefined();
        expect(f.routes.some((r) => r.destination.startsWith('10.244.'))).toBe(false);
        break;
      case 'bridge':
        expect(f.cni?.plugins).toEqual(['bridge', 'loopback']);
        expect(f.cni?.pods.every((p) => p.checked && p.hostInterface.startsWith('veth'))).toBe(
          true,
        );
        break;
      case 'vxlan':
        expect(f.encapsulation).toBe('vxlan');
        expect(peerRoute).toMatchObject({ device: 'flannel.1', origin: 'static' });
        break;
      case 'routed':
        expect(peerRoute).toMatchObject({ via: '172.31.0.2', device: 'eth0', origin: 'static' });
        break;
      case 'routed-bgp': {
        expect(f.bgp?.sessions).toHaveLength(2);
        expect(f.bgp?.sessions.every((s) => s.state === 'Established')).toBe(true);
        expect(f.bgp?.asn).toBe(64512);
        expect(f.bgp?.routesLearned).toBe(2);
        // Learned, never configured: the only routes to peers come from BIRD.
        expect(peerRoute).toMatchObject({ via: '172.31.0.2', origin: 'bgp', protocol: 'bird' });
        expect(f.routes.filter((r) => r.origin === 'static')).toEqual([]);
        break;
      }
      case 'ebpf': {
        expect(f.cni?.plugins).toEqual(['ptp', 'loopback']);
        expect(f.ebpf?.probe.redirectPeer).toBeGreaterThan(0);
        if (placement === 'cross-node') {
          expect(f.ebpf?.probe.redirectNeigh).toBeGreaterThan(0);
          expect(f.ebpf?.attachments).toContainEqual({
            node: 'node1',
            device: 'eth0',
            program: 'from_netdev',
          });
        }
        // The trial's packets went through the programs too, not around them.
        const c = await readCounters(runner, bpfNodeDir(stateDir(runId), 1, 'node1'));
        expect(c.redirectPeer + c.redirectNeigh).toBeGreaterThan(100);
        expect(c.dropped).toBe(0);
        break;
      }
      default:
        throw new Error(`no expectations for ${String(datapath)}`);
    }
  });
});

describe('the bandwidth limit', () => {
  const runId = createRunId();
  runIds.push(runId);
  const lab = createLabPlatform({ runner, logger: silentLogger, runId, purpose: 'test bandwidth' });

  beforeAll(assertRoot);
  afterAll(async () => {
    await lab.close();
  });

  it('shapes every pod through the chained CNI bandwidth plugin, checked by CHECK', async () => {
    const env = await lab.deploy(topologyFor({ ...defaultDimensions(), bandwidth: 50e6 }));
    try {
      expect(env.facts.cni?.plugins).toEqual(['bridge', 'bandwidth', 'loopback']);
      expect(env.facts.cni?.pods.every((p) => p.checked)).toBe(true);
      const client = env.facts.cni!.pods.find((p) => p.pod === 'client')!;
      const out = await runner.run({
        argv: [
          'tc',
          '-n',
          `nb-${runId}-e1-node1`,
          '-j',
          'qdisc',
          'show',
          'dev',
          client.hostInterface,
        ],
      });
      const tbf = (JSON.parse(out.stdout) as { kind: string; options: { rate?: number } }[]).find(
        (q) => q.kind === 'tbf',
      );
      // tc reports the rate in bytes per second.
      expect(tbf?.options.rate).toBe(50e6 / 8);
    } finally {
      await env.teardown();
    }
  });
});

afterAll(async () => {
  for (const id of runIds) {
    await removeLabRun(shell, id);
    expect(await namespacesOf(id)).toEqual([]);
  }
});
