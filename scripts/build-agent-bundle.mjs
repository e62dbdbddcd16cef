#!/usr/bin/env node
// Bundles `netbench agent` for pods (Kubernetes platform) with esbuild: one ESM file for the
// agent and one per worker entry, laid out as in dist/ (the load generator finds its worker at
// ../../../dist/workload/engine/load-worker.js from its own module), plus a package.json that
// makes the .js files ES modules. Output: dist/agent-bundle/. See docs/kubernetes.md.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = `${root}dist/agent-bundle`;
await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    'dist/agent/bundle/agent': 'src/cli/pod-agent.ts',
    'dist/workload/engine/load-worker': 'src/workload/engine/load-worker.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies call require(); give the ES module one.
  banner: {
    js: "import { createRequire as __nbRequire } from 'node:module'; const require = __nbRequire(import.meta.url);",
  },
});
await mkdir(outdir, { recursive: true });
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n');
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
process.stderr.write(
  `agent bundle: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB → ${outdir}\n`,
);
