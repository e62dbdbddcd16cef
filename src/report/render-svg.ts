/**
 * vega-lite spec → SVG text, in Node, with no browser and no canvas (vega's headless view with
 * renderer "none"). Used for every output, so the HTML report needs no script to show its charts:
 * it opens from file://, in mail clients and in CI artifact viewers that block JavaScript, and
 * prints as it shows. Pure: no file or network access (all data is inline in the spec).
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Vega labels every mark for screen readers (`aria-label="trial: x; ms: 1.2"`); a `<title>` child
 * with the same text turns that into a native hover tooltip in browsers, without JavaScript.
 */
function addTooltips(svg: string): string {
  return svg.replace(
    /<(path|rect|circle|line)(\s[^>]*?)\/>/g,
    (whole, tag: string, attrs: string) => {
      if (!attrs.includes('role="graphics-symbol"')) return whole;
      const label = /aria-label="([^"]*)"/.exec(attrs)?.[1];
      return label === undefined ? whole : `<${tag}${attrs}><title>${label}</title></${tag}>`;
    },
  );
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return addTooltips(svg);
  } finally {
    view.finalize();
  }
}
