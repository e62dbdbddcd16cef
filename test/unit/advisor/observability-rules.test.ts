import { describe, expect, it } from 'vitest';
import { adviceFor, cluster, decision } from './helpers.js';

describe('observability rules', () => {
  it('hubble-flows-to-grafana (seed-001): Hubble flows into Grafana with the four dashboards on Cilium', () => {
    const r = decision(adviceFor(cluster()), 'observability');
    expect(r.choice).toBe('hubble');
    expect(r.because.join()).toMatch(/service map.*error rates.*latency.*policy denials/);
  });

  it('hubble-flows-to-grafana (seed-001): requests are instrumented in the applications, not the network', () => {
    const r = decision(adviceFor(cluster('needs: { observability: requests }\n')), 'observability');
    expect(r.because.join()).toMatch(/OpenTelemetry/);
  });

  it('retina-for-other-cnis (seed-003): Retina on a production Calico cluster', () => {
    const r = decision(
      adviceFor(cluster('', '  current: { cni: calico, stable: true }\n')),
      'observability',
    );
    expect(r.choice).toBe('retina');
  });

  it('prometheus-grafana-for-dev (seed-000): Prometheus and Grafana for a development cluster', () => {
    const r = decision(
      adviceFor(cluster('needs: { networkPolicy: false }\n', '  purpose: development\n')),
      'observability',
    );
    expect(r.choice).toBe('prometheus-grafana');
  });
});
