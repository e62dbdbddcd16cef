import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frontendTlsCounters, parseShowStat } from '../../../src/mesh/haproxy-stats.js';

// `show stat` captured from HAProxy 2.6.12 after one meshed request (test/unit/mesh/fixtures).
const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('HAProxy show stat', () => {
  it("reads a node proxy's tunnel frontend: one connection, one TLS session, nothing refused", () => {
    const rows = parseShowStat(fixture('show-stat-node-proxy.csv'));
    expect(frontendTlsCounters(rows, 'server_tunnel_in')).toEqual({
      connections: 1,
      tlsSessions: 1,
      failedHandshakes: 0,
      deniedConnections: 0,
    });
    expect(frontendTlsCounters(rows, 'server_plain_in').connections).toBe(0);
  });

  it("reads a sidecar's inbound frontend", () => {
    const rows = parseShowStat(fixture('show-stat-sidecar.csv'));
    expect(frontendTlsCounters(rows, 'inbound').tlsSessions).toBe(1);
  });

  it('names a frontend that does not exist', () => {
    const rows = parseShowStat(fixture('show-stat-sidecar.csv'));
    expect(() => frontendTlsCounters(rows, 'nope')).toThrow('no frontend "nope"');
  });

  it('refuses text that is not show stat output', () => {
    expect(() => parseShowStat('Unknown command\n')).toThrow(/no "# pxname/);
  });
});
