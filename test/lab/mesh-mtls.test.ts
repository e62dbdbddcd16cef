/**
 * Strict mTLS in every mesh model, proved without packet captures: a meshed client gets answers,
 * a plaintext client outside the mesh is refused, the server-side proxy's stats socket counts the
 * TLS sessions it accepted and the connections it refused, the echo server only ever sees the
 * proxy's address, and nftables payload counters on the server's node show that what crossed
 * between the nodes was TLS: no plaintext HTTP, no PROXY header before the handshake.
 */
import type { TopologySpec } from '../../src/topology/topology-spec.js';
import type { MeshFacts } from '../../src/results/facts.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterface } from 'node:readline';
import { createProcessRunner } from '../../src/core/process-runner.js';
import { createRunId } from '../../src/core/run-id.js';
import { silentLogger } from '../../src/core/logger.js';
import { frontendTlsCounters, parseShowStat } from '../../src/mesh/haproxy-stats.js';
import { withMesh } from '../../src/mesh/mesh-topology.js';
import { createLabPlatform } from '../../src/platform/lab/lab-platform.js';
import { haproxyCommand } from '../../src/platform/lab/features/mesh/haproxy-process.js';
import type { Environment, Platform } from '../../src/platform/platform.js';
import type { MeshName, MtlsMode } from '../../src/spec/dimensions.js';
import { assertRoot, namespacesOf } from '../helpers/lab.js';

const serverPort = 8080;

/** A tiny HTTP client run with the node binary inside a pod: n keep-alive GETs, then a report. */
const clientScript = `
const http = require('node:http');
const [url, n, hold] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let ok = 0; const errors = [];
const one = () => new Promise((done) => {
  const req = http.get(url, { agent, timeout: 3000 }, (res) => {
    res.resume();
    res.on('end', () => { if (res.statusCode === 200) ok++; else errors.push('status ' + res.statusCode); done(); });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => { errors.push(e.code || e.message); done(); });
});
(async () => {
  for (let i = 0; i < Number(n); i++) await one();
  console.log(JSON.stringify({ ok, errors }));
  if (hold === 'hold') process.stdin.on('end', () => agent.destroy()).resume();
  else agent.destroy();
})();
`;

interface ClientReport {
  ok: number;
  errors: string[];
}

async function request(env: Environment, pod: string, n: number): Promise<ClientReport> {
  const url = `http://${env.podAddress('server')}:${serverPort}/`;
  const out = await env.exec(pod, {
    kind: 'program',
    argv: [process.execPath, '-e', clientScript, url, String(n)],
  });
  return JSON.parse(out.stdout) as ClientReport;
}

/** Starts a client that keeps its connection open until stopped; resolves once it has answers. */
async function holdingClient(
  env: Environment,
  n: number,
): Promise<{ report: ClientReport; stop(): Promise<void> }> {
  const url = `http://${env.podAddress('server')}:${serverPort}/`;
  const proc = await env.start('client', {
    kind: 'program',
    argv: [process.execPath, '-e', clientScript, url, String(n), 'hold'],
  });
  const lines = createInterface({ input: proc.stdout });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  return {
    report: JSON.parse(first) as ClientReport,
    async stop() {
      proc.stdin.end();
      proc.kill('SIGTERM');
      await proc.exited;
    },
  };
}

/** Peers of the established connections the echo server holds (`ss`, in the server pod). */
async function echoServerPeers(env: Environment): Promise<string[]> {
  const out = await env.exec('server', {
    kind: 'program',
    argv: ['ss', '-Htn', 'state', 'established', `( sport = :${serverPort} )`],
  });
  return out.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).at(-1)?.replace(/:\d+$/, '') ?? '');
}

const probeTable = 'netbench_probe';

/**
 * Payload counters on node2's forward path for packets from the client pod: TLS handshake
 * records, plaintext HTTP requests, and PROXY v2 signatures at the start of a segment.
 */
