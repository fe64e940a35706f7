/**
 * The slim objects of one resource as last seen from the API, keyed `namespace/name`. A watch event
 * changes one; a (re-)list replaces all of them, so objects deleted while the watch was away go too.
 * `version` moves only when something DNS reads changed: a pod's MODIFIED for a field the
 * conversion drops (a heartbeat, a container restart count) costs no rebuild.
 */
export class ObjectStore<T> {
  private objects = new Map<string, T>();
  /** The JSON of each object, to tell a real change from a repeat. */
  private texts = new Map<string, string>();
  private array: T[] | undefined;
  version = 0;

  constructor(private readonly compare?: (a: T, b: T) => number) {}

  get size(): number {
    return this.objects.size;
  }

  /** Sets (or, with undefined, removes) the object at `key`; true when that changed anything. */
  set(key: string, object: T | undefined): boolean {
    if (object === undefined) return this.delete(key);
    const text = JSON.stringify(object);
    if (this.texts.get(key) === text) return false;
    this.objects.set(key, object);
    this.texts.set(key, text);
    this.changed();
    return true;
  }

  delete(key: string): boolean {
    if (!this.objects.delete(key)) return false;
    this.texts.delete(key);
    this.changed();
    return true;
  }

  /** Replaces every object (a list); true when that changed anything. */
  replaceAll(objects: ReadonlyMap<string, T>): boolean {
    const texts = new Map<string, string>();
    let same = objects.size === this.objects.size;
    for (const [key, o] of objects) {
      const text = JSON.stringify(o);
      texts.set(key, text);
      if (same && this.texts.get(key) !== text) same = false;
    }
    if (same) return false;
    this.objects = new Map(objects);
    this.texts = texts;
    this.changed();
    return true;
  }

  /** Every object, sorted by `compare` when given; the same array until the next change. */
  toArray(): readonly T[] {
    if (!this.array) {
      const list = [...this.objects.values()];
      if (this.compare) list.sort(this.compare);
      this.array = list;
    }
    return this.array;
  }

  private changed(): void {
    this.array = undefined;
    this.version++;
  }
}

/** Orders by namespace, then name (buildRecordIndex wants each namespace's Services in one run). */
export function compareByNamespaceAndName(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
