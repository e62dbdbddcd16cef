/**
 * netbench's layering as a lint rule: a module may import from its own part of the house or from
 * a part on a lower layer, never from one above or beside it. The table is the one in
 * docs/architecture.md ("Layers"); change both together.
 *
 * Written here rather than taken from eslint-plugin-boundaries or import/no-restricted-paths:
 * our imports are relative ESM specifiers ending in `.js` that name `.ts` sources, which those
 * plugins resolve only through an extra TypeScript resolver package; this rule needs nothing but
 * path arithmetic on the specifier.
 */
import path from 'node:path';

/**
 * Parts of src/, most specific first (the first prefix that matches names the part), with their
 * layer: 0 is the ground. A part may import its own files and any part on a lower layer.
 * @type {[prefix: string, layer: number][]}
 */
export const layers = [
  ['cli/', 11],
  ['export/', 10],
  ['matrix/', 9],
  ['platform/registry.ts', 9],
  ['platform/lab/', 8],
  ['platform/fake/', 8],
  ['platform/kubernetes/', 8],
  ['policy-verify/', 8],
  ['workload/', 7],
  ['collect/', 6],
  ['mesh/', 6],
  ['advisor/', 6],
  ['dashboards/', 6],
  ['capture/', 6],
  ['platform/', 5],
  ['topology/', 4],
  ['policy/probe/', 4],
  ['report/', 4],
  ['analysis/', 3],
  ['agent/', 3],
  ['policy/', 3],
  ['results/', 2],
  ['stats/', 2],
  ['spec/', 1],
  ['core/', 0],
];

/** @param {string} relative path under src/ @returns {{ part: string, layer: number } | undefined} */
export function partOf(relative) {
  for (const [prefix, layer] of layers) {
    if (relative === prefix || relative.startsWith(prefix)) return { part: prefix, layer };
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports point down the layering of docs/architecture.md' },
    schema: [],
    messages: {
      up: '{{from}} (layer {{fromLayer}}) must not import {{to}} (layer {{toLayer}}): imports point down the layering (docs/architecture.md, "Layers"); move the shared part down instead',
      unknown:
        '{{file}} is in no part of the layering table (eslint-rules/layering.js, docs/architecture.md "Layers"): add its folder',
    },
  },
  create(context) {
    const filename = context.filename;
    const srcRoot = path.join(context.cwd, 'src') + path.sep;
    if (!filename.startsWith(srcRoot)) return {};
    const fromRel = filename.slice(srcRoot.length).split(path.sep).join('/');
    const from = partOf(fromRel);
    /** @param {import('estree').Node & { source?: import('estree').Node | null }} node */
    const check = (node) => {
      const spec = node.source?.type === 'Literal' ? node.source.value : undefined;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(filename), spec);
      if (!target.startsWith(srcRoot)) return;
      const toRel = target.slice(srcRoot.length).split(path.sep).join('/').replace(/\.js$/, '.ts');
      const to = partOf(toRel);
      if (from === undefined) {
        context.report({ node, messageId: 'unknown', data: { file: fromRel } });
        return;
      }
      if (to === undefined || to.part === from.part) return;
      if (to.layer >= from.layer) {
        context.report({
          node,
          messageId: 'up',
          data: {
            from: from.part,
            fromLayer: String(from.layer),
            to: to.part,
            toLayer: String(to.layer),
          },
        });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { layering: layeringRule } };
