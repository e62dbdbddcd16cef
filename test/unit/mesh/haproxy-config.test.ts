import { describe, expect, it } from 'vitest';
import {
  nodeProxyConfig,
  sidecarConfig,
  waypointConfig,
  type MeshEndpoint,
} from '../../../src/mesh/haproxy-config.js';

const endpoint = (pod: string, ip: string): MeshEndpoint => ({
  pod,
  ip,
  ns: `nb-abcde-e1-${pod}`,
  spiffeId: `spiffe://cluster.local/ns/default/sa/${pod}`,
  certFile: `/run/netbench/abcde/mesh/certs/${pod}.pem`,
});
const client = endpoint('client', '10.244.1.10');
const server = endpoint('server', '10.244.2.10');
const waypoint = endpoint('waypoint', '10.244.2.11');
const common = { concurrency: 2, statsSocket: '/tmp/x.sock', caFile: '/ca.pem' };

/** The lines of `section` (e.g. "backend to_server"), up to the next blank line. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no "${header}" in\n${config}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim());
}

describe('sidecar configuration', () => {
  const strict = sidecarConfig({
    ...common,
    mtls: 'strict',
    self: client,
    routes: [{ dst: server }],
  });

  it('drops to uid and gid 1337 so the interception rules can exclude its own traffic', () => {
    expect(section(strict, 'global')).toEqual(expect.arrayContaining(['uid 1337', 'gid 1337']));
  });

  it('opens mTLS to the original destination and verifies the destination identity', () => {
    expect(section(strict, 'frontend outbound')).toContain(
      'use_backend to_server if { dst 10.244.2.10 }',
    );
    expect(section(strict, 'backend to_server')).toEqual([
      'server server 0.0.0.0:0 ssl crt /run/netbench/abcde/mesh/certs/client.pem ca-file /ca.pem verify required verifyhost spiffe://cluster.local/ns/default/sa/server ssl-min-ver TLSv1.3',
    ]);
  });

  it('accepts only TLS 1.3 with a certificate from the run CA inbound, and forwards from 127.0.0.6', () => {
    const inbound = section(strict, 'frontend inbound');
    expect(inbound[0]).toBe(
      'bind 0.0.0.0:15006 ssl crt /run/netbench/abcde/mesh/certs/client.pem ca-file /ca.pem verify required ssl-min-ver TLSv1.3',
    );
    expect(section(strict, 'backend app')).toEqual(['server app 127.0.0.1 source 127.0.0.6']);
  });

  it('sends destinations outside the mesh through in plaintext', () => {
    expect(section(strict, 'backend passthrough')).toEqual(['server original 0.0.0.0:0']);
  });

  it('has no TLS anywhere with mTLS off', () => {
    const off = sidecarConfig({ ...common, mtls: 'off', self: client, routes: [{ dst: server }] });
    expect(off).not.toMatch(/\bssl\b|verify|crt /);
    expect(section(off, 'frontend inbound')[0]).toBe('bind 0.0.0.0:15006');
  });
});

describe('node proxy configuration', () => {
  const strict = nodeProxyConfig({
    ...common,
    mtls: 'strict',
    node: 'node1',
    pods: [{ self: client, routes: [{ dst: server }] }],
  });

  it('keeps root (to open sockets in pods) but runs with gid 1337', () => {
    const global = section(strict, 'global');
    expect(global).toContain('gid 1337');
    expect(global.some((l) => l.startsWith('uid'))).toBe(false);
  });

  it("listens inside the pod's namespace, as ztunnel's in-pod redirection does", () => {
    expect(section(strict, 'frontend client_outbound')[0]).toBe(
      'bind 0.0.0.0:15001 namespace nb-abcde-e1-client',
    );
    expect(section(strict, 'frontend client_tunnel_in')[1]).toMatch(
      /^bind 0\.0\.0\.0:15008 namespace nb-abcde-e1-client ssl /,
    );
  });

  it('never sends a PROXY header on a TLS connection: it travels inside the session', () => {
    const lines = strict.split('\n').map((l) => l.trim());
    for (const line of lines.filter((l) => l.includes('send-proxy'))) {
      expect(line).toMatch(/^server wrap abns@\S+ send-proxy-v2 proxy-v2-options unique-id$/);
    }
    // The hop that adds TLS reads the header as payload (no accept-proxy) and forwards it.
    expect(section(strict, 'frontend client_to_server_wrapped')).toEqual([
      'mode tcp',
      'bind abns@client_to_server',
      'default_backend client_to_server_tunnel',
    ]);
    expect(section(strict, 'backend client_to_server_tunnel')[1]).toBe(
      'server server 10.244.2.10:15008 namespace nb-abcde-e1-client ssl crt /run/netbench/abcde/mesh/certs/client.pem ca-file /ca.pem verify required verifyhost spiffe://cluster.local/ns/default/sa/server ssl-min-ver TLSv1.3',
    );
  });

  it('claims the source identity in the tunnel header', () => {
    expect(section(strict, 'frontend client_outbound')).toContain(
      'unique-id-format spiffe://cluster.local/ns/default/sa/client',
    );
  });

  it("rejects a tunnel whose claimed identity differs from the peer certificate's", () => {
    const tunnelIn = section(strict, 'frontend client_tunnel_in');
    expect(tunnelIn).toContain(
      'tcp-request content reject unless { ssl_c_s_dn(CN),strcmp(sess.claimed_id) eq 0 }',
    );
    expect(section(strict, 'frontend client_unwrapped')).toContain(
      'bind abns@client_unwrap accept-proxy',
    );
  });

  it('closes plaintext connections from outside the mesh under strict, forwards them with mTLS off', () => {
    expect(section(strict, 'frontend client_plain_in')).toContain('tcp-request connection reject');
    const off = nodeProxyConfig({
      ...common,
      mtls: 'off',
      node: 'node1',
      pods: [{ self: client, routes: [{ dst: server }] }],
    });
    expect(section(off, 'frontend client_plain_in')).toContain('default_backend client_app');
    expect(off).not.toMatch(/\bssl\b|ssl_c_s_dn/);
  });

  it('tunnels to the waypoint, verifying its identity, when the destination has one', () => {
    const viaWaypoint = nodeProxyConfig({
      ...common,
      mtls: 'strict',
      node: 'node1',
      pods: [{ self: client, routes: [{ dst: server, via: waypoint }] }],
    });
    expect(section(viaWaypoint, 'frontend client_outbound')).toContain(
      'use_backend client_to_server if { dst 10.244.2.10 }',
    );
    expect(section(viaWaypoint, 'backend client_to_server_tunnel')[1]).toMatch(
      /^server waypoint 10\.244\.2\.11:15008 .* verifyhost spiffe:\/\/cluster\.local\/ns\/default\/sa\/waypoint /,
    );
  });
});

describe('waypoint configuration', () => {
  const strict = waypointConfig({ ...common, mtls: 'strict', self: waypoint, serves: [server] });

  it('parses HTTP after the tunnel and passes the verified source identity on', () => {
    const l7 = section(strict, 'frontend l7');
    expect(l7).toEqual(
      expect.arrayContaining([
        'mode http',
        'bind abns@waypoint_unwrap accept-proxy',
        'http-request set-header x-forwarded-client-cert "URI=%[fc_pp_unique_id]"',
        'http-request deny deny_status 403 unless { dst 10.244.2.10 }',
      ]),
    );
  });

  it('opens its own tunnel to the server with the waypoint identity', () => {
    expect(section(strict, 'backend to_server_tunnel')[1]).toBe(
      `server server 10.244.2.10:15008 ssl crt ${waypoint.certFile} ca-file /ca.pem verify required verifyhost spiffe://cluster.local/ns/default/sa/server ssl-min-ver TLSv1.3`,
    );
    expect(section(strict, 'frontend l7')).toContain(
      'unique-id-format spiffe://cluster.local/ns/default/sa/waypoint',
    );
  });
});
