import type { NameEntry } from './record-index.js';

/** Marks a base name the overlay removes. */
const REMOVED = null;

/** Overlays larger than this are folded into a new base (one copy of the whole map, now and then). */
const MAX_OVERLAY = 20_000;

/**
 * The names of an index patched after a small change: the previous index's names (shared, never
 * written) under a small overlay of added, replaced and removed names. Copying a 230k-name map on
 * every change would cost ~50 ms; a patch costs O(changed names). Reads are a lookup in the overlay
 * and, when the name is not there, one in the base.
 */
export class LayeredNames implements ReadonlyMap<string, NameEntry> {
  readonly size: number;

  private constructor(
    private readonly base: ReadonlyMap<string, NameEntry>,
    private readonly overlay: ReadonlyMap<string, NameEntry | typeof REMOVED>,
    size: number,
  ) {
    this.size = size;
  }

  /**
   * `names` with `changes` applied (an entry sets or replaces a name, null removes it). `names` is
   * not changed. Flattens into a plain Map once the overlay grows past MAX_OVERLAY.
   */
  static patch(names: ReadonlyMap<string, NameEntry>, changes: ReadonlyMap<string, NameEntry | null>, maxOverlay = MAX_OVERLAY): ReadonlyMap<string, NameEntry> {
    const base = names instanceof LayeredNames ? names.base : names;
    const overlay = new Map(names instanceof LayeredNames ? names.overlay : []);
    let size = names.size;
    for (const [name, entry] of changes) {
      const had = names.has(name);
      if (entry === REMOVED) {
        if (!had) continue;
        size--;
        if (base.has(name)) overlay.set(name, REMOVED);
        else overlay.delete(name);
      } else {
        if (!had) size++;
        overlay.set(name, entry);
      }
    }
    const layered = new LayeredNames(base, overlay, size);
    if (overlay.size <= maxOverlay) return layered;
    return new Map(layered);
  }

  get(name: string): NameEntry | undefined {
    const o = this.overlay.get(name);
    if (o !== undefined) return o ?? undefined;
    return this.base.get(name);
  }

  has(name: string): boolean {
    const o = this.overlay.get(name);
    if (o !== undefined) return o !== REMOVED;
    return this.base.has(name);
  }

  *entries(): MapIterator<[string, NameEntry]> {
    for (const [name, entry] of this.base) {
      const o = this.overlay.get(name);
      if (o === undefined) yield [name, entry];
      else if (o !== REMOVED) yield [name, o];
    }
    for (const [name, o] of this.overlay) if (o !== REMOVED && !this.base.has(name)) yield [name, o];
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
