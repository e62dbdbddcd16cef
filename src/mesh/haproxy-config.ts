/**
 * HAProxy 2.6 configurations for the three proxy roles (pure: text only, no I/O).
 *
 * The tunnel protocol between node proxies and waypoints stands in for Istio's HBONE (HTTP/2
 * CONNECT inside mTLS): one TLS 1.3 session per application connection to port 15008 of the
 * peer, whose first bytes *inside* the session are a PROXY protocol v2 header carrying the
 * original source address, the original destination and, as the unique-id TLV, the source's
 * SPIFFE ID. Nothing precedes the TLS ClientHello on the wire, so neither the destination port
 * nor the identity travels in cleartext (a PROXY header sent before TLS would, which is the
 * pitfall LAB-FACTS.md records). HAProxy only emits PROXY before TLS on one connection, so the
 * header is produced on an in-process hop: the capturing frontend forwards to an abstract unix
 * socket with `send-proxy-v2`, and a second frontend on that socket, which does not parse PROXY,
 * carries the header as payload into the TLS connection. The receiver does the mirror image:
 * it terminates TLS, checks that the claimed identity equals the peer certificate's, and hands
 * the stream to a frontend with `accept-proxy` over another abstract socket. Each tunnel end
 * therefore costs one extra unix-socket hop that ztunnel does not have; docs/mesh.md says so.
 *
 * Proxies run with no logging: their stderr is a pipe nobody reads during a run, and a full pipe
 * would stall them. Counters come from the stats socket instead.
 */
import type { MtlsMode } from '../spec/dimensions.js';
import { meshPorts, proxyOwnerId } from './interception.js';

/** One workload as a proxy sees it. */
export interface MeshEndpoint {
  pod: string;
  ip: string;
  /** Network namespace of the pod (node proxies open sockets inside it). */
  ns: string;
  spiffeId: string;
  /** PEM with the workload's certificate and key. */
  certFile: string;
}

/** Where a captured connection to `dst` goes: straight to it, or through `via` (a waypoint). */
export interface MeshRoute {
  dst: MeshEndpoint;
  via?: MeshEndpoint;
}

interface CommonOptions {
  concurrency: number;
  statsSocket: string;
  mtls: MtlsMode;
  caFile: string;
}

export interface SidecarConfigOptions extends CommonOptions {
  self: MeshEndpoint;
  /** Meshed destinations; anything else passes through in plaintext. */
  routes: readonly MeshRoute[];
}

export interface NodeProxyConfigOptions extends CommonOptions {
  /** Node name, for comments only. */
  node: string;
  /** Meshed pods on this node, with the routes of their outbound traffic. */
  pods: readonly { self: MeshEndpoint; routes: readonly MeshRoute[] }[];
}

export interface WaypointConfigOptions extends CommonOptions {
  self: MeshEndpoint;
  /** The workloads (services) this waypoint fronts. */
  serves: readonly MeshEndpoint[];
}

/** A name usable as an HAProxy proxy name or abstract socket name. */
function id(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_.-]/g, '-');
}

const tlsParams = 'ssl-min-ver TLSv1.3';

/** Server-side TLS of a listener: our certificate, and the peer must present one from the CA. */
function bindTls(o: CommonOptions, self: MeshEndpoint): string {
  return o.mtls === 'strict'
    ? ` ssl crt ${self.certFile} ca-file ${o.caFile} verify required ${tlsParams}`
    : '';
}

/** Client-side TLS of a server line: our certificate, and the peer must be `peer`. */
function serverTls(o: CommonOptions, self: MeshEndpoint, peer: MeshEndpoint): string {
  return o.mtls === 'strict'
    ? ` ssl crt ${self.certFile} ca-file ${o.caFile} verify required verifyhost ${peer.spiffeId} ${tlsParams}`
    : '';
}

function globalSection(o: CommonOptions, owner: 'uid' | 'gid'): string[] {
  return [
    'global',
    `  nbthread ${o.concurrency}`,
    ...(owner === 'uid' ? [`  uid ${proxyOwnerId}`] : []),
    `  gid ${proxyOwnerId}`,
    `  stats socket ${o.statsSocket} mode 600 level admin`,
    '',
  ];
}

