import { describe, expect, it } from 'vitest';
import { extractEvidence } from '../../../src/advisor/evidence/evidence.js';
import type { HttpProtocol, KubeProxyMode } from '../../../src/spec/dimensions.js';
import { loadFixture, syntheticRun, type SyntheticTrialSpec } from '../report/fixtures.js';

// SYNTHETIC services-scale cells (seeded log-normal latencies): nftables 40 % faster than iptables
// for new connections at 10k Services, equal at 0; keep-alive cells must be ignored.
async function servicesRun() {
  const cell = (
    services: number,
    kubeProxy: KubeProxyMode,
    protocol: HttpProtocol,
    medianUs: number,
  ): SyntheticTrialSpec => ({
    dimensions: {
      placement: 'via-service',
      workload: 'http',
      protocol,
      services,
      kubeProxy,
      datapath: 'bridge',
    },
    medianUs,
    repetitions: 3,
  });
  return syntheticRun(
    await loadFixture('quick-a'),
    [
      cell(0, 'iptables', 'http1-close', 300),
      cell(0, 'nftables', 'http1-close', 300),
      cell(10_000, 'iptables', 'http1-close', 500),
      cell(10_000, 'nftables', 'http1-close', 300),
      cell(10_000, 'iptables', 'http1', 200),
      cell(10_000, 'nftables', 'http1', 200),
    ],
    21,
    'svc21',
  );
}

describe('kube-proxy evidence (measurement)', () => {
  it('pairs nftables with iptables per Service count, for new connections only', async () => {
    const e = extractEvidence([await servicesRun()]);
    expect(e.kubeProxy.map((k) => [k.services, k.workload])).toEqual([
      [0, 'http1-close'],
      [10_000, 'http1-close'],
    ]);
    const big = e.kubeProxy[1]!;
    expect(big.iptablesTrialId).toBe('via-service/http/http1-close/10000/iptables/bridge');
    expect(big.p50Change.value).toBeLessThan(-0.3);
    expect(big.p50Change.verdict).toBe('significant');
    expect(e.kubeProxy[0]!.p50Change.verdict).toBe('within-noise');
    // Service trials are not datapath evidence.
    expect(e.datapaths).toEqual([]);
  });
});