function probeRules(clientIp: string): string {
  const ports = `{ ${serverPort}, 15008 }`;
  return [
    `table inet ${probeTable} {`,
    '  chain probe {',
    '    type filter hook forward priority 0; policy accept;',
    `    ip saddr ${clientIp} tcp dport ${ports} @ih,0,16 0x1603 counter comment "tls-handshake"`,
    `    ip saddr ${clientIp} tcp dport ${ports} @ih,0,32 0x47455420 counter comment "plaintext-get"`,
    `    ip saddr ${clientIp} tcp dport ${ports} @ih,0,96 0x0d0a0d0a000d0a515549540a counter comment "proxy-header"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

interface NftRule {
  rule?: { comment?: string; expr: { counter?: { packets: number } }[] };
}

async function probeCounts(
  runId: string,
  environment: number,
): Promise<Record<'tls-handshake' | 'plaintext-get' | 'proxy-header', number>> {
  const runner = createProcessRunner();
  const out = await runner.run({
    argv: [
      'ip',
      'netns',
      'exec',
      `nb-${runId}-e${environment}-node2`,
      'nft',
      '-j',
      'list',
      'table',
      'inet',
      probeTable,
    ],
  });
  const counts = { 'tls-handshake': 0, 'plaintext-get': 0, 'proxy-header': 0 };
  for (const item of (JSON.parse(out.stdout) as { nftables: NftRule[] }).nftables) {
    const comment = item.rule?.comment;
    if (comment === undefined || !(comment in counts)) continue;
    const packets = item.rule?.expr.find((e) => e.counter !== undefined)?.counter?.packets ?? 0;
    counts[comment as keyof typeof counts] = packets;
  }
  return counts;
}

async function counters(mesh: MeshFacts, owner: string, frontend: string) {
  const proxy = mesh.proxies.find((p) => p.owner === owner);
  if (proxy === undefined) throw new Error(`no proxy of ${owner}`);
  return frontendTlsCounters(
    parseShowStat(await haproxyCommand(proxy.statsSocket, 'show stat')),
    frontend,
  );
}

/** Cross-node over routed (so node2 forwards what crosses), plus a pod outside the mesh. */
function topology(mesh: MeshName, mtls: MtlsMode): TopologySpec {
  const base = withMesh(
    { mesh, mtls, proxyConcurrency: 1 },
    {
      datapath: 'routed',
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      pods: [
        { name: 'client', node: 'node1' },
        { name: 'server', node: 'node2' },
      ],
    },
  );
  return { ...base, pods: [...base.pods, { name: 'outsider', node: 'node1' }] };
}

/** Where the server side terminates mTLS, and where a plaintext outsider is turned away. */
const expectations = {
  sidecar: { tls: [['server', 'inbound']], refusal: ['server', 'inbound', 'failedHandshakes'] },
  'node-proxy': {
    tls: [['node2', 'server_tunnel_in']],
    refusal: ['node2', 'server_plain_in', 'deniedConnections'],
  },
  'node-proxy+waypoint': {
    tls: [
      ['waypoint', 'waypoint_tunnel_in'],
      ['node2', 'server_tunnel_in'],
    ],
    refusal: ['node2', 'server_plain_in', 'deniedConnections'],
  },
} as const;

describe.each(['sidecar', 'node-proxy', 'node-proxy+waypoint'] as const)(
  'mesh %s with strict mTLS',
  (mode) => {
    const runId = createRunId();
    let platform: Platform;
    let env: Environment;
    let stopServer: () => Promise<void>;

    beforeAll(async () => {
      assertRoot();
      platform = createLabPlatform({
        runner: createProcessRunner(),
        logger: silentLogger,
        runId,
        purpose: `test mesh ${mode}`,
      });
      const t = topology(mode, 'strict');
      expect(platform.unsupported(t)).toBeUndefined();
      env = await platform.deploy(t);
      await createProcessRunner().run({
        argv: ['ip', 'netns', 'exec', `nb-${runId}-e1-node2`, 'nft', '-f', '-'],
        input: probeRules(env.podAddress('client')),
      });
      const server = await env.start('server', {
        kind: 'agent',
        args: ['http-server', '--config', JSON.stringify({ port: serverPort, payloadBytes: 64 })],
      });
      const ready = createInterface({ input: server.stdout });
      await new Promise<void>((resolve) =>
        ready.on('line', (l) => l.includes('ready') && resolve()),
      );
      stopServer = async () => {
        server.kill('SIGTERM');
        await server.exited;
      };
    });

    afterAll(async () => {
      await stopServer?.();
      await env?.teardown();
      await platform?.close();
      expect(await namespacesOf(runId)).toEqual([]);
    });

    it('answers a meshed client while the echo server sees only the proxy address', async () => {
      const held = await holdingClient(env, 20);
      try {
        expect(held.report).toEqual({ ok: 20, errors: [] });
        const peers = await echoServerPeers(env);
        expect(peers.length).toBeGreaterThan(0);
        expect(new Set(peers)).toEqual(new Set(['127.0.0.6']));
      } finally {
        await held.stop();
      }
    });

    it('refuses a plaintext client outside the mesh', async () => {
      const report = await request(env, 'outsider', 3);
      expect(report.ok).toBe(0);
      expect(report.errors).toHaveLength(3);
      const [owner, frontend, counter] = expectations[mode].refusal;
      expect((await counters(env.facts.mesh!, owner, frontend))[counter]).toBeGreaterThanOrEqual(3);
    });

    it('carries meshed traffic as TLS: accepted sessions counted, no cleartext on the wire', async () => {
      for (const [owner, frontend] of expectations[mode].tls) {
        const c = await counters(env.facts.mesh!, owner, frontend);
        expect(c.tlsSessions, `${owner} ${frontend}`).toBeGreaterThanOrEqual(1);
      }
      const wire = await probeCounts(runId, 1);
      expect(wire['tls-handshake']).toBeGreaterThanOrEqual(1);
      expect(wire['plaintext-get']).toBe(0);
      expect(wire['proxy-header']).toBe(0);
    });
  },
);

describe('mesh node-proxy with mTLS off', () => {
  const runId = createRunId();
  let platform: Platform;
  let env: Environment;

  beforeAll(async () => {
    assertRoot();
    platform = createLabPlatform({
      runner: createProcessRunner(),
      logger: silentLogger,
      runId,
      purpose: 'test mesh mtls off',
    });
    env = await platform.deploy(topology('node-proxy', 'off'));
    await createProcessRunner().run({
      argv: ['ip', 'netns', 'exec', `nb-${runId}-e1-node2`, 'nft', '-f', '-'],
      input: probeRules(env.podAddress('client')),
    });
  });

  afterAll(async () => {
    await env?.teardown();
    await platform?.close();
    expect(await namespacesOf(runId)).toEqual([]);
  });

  it('forwards meshed and outside clients in plaintext, the tunnel header visible on the wire', async () => {
    const server = await env.start('server', {
      kind: 'agent',
      args: ['http-server', '--config', JSON.stringify({ port: serverPort, payloadBytes: 64 })],
    });
    try {
      const ready = createInterface({ input: server.stdout });
      await new Promise<void>((resolve) =>
        ready.on('line', (l) => l.includes('ready') && resolve()),
      );
      expect(await request(env, 'client', 5)).toEqual({ ok: 5, errors: [] });
      expect(await request(env, 'outsider', 2)).toEqual({ ok: 2, errors: [] });
      expect(env.facts.mesh?.tlsVersion).toBeNull();
      const c = await counters(env.facts.mesh!, 'node2', 'server_tunnel_in');
      expect(c.connections).toBeGreaterThanOrEqual(1);
      expect(c.tlsSessions).toBe(0);
      // The same probe that finds nothing under strict mTLS sees the cleartext tunnel header here.
      const wire = await probeCounts(runId, 1);
      expect(wire['proxy-header']).toBeGreaterThanOrEqual(1);
      expect(wire['tls-handshake']).toBe(0);
    } finally {
      server.kill('SIGTERM');
      await server.exited;
    }
  });
});