function defaultsSection(mode: 'tcp' | 'http'): string[] {
  return [
    'defaults',
    `  mode ${mode}`,
    '  timeout connect 5s',
    // Longer than any benchmark connection stays idle, so a proxy never cuts one mid-run.
    '  timeout client 300s',
    '  timeout server 300s',
    '  timeout http-keep-alive 300s',
    '',
  ];
}

/**
 * Rules of a tunnel receiver under strict mTLS: wait for the PROXY v2 header (signature, v2
 * PROXY command, TCP over IPv4), then require that the identity it claims (the unique-id TLV,
 * which our senders place first, at byte 28) equals the CN of the verified peer certificate.
 */
function claimCheck(o: CommonOptions): string[] {
  if (o.mtls !== 'strict') return [];
  return [
    '  tcp-request inspect-delay 5s',
    '  tcp-request content reject unless { req.payload(0,14) -m bin 0D0A0D0A000D0A515549540A2111 }',
    '  tcp-request content reject unless { req.payload(28,1) -m bin 05 }',
    '  tcp-request content reject unless { req.payload_lv(29,2) -m found }',
    '  tcp-request content set-var(sess.claimed_id) req.payload_lv(29,2)',
    '  tcp-request content reject unless { ssl_c_s_dn(CN),strcmp(sess.claimed_id) eq 0 }',
  ];
}

/** Sender side of a tunnel: capture stage → abstract socket with PROXY → TLS to the peer. */
function tunnelSender(
  o: CommonOptions,
  name: string,
  self: MeshEndpoint,
  peer: MeshEndpoint,
  mode: 'tcp' | 'http',
  serverNs: string | undefined,
): string[] {
  const ns = serverNs === undefined ? '' : ` namespace ${serverNs}`;
  return [
    `backend ${name}`,
    `  mode ${mode}`,
    `  server wrap abns@${name} send-proxy-v2 proxy-v2-options unique-id`,
    '',
    `frontend ${name}_wrapped`,
    '  mode tcp',
    `  bind abns@${name}`,
    `  default_backend ${name}_tunnel`,
    '',
    `backend ${name}_tunnel`,
    '  mode tcp',
    `  server ${id(peer.pod)} ${peer.ip}:${meshPorts.tunnel}${ns}${serverTls(o, self, peer)}`,
    '',
  ];
}

/** Receiver side of a tunnel: TLS on 15008 → identity check → abstract socket → `accept-proxy`. */
function tunnelReceiver(
  o: CommonOptions,
  name: string,
  self: MeshEndpoint,
  bindNs: string | undefined,
): string[] {
  const ns = bindNs === undefined ? '' : ` namespace ${bindNs}`;
  return [
    `frontend ${name}_tunnel_in`,
    '  mode tcp',
    `  bind 0.0.0.0:${meshPorts.tunnel}${ns}${bindTls(o, self)}`,
    ...claimCheck(o),
    `  default_backend ${name}_unwrap`,
    '',
    `backend ${name}_unwrap`,
    '  mode tcp',
    `  server unwrap abns@${name}_unwrap`,
    '',
  ];
}

function dstAcl(route: MeshRoute): string {
  return `{ dst ${route.dst.ip} }`;
}

/**
 * A sidecar: an L7 proxy inside the pod, uid 1337. Outbound (15001) parses HTTP and opens mTLS
 * straight to the destination pod's address, which that pod's sidecar captures inbound (15006),
 * as Istio's sidecars do: the original destination is the connection's own destination, the
 * source identity is the client certificate, and TLS 1.3 encrypts both certificates.
 */
export function sidecarConfig(o: SidecarConfigOptions): string {
  const lines = [...globalSection(o, 'uid'), ...defaultsSection('http')];
  lines.push('frontend outbound', `  bind 0.0.0.0:${meshPorts.outbound}`);
  for (const r of o.routes) lines.push(`  use_backend ${id('to', r.dst.pod)} if ${dstAcl(r)}`);
  lines.push('  default_backend passthrough', '');
  for (const r of o.routes) {
    lines.push(
      `backend ${id('to', r.dst.pod)}`,
      `  server ${id(r.dst.pod)} 0.0.0.0:0${serverTls(o, o.self, r.dst)}`,
      '',
    );
  }
  lines.push('backend passthrough', '  server original 0.0.0.0:0', '');
  lines.push('frontend inbound', `  bind 0.0.0.0:${meshPorts.inbound}${bindTls(o, o.self)}`);
  if (o.mtls === 'strict') {
    lines.push('  http-request set-header x-forwarded-client-cert "URI=%[ssl_c_s_dn(CN)]"');
  }
  lines.push('  default_backend app', '');
  // No port: the application's port is the captured connection's original destination port.
  lines.push('backend app', '  server app 127.0.0.1 source 127.0.0.6', '');
  return lines.join('\n');
}

