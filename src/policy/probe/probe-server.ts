/**
 * The destination side of `policy verify`, run in a pod by the netbench agent: accepts TCP
 * connections and echoes UDP datagrams on the probed ports, and (with socat) records crafted
 * SCTP probes arriving on a raw socket. Effects live here, not in the evaluator.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { RunningProcess } from '../../core/process-runner.js';
import { createProcessRunner } from '../../core/process-runner.js';
import { parseSctpProbe, sctpProbeBytes, sctpProtocolNumber } from './sctp-packet.js';

export interface ProbeServerOptions {
  tcpPorts: readonly number[];
  udpPorts: readonly number[];
  /** Listen for crafted SCTP probes on a raw socket (needs socat and CAP_NET_RAW). */
  sctp: boolean;
  onSctpProbe: (id: number, port: number) => void;
}

export interface ProbeServer {
  counts(): { tcpAccepted: number; udpEchoed: number; sctpReceived: number };
  close(): Promise<void>;
}

export async function startProbeServer(o: ProbeServerOptions): Promise<ProbeServer> {
  let tcpAccepted = 0;
  let udpEchoed = 0;
  let sctpReceived = 0;
  const tcp: Server[] = [];
  const udp: Socket[] = [];
  for (const port of o.tcpPorts) {
    const server = createServer((socket) => {
      tcpAccepted += 1;
      socket.on('error', () => undefined);
      socket.end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '0.0.0.0', () => resolve());
    });
    tcp.push(server);
  }
  for (const port of o.udpPorts) {
    const socket = createSocket('udp4');
    socket.on('message', (msg, from) => {
      udpEchoed += 1;
      socket.send(msg, from.port, from.address);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '0.0.0.0', () => resolve());
    });
    udp.push(socket);
  }
  let raw: RunningProcess | undefined;
  if (o.sctp) {
    // socat prints each datagram's payload (the SCTP packet, IP header stripped) on stdout.
    raw = await createProcessRunner().start({
      argv: ['socat', '-u', `IP4-RECV:${sctpProtocolNumber}`, '-'],
    });
    let pending = Buffer.alloc(0);
    raw.stdout.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= sctpProbeBytes) {
        const probe = parseSctpProbe(pending.subarray(0, sctpProbeBytes));
        pending = pending.subarray(sctpProbeBytes);
        if (probe === undefined) continue;
        sctpReceived += 1;
        o.onSctpProbe(probe.id, probe.port);
      }
    });
  }
  return {
    counts: () => ({ tcpAccepted, udpEchoed, sctpReceived }),
    async close() {
      raw?.kill('SIGTERM');
      await Promise.all([
        ...tcp.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
        ...udp.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
        raw?.exited,
      ]);
    },
  };
}
