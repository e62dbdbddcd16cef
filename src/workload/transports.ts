/** Every transport of the request engine, one per `kind` of TransportConfig (compile-checked). */
import type { TransportConfig } from '../agent/agent-protocol.js';
import type { Transport } from './engine/transport.js';
import { openH2Transport } from './http/h2-transport.js';
import { openHttp1Transport } from './http/http1-transport.js';
import { openTcpTransport } from './tcp/tcp-transport.js';

type Opener<K extends TransportConfig['kind']> = (
  config: Extract<TransportConfig, { kind: K }>,
  timeoutS: number,
) => Transport;

const transports: { [K in TransportConfig['kind']]: Opener<K> } = {
  http1: (c, timeoutS) => openHttp1Transport({ ...c, timeoutS }),
  h2c: (c, timeoutS) => openH2Transport({ ...c, timeoutS }),
  tcp: (c, timeoutS) => openTcpTransport({ ...c, timeoutS }),
};

const engines: { [K in TransportConfig['kind']]: string } = {
  http1: 'netbench-undici',
  h2c: 'netbench-http2',
  tcp: 'netbench-tcp',
};

/** What produced the figures, as recorded in results.json (`engine`). */
export function engineOf(config: TransportConfig): string {
  return engines[config.kind];
}

export function openTransport(config: TransportConfig, timeoutS: number): Transport {
  return (transports[config.kind] as Opener<TransportConfig['kind']>)(config, timeoutS);
}

/** The connections of `config` split into `parts` shares as even as possible (none empty). */
export function splitTransport(config: TransportConfig, parts: number): TransportConfig[] {
  const n = Math.min(parts, config.connections);
  return Array.from({ length: n }, (_, i) => ({
    ...config,
    connections: Math.floor(config.connections / n) + (i < config.connections % n ? 1 : 0),
  }));
}
