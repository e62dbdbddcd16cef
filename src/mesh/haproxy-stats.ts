/**
 * Reading HAProxy's `show stat` (pure): the CSV the stats socket prints, turned into rows keyed
 * by column name, and the TLS counters of one frontend. `ssl_sess` counts TLS sessions the
 * frontend accepted and `ssl_failed_handshake` the ones it refused, so a test can prove that
 * meshed traffic crossed as TLS without capturing packets.
 */

export type StatRow = Record<string, string>;

export function parseShowStat(csv: string): StatRow[] {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const headerLine = lines.find((l) => l.startsWith('# '));
  if (headerLine === undefined) throw new Error('not `show stat` output: no "# pxname,…" header');
  const header = headerLine.slice(2).split(',');
  return lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => {
      const cells = l.split(',');
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    });
}

export interface FrontendTlsCounters {
  /** Connections the frontend accepted (TLS or not). */
  connections: number;
  /** TLS sessions established (full handshakes and resumptions). */
  tlsSessions: number;
  /** TLS handshakes that failed: plaintext clients, unknown CAs, bad certificates. */
  failedHandshakes: number;
  /** Connections closed by `tcp-request connection reject` (strict plaintext refusal). */
  deniedConnections: number;
}

export function frontendTlsCounters(
  rows: readonly StatRow[],
  frontend: string,
): FrontendTlsCounters {
  const row = rows.find((r) => r.pxname === frontend && r.svname === 'FRONTEND');
  if (row === undefined) throw new Error(`no frontend "${frontend}" in show stat`);
  const n = (k: string): number => {
    const v = Number(row[k] ?? '');
    return Number.isFinite(v) ? v : 0;
  };
  return {
    connections: n('conn_tot'),
    tlsSessions: n('ssl_sess'),
    failedHandshakes: n('ssl_failed_handshake'),
    deniedConnections: n('dcon'),
  };
}
