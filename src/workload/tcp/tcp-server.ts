/**
 * The server of the tcp-crr workload (and of the Node engine's rr mode): answers every N-byte
 * message with N bytes; in `crr` mode it then closes the connection (server-first close, as
 * netperf's TCP_CRR server does), so TIME_WAIT stays on this side.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Bytes } from '../../core/units.js';
import type { TcpMode } from './tcp-transport.js';

export interface TcpServerOptions {
  port: number;
  host?: string;
  mode: TcpMode;
  messageBytes: Bytes;
}

export interface TcpServer {
  readonly port: number;
  /** Transactions answered so far. */
  served(): number;
  close(): Promise<void>;
}

export async function startTcpServer(o: TcpServerOptions): Promise<TcpServer> {
  const response = Buffer.alloc(o.messageBytes, 'r');
  const open = new Set<Socket>();
  let served = 0;
  const server: Server = createServer({ noDelay: true }, (socket) => {
    open.add(socket);
    let got = 0;
    socket.on('data', (chunk: Buffer) => {
      got += chunk.length;
      while (got >= o.messageBytes) {
        got -= o.messageBytes;
        served += 1;
        if (o.mode === 'crr') {
          socket.end(response);
          return;
        }
        socket.write(response);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => open.delete(socket));
  });
  // A deep accept queue: connection-per-request load arrives in bursts.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: o.port, host: o.host ?? '0.0.0.0', backlog: 4096 }, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
