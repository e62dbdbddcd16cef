/**
 * The agent shipped to pods: one esbuild bundle of `netbench agent` plus its worker entry
 * (scripts/build-agent-bundle.mjs writes it into dist/agent-bundle/ at build time). It travels
 * gzipped in a ConfigMap and is unpacked into an emptyDir when the pod starts, so the stock Node
 * image needs nothing of ours.
 *
 * The bundle keeps the dist/ layout inside its root (dist/agent/bundle/agent.mjs,
 * dist/workload/engine/load-worker.js) because the load generator finds its worker file at a
 * path relative to its own module (`../../../dist/workload/engine/load-worker.js`).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { NetbenchError } from '../../core/errors.js';

/** Where the built bundle is, from both src/ (tests) and dist/ (installed): the same depth. */
export const agentBundleDir = fileURLToPath(
  new URL('../../../dist/agent-bundle/', import.meta.url),
);
/** The bundle's main file, relative to its root. */
export const agentBundleMain = 'dist/agent/bundle/agent.js';
/** Where pods unpack the bundle. */
export const podAgentRoot = '/netbench/agent';
/** The ConfigMap holding the bundle. */
export const agentConfigMapName = 'netbench-agent';

/** The bundle as shipped: ConfigMap keys (path with `/` as `__`, plus `.gz`) → base64 gzip. */
export interface AgentBundle {
  files: Record<string, string>;
  /** sha256 of the uncompressed files, recorded on pods. */
  sha256: string;
  /** Uncompressed bytes, all files. */
  bytes: number;
}

/** ConfigMap key of a bundle file (keys allow only `-._a-zA-Z0-9`). */
export function bundleKey(path: string): string {
  return `${path.split('/').join('__')}.gz`;
}

/** Packs files (relative path → content) as the ConfigMap carries them (pure). */
export function packAgentBundle(files: ReadonlyMap<string, Buffer>): AgentBundle {
  const hash = createHash('sha256');
  const out: Record<string, string> = {};
  let bytes = 0;
  for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(path).update(content);
    bytes += content.length;
    out[bundleKey(path)] = gzipSync(content, { level: 9 }).toString('base64');
  }
  return { files: out, sha256: hash.digest('hex'), bytes };
}

/** Reads and packs the built bundle; a coded error when the build has not made it. */
export async function loadAgentBundle(dir: string = agentBundleDir): Promise<AgentBundle> {
  const files = new Map<string, Buffer>();
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (/\.js$|^package\.json$/.test(entry.name))
        files.set(relative(dir, path).split(sep).join('/'), await readFile(path));
    }
  };
  try {
    await walk(dir);
  } catch (error) {
    throw new NetbenchError(
      'NB_K8S_AGENT_BUNDLE_MISSING',
      `the agent bundle is not built (${dir})`,
      {
        hint: 'run `npm run build` (it bundles the agent with esbuild into dist/agent-bundle/)',
        cause: error,
      },
    );
  }
  if (!files.has(agentBundleMain)) {
    throw new NetbenchError(
      'NB_K8S_AGENT_BUNDLE_MISSING',
      `the agent bundle in ${dir} has no ${agentBundleMain}`,
      {
        hint: 'run `npm run build` again',
      },
    );
  }
  const bundle = packAgentBundle(files);
  const shippedBytes = Object.values(bundle.files).reduce((n, b64) => n + b64.length, 0);
  if (shippedBytes > configMapLimitBytes) {
    throw new NetbenchError(
      'NB_K8S_AGENT_BUNDLE_MISSING',
      `the agent bundle is ${Math.round(shippedBytes / 1024)} KiB gzipped and base64-encoded, over the ${configMapLimitBytes / 1024} KiB a ConfigMap holds`,
      {
        hint: 'this is a netbench build problem: the bundle grew; report it',
      },
    );
  }
  return bundle;
}

/** A ConfigMap's data may not exceed 1 MiB. */
const configMapLimitBytes = 1024 * 1024;

/**
 * The container's command: unpack the bundle from the ConfigMap volume, mark the container ready,
 * then idle as PID 1 until SIGTERM (exec sessions run the agent beside it).
 */
export function unpackScript(bundleMount: string): string {
  return [
    "const z=require('zlib'),f=require('fs'),p=require('path');",
    `for(const k of f.readdirSync(${JSON.stringify(bundleMount)})){if(!k.endsWith('.gz'))continue;`,
    `const d=p.join(${JSON.stringify(podAgentRoot)},k.slice(0,-3).split('__').join('/'));`,
    'f.mkdirSync(p.dirname(d),{recursive:true});',
    `f.writeFileSync(d,z.gunzipSync(f.readFileSync(p.join(${JSON.stringify(bundleMount)},k))));}`,
    `f.writeFileSync(${JSON.stringify(`${podAgentRoot}/.unpacked`)},'');`,
    "process.on('SIGTERM',()=>process.exit(0));setInterval(()=>{},1<<30);",
  ].join('');
}

/** argv of `netbench agent ARGS` inside a pod. */
export function podAgentArgv(args: readonly string[]): string[] {
  return ['node', `${podAgentRoot}/${agentBundleMain}`, 'agent', ...args];
}
