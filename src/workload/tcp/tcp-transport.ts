/**
 * TCP slots for the request engine, netperf-style: `crr` opens a connection, sends one N-byte
 * request, reads the N-byte response and closes (TCP_CRR: the handshake and teardown are part
 * of every transaction); `rr` keeps one connection per slot and ping-pongs N bytes on it
 * (TCP_RR). The server closes first in `crr`, so TIME_WAIT lands on the server's side and the
 * client's ephemeral ports are never exhausted at high connection rates.
 */
import { connect, type Socket } from 'node:net';
import type { EngineSlot, SlotOutcome } from '../engine/open-loop.js';
import type { Transport } from '../engine/transport.js';
import { unreachable } from '../engine/transport.js';

export type TcpMode = 'rr' | 'crr';

export interface TcpTransportOptions {
  host: string;
  port: number;
  mode: TcpMode;
  connections: number;
  /** Request and response size. */
  messageBytes: number;
  timeoutS: number;
}

export function openTcpTransport(o: TcpTransportOptions): Transport {
  const request = Buffer.alloc(o.messageBytes, 'q');
  const timeoutMs = Math.round(o.timeoutS * 1000);
  const sockets: Socket[] = [];

  const crrSlot: EngineSlot = {
    send(done) {
      let got = 0;
      let settled = false;
      const settle = (outcome: SlotOutcome): void => {
        if (settled) return;
        settled = true;
        done(outcome);
      };
      const socket = connect({ host: o.host, port: o.port, noDelay: true });
      socket.setTimeout(timeoutMs, () => {
        settle({ ok: false, kind: 'timeout', timeout: true, bytes: got });
        socket.destroy();
      });
      socket.once('connect', () => socket.write(request));
      socket.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= o.messageBytes) settle({ ok: true, bytes: got });
      });
      // The server ends the connection after its response; allowHalfOpen is off, so the socket
      // answers with its own FIN and closes.
      socket.on('end', () => {
        if (got < o.messageBytes) {
          settle({ ok: false, kind: 'short_response', timeout: false, bytes: got });
        }
      });
      socket.on('error', (error: Error & { code?: string }) => {
        settle({ ok: false, kind: error.code ?? error.name, timeout: false, bytes: got });
      });
    },
  };

  const rrSlot = (index: number): EngineSlot => {
    let pending: ((outcome: SlotOutcome) => void) | undefined;
    let got = 0;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: SlotOutcome): void => {
      const p = pending;
      pending = undefined;
      if (timer !== undefined) clearTimeout(timer);
      p?.(outcome);
    };
    const attach = (socket: Socket): void => {
      socket.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= o.messageBytes) {
          const bytes = got;
          got = 0;
          settle({ ok: true, bytes });
        }
      });
      socket.on('error', (error: Error & { code?: string }) => {
        settle({ ok: false, kind: error.code ?? error.name, timeout: false, bytes: got });
      });
      socket.on('close', () => {
        settle({ ok: false, kind: 'connection_closed', timeout: false, bytes: got });
      });
    };
    return {
      send(done) {
        const socket = sockets[index];
        if (socket === undefined || socket.destroyed) {
          done({ ok: false, kind: 'connection_closed', timeout: false });
          return;
        }
        if (!socket.listenerCount('data')) attach(socket);
        pending = done;
        got = 0;
        timer = setTimeout(() => {
          // A lost response leaves the stream out of step: drop the connection.
          settle({ ok: false, kind: 'timeout', timeout: true, bytes: got });
          socket.destroy();
        }, timeoutMs);
        socket.write(request);
      },
    };
  };

  const slots: EngineSlot[] =
    o.mode === 'crr'
      ? Array.from({ length: o.connections }, () => crrSlot)
      : Array.from({ length: o.connections }, (_, i) => rrSlot(i));

  const once = (slot: EngineSlot): Promise<void> =>
    new Promise((resolve, reject) => {
      slot.send((outcome) => (outcome.ok ? resolve() : reject(new Error(outcome.kind))));
    });

  return {
    slots,
    async prime() {
      try {
        if (o.mode === 'rr') {
          for (let i = 0; i < o.connections; i++) {
            const socket = connect({ host: o.host, port: o.port, noDelay: true });
            sockets.push(socket);
            await new Promise<void>((resolve, reject) => {
              socket.once('connect', () => resolve());
              socket.once('error', reject);
            });
          }
        }
        await Promise.all(slots.map(once));
      } catch (error) {
        throw unreachable(`the TCP server at ${o.host}:${o.port}`, error);
      }
    },
    close() {
      for (const s of sockets) s.destroy();
      return Promise.resolve();
    },
  };
}
