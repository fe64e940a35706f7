import type { NameEntry } from './record-index.js';

/** Marks a name a layer removes. */
const REMOVED = null;

type Layer = ReadonlyMap<string, NameEntry | typeof REMOVED>;

/** More layers than this are merged into one (lookups that miss walk every layer). */
const MAX_LAYERS = 12;

/**
 * The names of an index patched after small changes: the names of the index the patches started
 * from (shared, never written) under a few layers of added, replaced and removed names, newest last.
 * Copying a 230k-name map on every change would cost ~50 ms; a patch costs O(changed names).
 *
 * Layers are merged as in a log-structured merge tree: a new layer is merged into the one below
 * while that one is at most twice its size, so each name is copied O(log patches) times and no
 * single patch copies much; once the layers hold half as many names as the base, everything is
 * folded into one plain Map again.
 */
export class LayeredNames implements ReadonlyMap<string, NameEntry> {
  readonly size: number;

  private constructor(
    private readonly base: ReadonlyMap<string, NameEntry>,
    private readonly layers: readonly Layer[],
    size: number,
  ) {
    this.size = size;
  }

  /**
   * `names` with `changes` applied (an entry sets or replaces a name, null removes it). `names` is
   * not changed. Folds into a plain Map once the layers hold more than `foldRatio` × the base's names.
   */
  static patch(names: ReadonlyMap<string, NameEntry>, changes: ReadonlyMap<string, NameEntry | null>, foldRatio = 0.5): ReadonlyMap<string, NameEntry> {
    const base = names instanceof LayeredNames ? names.base : names;
    const layers: Layer[] = names instanceof LayeredNames ? [...names.layers] : [];
    let size = names.size;
    for (const [name, entry] of changes) {
      const had = names.has(name);
      if (entry === REMOVED && had) size--;
      if (entry !== REMOVED && !had) size++;
    }
    layers.push(new Map(changes));
    while (layers.length >= 2 && (layers[layers.length - 2].size <= 2 * layers[layers.length - 1].size || layers.length > MAX_LAYERS)) {
      const top = layers.pop()!;
      const merged = new Map(layers.pop()!);
      for (const [name, entry] of top) merged.set(name, entry);
      layers.push(merged);
    }
    const layered = new LayeredNames(base, layers, size);
    return layers.reduce((n, l) => n + l.size, 0) > foldRatio * base.size ? new Map(layered) : layered;
  }

  get(name: string): NameEntry | undefined {
    const o = this.fromLayers(name);
    return o === undefined ? this.base.get(name) : (o ?? undefined);
  }

  has(name: string): boolean {
    const o = this.fromLayers(name);
    return o === undefined ? this.base.has(name) : o !== REMOVED;
  }

  *entries(): MapIterator<[string, NameEntry]> {
    for (const [name, entry] of this.base) {
      const o = this.fromLayers(name);
      if (o === undefined) yield [name, entry];
      else if (o !== REMOVED) yield [name, o];
    }
    const seen = new Set<string>();
    for (let i = this.layers.length - 1; i >= 0; i--) {
      for (const name of this.layers[i].keys()) {
        if (seen.has(name) || this.base.has(name)) continue;
        seen.add(name);
        const o = this.fromLayers(name);
        if (o) yield [name, o];
      }
    }
  }

  /** The newest layer's word on a name: an entry, REMOVED, or undefined when no layer has it. */
  private fromLayers(name: string): NameEntry | typeof REMOVED | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const o = this.layers[i].get(name);
      if (o !== undefined) return o;
    }
    return undefined;
  }

  *keys(): MapIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): MapIterator<NameEntry> {
    for (const [, entry] of this.entries()) yield entry;
  }

  [Symbol.iterator](): MapIterator<[string, NameEntry]> {
    return this.entries();
  }

  forEach(fn: (value: NameEntry, key: string, map: ReadonlyMap<string, NameEntry>) => void): void {
    for (const [name, entry] of this.entries()) fn(entry, name, this);
  }
}