/**
 * A node proxy (Istio ambient's ztunnel): one L4 process in the node's namespace, gid 1337,
 * whose listeners sit inside each meshed pod's namespace (HAProxy `namespace`), as ztunnel's
 * in-pod redirection places its sockets. Outbound tunnels also start inside the source pod, so
 * they leave with the pod's address, encrypted before they cross the pod's interface.
 */
export function nodeProxyConfig(o: NodeProxyConfigOptions): string {
  const lines = [
    `# node proxy of ${o.node}`,
    ...globalSection(o, 'gid'),
    ...defaultsSection('tcp'),
  ];
  for (const { self, routes } of o.pods) {
    const p = id(self.pod);
    lines.push(
      `# ---- pod ${self.pod} (${self.ip}, ${self.spiffeId})`,
      `frontend ${p}_outbound`,
      `  bind 0.0.0.0:${meshPorts.outbound} namespace ${self.ns}`,
      `  unique-id-format ${self.spiffeId}`,
    );
    for (const r of routes) lines.push(`  use_backend ${id(p, 'to', r.dst.pod)} if ${dstAcl(r)}`);
    lines.push(
      `  default_backend ${p}_passthrough`,
      '',
      `backend ${p}_passthrough`,
      `  server original 0.0.0.0:0 namespace ${self.ns}`,
      '',
    );
    for (const r of routes) {
      lines.push(...tunnelSender(o, id(p, 'to', r.dst.pod), self, r.via ?? r.dst, 'tcp', self.ns));
    }
    lines.push(
      ...tunnelReceiver(o, p, self, self.ns),
      `frontend ${p}_unwrapped`,
      '  mode tcp',
      `  bind abns@${p}_unwrap accept-proxy`,
      `  default_backend ${p}_app`,
      '',
      `backend ${p}_app`,
      `  server app 127.0.0.1 namespace ${self.ns} source 127.0.0.6`,
      '',
      `frontend ${p}_plain_in`,
      `  bind 0.0.0.0:${meshPorts.inbound} namespace ${self.ns}`,
    );
    // Strict: a plaintext connection from outside the mesh is closed on arrival.
    lines.push(
      o.mtls === 'strict' ? '  tcp-request connection reject' : `  default_backend ${p}_app`,
      '',
    );
  }
  return lines.join('\n');
}

/**
 * A waypoint: an L7 proxy in its own pod in front of the services it serves. It terminates the
 * tunnel from the client's node proxy, parses HTTP, and opens a new tunnel with its own identity
 * to the destination's node proxy, keeping the original destination in the PROXY header.
 */
export function waypointConfig(o: WaypointConfigOptions): string {
  const lines = [...globalSection(o, 'uid'), ...defaultsSection('tcp')];
  lines.push(...tunnelReceiver(o, 'waypoint', o.self, undefined));
  lines.push(
    'frontend l7',
    '  mode http',
    '  bind abns@waypoint_unwrap accept-proxy',
    `  unique-id-format ${o.self.spiffeId}`,
  );
  if (o.mtls === 'strict') {
    lines.push('  http-request set-header x-forwarded-client-cert "URI=%[fc_pp_unique_id]"');
  }
  // A waypoint serves its own services only.
  lines.push(
    `  http-request deny deny_status 403 unless { dst ${o.serves.map((d) => d.ip).join(' ')} }`,
  );
  for (const dst of o.serves) lines.push(`  use_backend ${id('to', dst.pod)} if { dst ${dst.ip} }`);
  lines.push('');
  for (const dst of o.serves) {
    lines.push(...tunnelSender(o, id('to', dst.pod), o.self, dst, 'http', undefined));
  }
  return lines.join('\n');
}
