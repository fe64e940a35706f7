import { EntriesMap } from './entries-map.js';
/** Marks a key a layer removes. */
const REMOVED = null;

type Layer<K, V> = ReadonlyMap<K, V | typeof REMOVED>;

/** More layers than this are merged into one (lookups that miss walk every layer). */
const MAX_LAYERS = 12;

/**
 * A large map patched after small changes (an index's PTR sources: 110k addresses at 100k pods):
 * the map the patches started from (shared, never written) under a few layers of added, replaced
 * and removed keys, newest last. Copying a 110k-value Map costs ~40 ms; a patch costs O(changed keys).
 *
 * Layers are merged as in a log-structured merge tree: a new layer is merged into the one below
 * while that one is at most twice its size, so each key is copied O(log patches) times and no
 * single patch copies much; once the layers hold half as many keys as the base, everything is
 * folded into one plain Map again.
 */
export class LayeredMap<K, V> extends EntriesMap<K, V> {
  readonly size: number;

  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly layers: readonly Layer<K, V>[],
    size: number,
  ) {
    super();
    this.size = size;
  }

  /**
   * `map` with `changes` applied (a value sets or replaces a key, null removes it). `map` is not
   * changed. Folds into a plain Map once the layers hold more than `foldRatio` × the base's keys.
   */
  static patch<K, V>(map: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V | null>, foldRatio = 0.5): ReadonlyMap<K, V> {
    const base = map instanceof LayeredMap ? (map.base as ReadonlyMap<K, V>) : map;
    const layers: Layer<K, V>[] = map instanceof LayeredMap ? [...(map.layers as Layer<K, V>[])] : [];
    let size = map.size;
    for (const [key, value] of changes) {
      const had = map.has(key);
      if (value === REMOVED && had) size--;
      if (value !== REMOVED && !had) size++;
    }
    layers.push(new Map(changes));
    while (layers.length >= 2 && (layers[layers.length - 2].size <= 2 * layers[layers.length - 1].size || layers.length > MAX_LAYERS)) {
      const top = layers.pop()!;
      const merged = new Map(layers.pop()!);
      for (const [key, value] of top) merged.set(key, value);
      layers.push(merged);
    }
    const layered = new LayeredMap(base, layers, size);
    return layers.reduce((n, l) => n + l.size, 0) > foldRatio * base.size ? new Map(layered) : layered;
  }

  get(key: K): V | undefined {
    const o = this.fromLayers(key);
    return o === undefined ? this.base.get(key) : (o ?? undefined);
  }

  has(key: K): boolean {
    const o = this.fromLayers(key);
    return o === undefined ? this.base.has(key) : o !== REMOVED;
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.base) {
      const o = this.fromLayers(key);
      if (o === undefined) yield [key, value];
      else if (o !== REMOVED) yield [key, o];
    }
    const seen = new Set<K>();
    for (let i = this.layers.length - 1; i >= 0; i--) {
      for (const key of this.layers[i].keys()) {
        if (seen.has(key) || this.base.has(key)) continue;
        seen.add(key);
        const o = this.fromLayers(key);
        if (o !== undefined && o !== REMOVED) yield [key, o];
      }
    }
  }

  /** The newest layer's word on a key: a value, REMOVED, or undefined when no layer has it. */
  private fromLayers(key: K): V | typeof REMOVED | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const o = this.layers[i].get(key);
      if (o !== undefined) return o;
    }
    return undefined;
  }
}
