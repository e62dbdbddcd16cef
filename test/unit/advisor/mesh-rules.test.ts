import { describe, expect, it } from 'vitest';
import { adviceFor, cluster, decision, withCluster } from './helpers.js';

const mesh = (needs: string, current = '') => decision(adviceFor(cluster(needs, current)), 'mesh');
const onCalico = '  current: { cni: calico, stable: true }\n';

describe('mesh rules', () => {
  it('no-mesh-without-a-need (seed-001, seed-002): no mesh when no mTLS or L7 need is stated', () => {
    const r = mesh('needs: { mtls: none }\n');
    expect(r.choice).toBe('none');
    expect(r.rule).toBe('no-mesh-without-a-need');
    expect(r.switchWhen.join()).toMatch(/mTLS/);
  });

  it('no-mesh-without-a-need (seed-001): under 20 Services says why a mesh is not worth it', () => {
    const small = decision(adviceFor(withCluster(cluster(), { services: 12 })), 'mesh');
    expect(small.because.join()).toMatch(/12 Services \(< 20\)/);
  });

  it('no-mesh-for-partial-mtls-on-small-clusters (seed-001, seed-002): CNI encryption instead of a mesh under 20 Services', () => {
    const req = withCluster(cluster('needs: { mtls: some }\n'), { services: 15 });
    const r = decision(adviceFor(req), 'mesh');
    expect(r.choice).toBe('none');
    expect(r.rule).toBe('no-mesh-for-partial-mtls-on-small-clusters');
    // From 20 Services on, the same need gets a mesh.
    expect(mesh('needs: { mtls: some }\n', onCalico).choice).not.toBe('none');
  });

  it('sidecar-only-for-per-pod-l7 (seed-002): sidecars only when every pod needs its own L7 proxy', () => {
    expect(mesh('needs: { perPodL7: true }\n', onCalico).choice).toBe('linkerd');
    expect(mesh('needs: { perPodL7: true, l7Policy: auditable }\n', onCalico).choice).toBe(
      'istio-sidecar',
    );
    expect(mesh('needs: { mtls: all, l7Traffic: true }\n', onCalico).choice).not.toMatch(
      /sidecar|linkerd/,
    );
  });

  it('istio-ambient-for-auditable-l7 (seed-001): Istio ambient for auditable L7, on top of Cilium', () => {
    const r = mesh('needs: { mtls: all, l7Policy: auditable }\n');
    expect(r.choice).toBe('istio-ambient');
    expect(r.rule).toBe('istio-ambient-for-auditable-l7');
    expect(r.because.join()).toMatch(/on top of Cilium/);
  });

  it('cilium-mesh-on-cilium (seed-001, seed-003): Cilium mesh when the CNI is Cilium and L7 is basic', () => {
    const r = mesh('needs: { mtls: all, l7Policy: basic }\n');
    expect(r.choice).toBe('cilium-mesh');
    expect(r.rule).toBe('cilium-mesh-on-cilium');
  });

  it('linkerd-for-small-teams (seed-002, seed-000): Linkerd for a low-capacity team off Cilium', () => {
    const r = mesh('needs: { mtls: all }\nteam: { capacity: low }\n', onCalico);
    expect(r.choice).toBe('linkerd');
    expect(r.rule).toBe('linkerd-for-small-teams');
  });

  it('istio-ambient-by-default (seed-003): Istio ambient for other mesh needs off Cilium', () => {
    const r = mesh('needs: { mtls: all }\n', onCalico);
    expect(r.choice).toBe('istio-ambient');
    expect(r.rule).toBe('istio-ambient-by-default');
  });

  it('without measurements a mesh choice names the published prior and is not high confidence (seed-002 §8.2)', () => {
    const r = mesh('needs: { mtls: all }\n', onCalico);
    expect(r.because.join()).toMatch(/\+8% \(a prior/);
    expect(r.sources.join()).toMatch(/seed-002 \(§8.2/);
    expect(r.confidence).not.toBe('high');
  });
});
