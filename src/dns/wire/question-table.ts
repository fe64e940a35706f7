/**
 * A bounded map from questions in wire form (folded name bytes + QTYPE, as QueryScan reads them)
 * to values, so a repeated question is found without building a string: open addressing with
 * linear probing over typed arrays, keys copied into one slab. Full (entries, key bytes, or a probe
 * run longer than MAX_PROBE) → emptied and refilled: memory stays fixed whatever names are asked,
 * and no lookup compares more than MAX_PROBE keys.
 */
export class QuestionTable<T> {
  private readonly mask: number;
  private readonly maxEntries: number;
  /**
   * Per slot, in one cache line's quarter: [hash, key offset in the slab, key length << 16 | QTYPE, unused].
   * The third word is 0 only for an empty slot (a wire name is at least 1 byte).
   */
  private readonly meta: Int32Array;
  private readonly values: (T | undefined)[];
  private readonly slab: Uint8Array;
  private slabUsed = 0;
  private entries = 0;
  /** Times the table was emptied because it was full (for tests and metrics). */
  clears = 0;

  /** `slots`: a power of two ≥ 2; at most half of them are filled; `keyBytes`: slab size. */
  constructor(slots: number, keyBytes = slots * 32) {
    if (slots < 2 || (slots & (slots - 1)) !== 0) throw new Error(`QuestionTable slots must be a power of two ≥ 2, got ${slots}`);
    this.mask = slots - 1;
    this.maxEntries = slots >> 1;
    this.meta = new Int32Array(slots * SLOT_WORDS);
    this.values = new Array<T | undefined>(slots).fill(undefined);
    this.slab = new Uint8Array(Math.max(keyBytes, 256));
  }

  get size(): number {
    return this.entries;
  }

  /** The value stored for (`key[0, keyLength)`, `qtype`) whose hash is `hash`, or undefined. */
  get(key: Uint8Array, keyLength: number, qtype: number, hash: number): T | undefined {
    const slot = this.findSlot(key, keyLength, qtype, hash);
    return slot < 0 ? undefined : this.values[slot];
  }

  /** Stores `value` for the question (replacing an equal key's); empties the table first when it is full. */
  set(key: Uint8Array, keyLength: number, qtype: number, hash: number, value: T): void {
    if (this.entries >= this.maxEntries || this.slabUsed + keyLength > this.slab.length) this.evictAll();
    let found = this.findSlot(key, keyLength, qtype, hash);
    if (found === NO_SLOT) {
      // A probe run too long (a cluster of colliding names): start over rather than search further.
      this.evictAll();
      found = this.findSlot(key, keyLength, qtype, hash);
    }
    const slot = found < 0 ? -1 - found : found;
    const m = slot * SLOT_WORDS;
    if (this.meta[m + 2] === 0) {
      this.slab.set(key.subarray(0, keyLength), this.slabUsed);
      this.meta[m] = hash | 0;
      this.meta[m + 1] = this.slabUsed;
      this.meta[m + 2] = (keyLength << 16) | qtype;
      this.slabUsed += keyLength;
      this.entries++;
    }
    this.values[slot] = value;
  }

  /** Forgets every entry (keeps the memory). */
  clear(): void {
    this.meta.fill(0);
    this.values.fill(undefined);
    this.slabUsed = 0;
    this.entries = 0;
  }

  private evictAll(): void {
    this.clears++;
    this.clear();
  }

  /** The slot holding the key, else `-1 - ` the first empty slot of its run; NO_SLOT when the run is MAX_PROBE long. */
  private findSlot(key: Uint8Array, keyLength: number, qtype: number, hash: number): number {
    const meta = this.meta;
    const mask = this.mask;
    hash |= 0;
    const tag = (keyLength << 16) | qtype;
    let slot = mix(hash) & mask;
    for (let probe = 0; probe < MAX_PROBE; probe++) {
      const m = slot * SLOT_WORDS;
      const t = meta[m + 2];
      if (t === 0) return -1 - slot;
      if (t === tag && meta[m] === hash && this.equalsKey(meta[m + 1], key, keyLength)) return slot;
      slot = (slot + 1) & mask;
    }
    return NO_SLOT;
  }

  private equalsKey(off: number, key: Uint8Array, keyLength: number): boolean {
    const slab = this.slab;
    for (let i = 0; i < keyLength; i++) if (slab[off + i] !== key[i]) return false;
    return true;
  }
}

const SLOT_WORDS = 4;
/** findSlot: the probe run is full. */
const NO_SLOT = -1 - 0x7fffffff;

/** Longest probe run a lookup follows; inserts that would need a longer one empty the table. */
export const MAX_PROBE = 16;

/** Spreads FNV's low bits (murmur3's finalizer) so a power-of-two mask sees every input bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
