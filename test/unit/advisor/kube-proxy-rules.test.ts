import { describe, expect, it } from 'vitest';
import type { KubeProxyComparison } from '../../../src/advisor/evidence/evidence.js';
import { adviceFor, cluster, decision, noEvidence, withCluster } from './helpers.js';

const onCalico = cluster('', '  current: { cni: calico, stable: true, kubeProxy: iptables }\n');

/** A measured comparison (figures as a services-scale run reports them). */
function comparison(
  services: number,
  change: number,
  verdict: 'significant' | 'within-noise',
): KubeProxyComparison {
  const fig = (value: number) => ({ value, low: value * 0.9, high: value * 1.1, repetitions: 3 });
  return {
    runId: 'svc1',
    services,
    iptablesTrialId: `via-service/iptables/${services}`,
    nftablesTrialId: `via-service/nftables/${services}`,
    workload: 'http1-close',
    iptablesP50Us: fig(400),
    nftablesP50Us: fig(400 * (1 + change)),
    p50Change: { value: change, low: change - 0.05, high: change + 0.05, verdict },
    p99Change: undefined,
  };
}

describe('kube-proxy rules', () => {
  it('ebpf-with-an-ebpf-cni (seed-001, seed-003): the eBPF replacement with Cilium', () => {
    const r = decision(adviceFor(cluster()), 'kubeProxy');
    expect(r.choice).toBe('ebpf');
    expect(r.rule).toBe('ebpf-with-an-ebpf-cni');
  });

  it('iptables-below-scale (seed-003): keeps iptables below 1 000 Services on Calico', () => {
    const r = decision(adviceFor(onCalico), 'kubeProxy');
    expect(r.choice).toBe('iptables');
    expect(r.rule).toBe('iptables-below-scale');
  });

  it('off-iptables-at-scale (seed-003): nftables from 1 000 Services, medium confidence with nothing measured', () => {
    const r = decision(adviceFor(withCluster(onCalico, { services: 1000 })), 'kubeProxy');
    expect(r.choice).toBe('nftables');
    expect(r.confidence).toBe('medium');
  });

  it('off-iptables-at-scale (measurement): cites the comparison at the closest Service count and is high confidence when nftables was faster', () => {
    const evidence = {
      ...noEvidence(),
      kubeProxy: [comparison(1000, -0.1, 'significant'), comparison(10_000, -0.4, 'significant')],
    };
    const r = decision(adviceFor(withCluster(onCalico, { services: 8000 }), evidence), 'kubeProxy');
    expect(r.choice).toBe('nftables');
    expect(r.confidence).toBe('high');
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]!.trialId).toBe('via-service/nftables/10000');
    expect(r.evidence[0]!.value).toBeCloseTo(-40);
  });

  it('off-iptables-at-scale (measurement): low confidence when the run found no difference', () => {
    const evidence = { ...noEvidence(), kubeProxy: [comparison(10_000, 0.01, 'within-noise')] };
    const r = decision(
      adviceFor(withCluster(onCalico, { services: 10_000 }), evidence),
      'kubeProxy',
    );
    expect(r.confidence).toBe('low');
    expect(r.because.join()).toMatch(/not measurably faster/);
  });
});
