/**
 * A map from RR type codes to values for the few types one name has: the pairs in one array,
 * found by a scan. A 100k-pod index holds about 350k of these (each name's RRsets and glue); as
 * `Map`s they cost 184 bytes each, as this about 64.
 */
export class TypeMap<V> implements ReadonlyMap<number, V> {
  /** type, value, type, value, …; replaced (never grown in place) so it stays at its exact length. */
  private pairs: readonly (number | V)[];

  constructor(entries: Iterable<readonly [number, V]> = []) {
    const pairs: (number | V)[] = [];
    for (const [type, value] of entries) {
      const at = indexOfType(pairs, type);
      if (at >= 0) pairs[at + 1] = value;
      else pairs.push(type, value);
    }
    this.pairs = pairs.slice();
  }

  get size(): number {
    return this.pairs.length >> 1;
  }

  get(type: number): V | undefined {
    const at = indexOfType(this.pairs, type);
    return at >= 0 ? (this.pairs[at + 1] as V) : undefined;
  }

  has(type: number): boolean {
    return indexOfType(this.pairs, type) >= 0;
  }

  /** Sets the value of a type (while an index is built; an index's maps are not changed once it is served). */
  set(type: number, value: V): this {
    const at = indexOfType(this.pairs, type);
    const next = [...this.pairs];
    if (at >= 0) next[at + 1] = value;
    else next.push(type, value);
    this.pairs = next.slice();
    return this;
  }

  *entries(): MapIterator<[number, V]> {
    for (let i = 0; i < this.pairs.length; i += 2) yield [this.pairs[i] as number, this.pairs[i + 1] as V];
  }

  *keys(): MapIterator<number> {
    for (let i = 0; i < this.pairs.length; i += 2) yield this.pairs[i] as number;
  }

  *values(): MapIterator<V> {
    for (let i = 1; i < this.pairs.length; i += 2) yield this.pairs[i] as V;
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: number, map: ReadonlyMap<number, V>) => void): void {
    for (const [type, value] of this.entries()) fn(value, type, this);
  }
}

function indexOfType(pairs: readonly unknown[], type: number): number {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === type) return i;
  return -1;
}
