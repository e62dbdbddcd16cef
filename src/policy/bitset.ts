/**
 * Fixed-size bit sets over pod classes, pure: the class evaluator answers "which classes does
 * this selector / peer / rule match" once, as a set, and decides each pair by a bit test.
 */

/** A set of small integers `0..size-1`, 32 to a word. */
export type Bitset = Uint32Array;

export function createBitset(size: number): Bitset {
  return new Uint32Array(Math.ceil(size / 32));
}

export function fullBitset(size: number): Bitset {
  const b = createBitset(size);
  b.fill(0xffffffff);
  const rest = size % 32;
  if (rest !== 0) b[b.length - 1] = (1 << rest) - 1;
  return b;
}

export function bitsetHas(b: Bitset, i: number): boolean {
  return ((b[i >>> 5]! >>> (i & 31)) & 1) === 1;
}

export function bitsetAdd(b: Bitset, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

/** `into |= other` */
export function bitsetOr(into: Bitset, other: Bitset): void {
  for (let w = 0; w < into.length; w++) into[w]! |= other[w]!;
}

/** `into &= other` */
export function bitsetAnd(into: Bitset, other: Bitset): void {
  for (let w = 0; w < into.length; w++) into[w]! &= other[w]!;
}

/** `into &= ~other` */
export function bitsetAndNot(into: Bitset, other: Bitset): void {
  for (let w = 0; w < into.length; w++) into[w]! &= ~other[w]!;
}

export function bitsetIsEmpty(b: Bitset): boolean {
  for (let w = 0; w < b.length; w++) if (b[w] !== 0) return false;
  return true;
}

/** Does `a ∩ b` have a member? */
export function bitsetIntersects(a: Bitset, b: Bitset): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w]! & b[w]!) !== 0) return true;
  return false;
}

/** The members, ascending. */
export function* bitsetMembers(b: Bitset): Generator<number> {
  for (let w = 0; w < b.length; w++) {
    let word = b[w]!;
    while (word !== 0) {
      const low = word & -word;
      yield w * 32 + (31 - Math.clz32(low));
      word ^= low;
    }
  }
}
