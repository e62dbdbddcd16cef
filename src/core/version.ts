/** netbench's own version and git commit, for results.json and `--version`. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The checked-out commit, read from .git without running git; null outside a checkout. */
export function gitSha(): string | null {
  try {
    const head = readFileSync(`${root}.git/HEAD`, 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return readFileSync(`${root}.git/${ref}`, 'utf8').trim();
    } catch {
      const packed = readFileSync(`${root}.git/packed-refs`, 'utf8');
      const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
      return line?.split(' ')[0] ?? null;
    }
  } catch {
    return null;
  }
}
