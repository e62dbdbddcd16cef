import { afterAll, beforeAll, describe, expect } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { createProcessRunner } from '../../src/core/process-runner.js';
import { createRunId } from '../../src/core/run-id.js';
import { topologyFor } from '../../src/matrix/topology.js';
import { bpfNodeDir, readCounters } from '../../src/platform/lab/ebpf/bpf-loader.js';
import { createLabPlatform } from '../../src/platform/lab/lab-platform.js';
import { createLabShell } from '../../src/platform/lab/lab-shell.js';
import { stateDir } from '../../src/platform/lab/lab-state.js';
import { removeLabRun } from '../../src/platform/lab/leftovers.js';
import type { Environment } from '../../src/platform/platform.js';
import {
  defaultDimensions,
  type DatapathName,
  type KubeProxyMode,
  type TrialDimensions,
} from '../../src/spec/dimensions.js';
import { resolveLoad } from '../../src/workload/offered-load.js';
import { httpWorkload } from '../../src/workload/http/http-workload.js';
import { assertRoot, datapathTests, namespacesOf } from '../helpers/lab.js';

const runner = createProcessRunner();
const shell = createLabShell(runner);
const unrelated = 20;
const services = unrelated + 1;

/**
 * What kube-proxy's layouts hold for `services` Services of two endpoints each (see
 * iptables-rules.ts and nftables-rules.ts): the expected read-back, derived from the layout.
 */
const expected: Record<
  'iptables' | 'iptables-legacy' | 'nftables',
  { rules: number; chains: number; mapElements: number }
> = {
  // nat: 3 hooks + 1 KUBE-MARK-MASQ + 3 KUBE-POSTROUTING + the NodePort rule; filter: FORWARD
  // jump + 2 KUBE-FORWARD; per Service: 1 KUBE-SERVICES jump + 1 masquerade mark + 2
  // statistic jumps + 2 rules in each of 2 KUBE-SEP chains.
  iptables: { rules: 11 + 8 * services, chains: 5 + 3 * services, mapElements: 0 },
  'iptables-legacy': { rules: 11 + 8 * services, chains: 5 + 3 * services, mapElements: 0 },
  // 8 rules in 6 fixed chains; per Service: a chain with 2 rules, 2 endpoint chains with 2 each.
  nftables: { rules: 8 + 6 * services, chains: 6 + 3 * services, mapElements: services },
};

const cases: [DatapathName, KubeProxyMode][] = [
  ['bridge', 'iptables'],
  ['bridge', 'iptables-legacy'],
  ['bridge', 'nftables'],
  ['ebpf', 'ebpf'],
];

describe.each(cases)(
  'a ClusterIP Service on the %s datapath, kube-proxy mode %s',
  (datapath, mode) => {
    const runId = createRunId();
    const d: TrialDimensions = {
      ...defaultDimensions(),
      datapath,
      placement: 'via-service',
      kubeProxy: mode,
      services: unrelated,
    };
    const lab = createLabPlatform({
      runner,
      logger: silentLogger,
      runId,
      purpose: 'test services',
    });
    let env: Environment;
    const { skipped, test } = datapathTests(lab, datapath, topologyFor(d));

    beforeAll(async () => {
      assertRoot();
      if (skipped !== undefined) return;
      expect(lab.unsupported(topologyFor(d))).toBeUndefined();
      env = await lab.deploy(topologyFor(d));
    });
    afterAll(async () => {
      await env?.teardown();
      await lab.close();
      await removeLabRun(shell, runId);
      expect(await namespacesOf(runId)).toEqual([]);
    });

    test('sends the client to the ClusterIP, not to a pod', () => {
      expect(env.targetAddress('server', 8080)).toEqual({ host: '10.96.0.10', port: 80 });
      expect(env.targetAddress('client', 8080)).toEqual({
        host: env.podAddress('client'),
        port: 8080,
      });
    });

    test('records the rules as read back from the kernel, and the time to program them', () => {
      const s = env.facts.services!;
      expect(s.proxyMode).toBe(mode);
      expect(s.services).toBe(services);
      expect(s.endpoints).toBe(2 * services);
      expect(s.target).toMatchObject({ clusterIp: '10.96.0.10', endpoints: ['server', 'server2'] });
      expect(s.nodes).toHaveLength(1);
      expect(s.nodes[0]!.programmingMs).toBeGreaterThan(0);
      if (mode === 'ebpf') {
        expect(s.nodes[0]).toMatchObject({ rules: 0, chains: 0, mapElements: 3 * services });
      } else {
        expect(s.nodes[0]).toMatchObject(expected[mode]);
      }
    });

    test('carries HTTP through the Service to both replicas', async () => {
      // Closed loop over 32 fresh connections: each picks a replica at random when it opens
      // (the chance that all 32 pick the same one is 2^-31).
      const dimensions: TrialDimensions = { ...d, rate: 'max', connections: 32 };
      const m = await httpWorkload.run({
        environment: env,
        dimensions,
        load: resolveLoad(dimensions, undefined),
        warmupS: 0.2,
        durationS: 1,
        timeoutS: 1,
        logger: silentLogger,
      });
      expect(m.requests?.completed).toBeGreaterThan(0);
      expect(m.errors).toBe(0);
      if (mode === 'ebpf') {
        const c = await readCounters(runner, bpfNodeDir(stateDir(runId), 1, 'node1'));
        expect(c.serviceNew).toBeGreaterThanOrEqual(32);
        expect(c.reverseNat).toBeGreaterThan(0);
        return;
      }
      // conntrack shows each connection to the ClusterIP with the replica that answered it.
      const ct = await shell.exec(`nb-${runId}-e1-node1`, ['conntrack', '-L', '-d', '10.96.0.10'], {
        allowFailure: true,
      });
      const answered = new Set(
        [...ct.stdout.matchAll(/dport=80 .*?src=(10\.244\.1\.\d+) dst=10\.244\.1\.10/g)].map(
          (x) => x[1],
        ),
      );
      expect([...answered].sort()).toEqual(
        [env.podAddress('server'), env.podAddress('server2')].sort(),
      );
    });
  },
);
