/**
 * Writing millions of lines without holding them: lines are gathered into chunks of about
 * 64 KiB, and when the stream says its buffer is full (write returns false) the writer waits
 * for 'drain' before the next chunk, so memory stays bounded however slow the reader is.
 */
import { NetbenchError } from '../../core/errors.js';
import type { CliStream } from '../context.js';

const chunkChars = 64 * 1024;

/** A stream that can say when its buffer has drained (process.stdout, any Writable). */
interface DrainableStream extends CliStream {
  once(event: 'drain', listener: () => void): unknown;
}

function canDrain(stream: CliStream): stream is DrainableStream {
  return typeof (stream as Partial<DrainableStream>).once === 'function';
}

/** Writes `prefix`, the lines (one per line, `separator` at the end of all but the last), then `suffix`. */
export async function streamLines(
  stream: CliStream,
  lines: Iterable<string>,
  options: { prefix?: string; separator?: string; suffix?: string; signal?: AbortSignal } = {},
): Promise<number> {
  const separator = options.separator ?? '';
  let chunk = options.prefix ?? '';
  let count = 0;
  const flush = async (): Promise<void> => {
    if (chunk === '') return;
    const ok = stream.write(chunk);
    chunk = '';
    if (!ok && canDrain(stream))
      await new Promise<void>((resolve) => stream.once('drain', resolve));
  };
  for (const line of lines) {
    chunk += `${count === 0 ? '' : `${separator}\n`}${line}`;
    count++;
    if (chunk.length >= chunkChars) {
      if (options.signal?.aborted === true) {
        throw new NetbenchError('NB_INTERRUPTED', 'interrupted while writing verdicts');
      }
      await flush();
    }
  }
  if (count > 0) chunk += '\n';
  chunk += options.suffix ?? '';
  await flush();
  return count;
}
