import { describe, expect, it } from 'vitest';
import { adviceFor, cluster, decision, withCluster } from './helpers.js';

const cni = (needs = '', current = '') => decision(adviceFor(cluster(needs, current)), 'cni');

describe('CNI rules', () => {
  it('keep-stable-current-cni (seed-001): keeps a stable Calico the team can debug', () => {
    const r = cni('', '  current: { cni: calico, stable: true }\n');
    expect(r.choice).toBe('keep-current');
    expect(r.rule).toBe('keep-stable-current-cni');
    expect(r.sources.join()).toMatch(/seed-001/);
  });

  it('keep-stable-current-cni (seed-001): does not keep an unstable CNI', () => {
    expect(cni('', '  current: { cni: calico, stable: false }\n').choice).toBe('cilium');
  });

  it('keep-stable-current-cni (seed-001, seed-003): a need forces a move off a stable Flannel or Weave', () => {
    expect(cni('', '  current: { cni: flannel, stable: true }\n').choice).toBe('cilium');
    const weave = cni('', '  current: { cni: weave, stable: true }\n');
    expect(weave.choice).toBe('cilium');
    expect(weave.because.join()).toMatch(/Weave Net is archived/);
  });

  it('calico-for-bgp-or-windows (seed-001): Calico when nodes peer over BGP or Windows nodes run', () => {
    expect(cni('needs: { bgpPeering: true }\n').choice).toBe('calico');
    expect(cni('', '  nodeOS: [linux, windows]\n').choice).toBe('calico');
  });

  it('calico-for-bgp-or-windows (seed-001, seed-003): its eBPF dataplane for Linux-only BGP clusters at scale', () => {
    const bgp = cluster('needs: { bgpPeering: true }\n');
    const big = decision(adviceFor(withCluster(bgp, { services: 4000 })), 'cni');
    expect(big.choice).toBe('calico-ebpf');
  });

  it('flannel-only-for-dev (seed-001, seed-003): Flannel for a dev cluster without NetworkPolicy, never with it', () => {
    const dev = '  purpose: development\n';
    expect(cni('needs: { networkPolicy: false }\n', dev).choice).toBe('flannel');
    expect(cni('needs: { networkPolicy: true }\n', dev).choice).toBe('cilium');
    expect(cni('needs: { networkPolicy: false }\n').choice).toBe('cilium');
  });

  it('cilium-on-modern-kernels (seed-001): Cilium on kernels from 5.10', () => {
    const r = cni();
    expect(r.choice).toBe('cilium');
    expect(r.rule).toBe('cilium-on-modern-kernels');
  });

  it('calico-on-older-kernels (seed-001, seed-000): Calico when a node kernel is older than 5.10', () => {
    const r = decision(adviceFor(withCluster(cluster(), { kernel: '4.19' })), 'cni');
    expect(r.choice).toBe('calico');
    expect(r.rule).toBe('calico-on-older-kernels');
  });
});
