/**
 * A logger for people, writing to stderr (stdout is reserved for data). Library code takes a
 * `Logger`; only the CLI decides where it writes and how verbose it is.
 */
import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(stream: Pick<Writable, 'write'>, level: LogLevel = 'info'): Logger {
  const emit =
    (at: LogLevel) =>
    (message: string): void => {
      if (order[at] < order[level]) return;
      const prefix = at === 'info' ? '' : `${at}: `;
      stream.write(`${prefix}${message}\n`);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A logger that drops everything (for tests and quiet library calls). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
