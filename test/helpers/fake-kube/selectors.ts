/** Label selectors as the fake API server understands them: `k=v`, `k!=v`, `k in (a,b)`, `k`. */
export function matchesLabelSelector(
  selector: string | null,
  labels: Record<string, string> = {},
): boolean {
  if (selector === null || selector.trim() === '') return true;
  const terms = selector.match(/[^,(]+(?:\([^)]*\))?/g) ?? [];
  return terms.every((raw) => {
    const term = raw.trim();
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set !== null) {
      const values = set[3]!.split(',').map((v) => v.trim());
      const has = labels[set[1]!] !== undefined && values.includes(labels[set[1]!]!);
      return set[2] === 'in' ? has : !has;
    }
    const ne = /^([^!=]+)!=(.*)$/.exec(term);
    if (ne !== null) return labels[ne[1]!.trim()] !== ne[2]!.trim();
    const eq = /^([^=]+)==?(.*)$/.exec(term);
    if (eq !== null) return labels[eq[1]!.trim()] === eq[2]!.trim();
    return labels[term] !== undefined;
  });
}
