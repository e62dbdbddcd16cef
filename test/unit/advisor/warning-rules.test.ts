import { describe, expect, it } from 'vitest';
import { adviceFor, cluster, noEvidence } from './helpers.js';

const codes = (needs: string, current: string) =>
  adviceFor(cluster(needs, current)).warnings.map((w) => w.code);

describe('warning rules', () => {
  it('weave-archived (seed-003): warns a cluster on Weave Net', () => {
    expect(codes('', '  current: { cni: weave }\n')).toContain('weave-archived');
  });

  it('flannel-ignores-network-policy (seed-003): warns when policies are needed on Flannel, not when they are not', () => {
    expect(codes('needs: { networkPolicy: true }\n', '  current: { cni: flannel }\n')).toContain(
      'flannel-ignores-network-policy',
    );
    expect(
      codes('needs: { networkPolicy: false }\n', '  current: { cni: flannel }\n'),
    ).not.toContain('flannel-ignores-network-policy');
  });

  it('ingress-nginx-retired (seed-003): warns a cluster on Ingress NGINX', () => {
    expect(codes('', '  current: { ingress: ingress-nginx }\n')).toContain('ingress-nginx-retired');
    expect(codes('', '  current: { ingress: gateway-api }\n')).not.toContain(
      'ingress-nginx-retired',
    );
  });

  it('mesh-without-a-need (seed-001): warns a cluster running a mesh it has no stated need for', () => {
    expect(codes('', '  current: { mesh: istio-sidecar }\n')).toContain('mesh-without-a-need');
  });

  it('mesh-breaks-cpu-budget (cost model): warns when the chosen mesh needs more proxy CPU than budgeted', () => {
    const w = adviceFor(
      cluster(
        'needs: { perPodL7: true, l7Policy: auditable }\nbudget: { proxyCpu: 1 }\n',
        '  requestsPerSecond: 20k\n  current: { cni: calico, stable: true }\n',
      ),
      noEvidence(),
    ).warnings.find((x) => x.code === 'mesh-breaks-cpu-budget');
    expect(w?.message).toMatch(/istio-sidecar's proxies would use 8.0 vCPU/);
  });

  it('evidence-contradicts-default (measurement): warns when nftables was slower than iptables at scale', () => {
    const fig = (value: number) => ({ value, low: value, high: value, repetitions: 3 });
    const evidence = {
      ...noEvidence(),
      kubeProxy: [
        {
          runId: 'svc',
          services: 10_000,
          iptablesTrialId: 'ipt',
          nftablesTrialId: 'nft',
          workload: 'tcp-crr',
          iptablesP50Us: fig(300),
          nftablesP50Us: fig(360),
          p50Change: { value: 0.2, low: 0.1, high: 0.3, verdict: 'significant' as const },
          p99Change: undefined,
        },
      ],
    };
    const advice = adviceFor(cluster(), evidence);
    const w = advice.warnings.find((x) => x.code === 'evidence-contradicts-default');
    expect(w?.evidence[0]?.trialId).toBe('nft');
  });
});
