/**
 * Where a command's rendered text goes: stdout when `--out` is absent or `-`, else the file
 * (its directory created), said on stderr. One place for the unwritable-file error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { NetbenchError } from '../core/errors.js';
import type { CliContext } from './context.js';
import { writeLine } from './output.js';

/** Writes `text` to the file, creating its directory; NB_FILE_UNWRITABLE with a hint if not. */
export async function writeFileOrFail(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new NetbenchError(
      'NB_FILE_UNWRITABLE',
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        hint: 'check that the directory exists and is writable, or choose another --out',
        cause: error,
      },
    );
  }
}

/** `text` to stdout, or to the `--out` file (relative to the working directory). */
export async function writeOutput(
  ctx: Pick<CliContext, 'cwd' | 'stdout' | 'stderr'>,
  outFlag: string | undefined,
  text: string,
): Promise<void> {
  if (outFlag === undefined || outFlag === '-') {
    ctx.stdout.write(text);
    return;
  }
  const out = resolve(ctx.cwd, outFlag);
  await writeFileOrFail(out, text);
  writeLine(ctx.stderr, `wrote ${out}`);
}
