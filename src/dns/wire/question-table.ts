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
  /** Per slot: key length in the slab (0 = empty slot: a wire name is at least 1 byte). */
  private readonly keyLengths: Uint16Array;
  private readonly keyOffsets: Int32Array;
  private readonly hashes: Int32Array;
  private readonly qtypes: Uint16Array;
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
    this.keyLengths = new Uint16Array(slots);
    this.keyOffsets = new Int32Array(slots);
    this.hashes = new Int32Array(slots);
    this.qtypes = new Uint16Array(slots);
    this.values = new Array<T | undefined>(slots).fill(undefined);
    this.slab = new Uint8Array(Math.max(keyBytes, 256));
  }

  get size(): number {
    return this.entries;
  }

  /** The value stored for (`key[0, keyLength)`, `qtype`) whose hash is `hash`, or undefined. */
  get(key: Uint8Array, keyLength: number, qtype: number, hash: number): T | undefined {
    const mask = this.mask;
    let slot = mix(hash) & mask;
    for (let probe = 0; probe < MAX_PROBE; probe++) {
      const len = this.keyLengths[slot];
      if (len === 0) return undefined;
      if (this.hashes[slot] === (hash | 0) && len === keyLength && this.qtypes[slot] === qtype && this.equalsKey(slot, key, keyLength)) return this.values[slot];
      slot = (slot + 1) & mask;
    }
    return undefined;
  }

  /** Stores `value` for the question (replacing an equal key's); empties the table first when it is full. */
  set(key: Uint8Array, keyLength: number, qtype: number, hash: number, value: T): void {
    if (this.entries >= this.maxEntries || this.slabUsed + keyLength > this.slab.length) this.evictAll();
    let slot = this.findSlot(key, keyLength, qtype, hash);
    if (slot < 0) {
      // A probe run too long (a cluster of colliding names): start over rather than search further.
      this.evictAll();
      slot = this.findSlot(key, keyLength, qtype, hash);
    }
    if (this.keyLengths[slot] === 0) {
      this.slab.set(key.subarray(0, keyLength), this.slabUsed);
      this.keyOffsets[slot] = this.slabUsed;
      this.slabUsed += keyLength;
      this.keyLengths[slot] = keyLength;
      this.hashes[slot] = hash;
      this.qtypes[slot] = qtype;
      this.entries++;
    }
    this.values[slot] = value;
  }

  /** Forgets every entry (keeps the memory). */
  clear(): void {
    this.keyLengths.fill(0);
    this.values.fill(undefined);
    this.slabUsed = 0;
    this.entries = 0;
  }

  private evictAll(): void {
    this.clears++;
    this.clear();
  }

  /** The slot holding the key, else the first empty slot of its run; -1 when the run is MAX_PROBE long. */
  private findSlot(key: Uint8Array, keyLength: number, qtype: number, hash: number): number {
    const mask = this.mask;
    let slot = mix(hash) & mask;
    for (let probe = 0; probe < MAX_PROBE; probe++) {
      const len = this.keyLengths[slot];
      if (len === 0) return slot;
      if (this.hashes[slot] === (hash | 0) && len === keyLength && this.qtypes[slot] === qtype && this.equalsKey(slot, key, keyLength)) return slot;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private equalsKey(slot: number, key: Uint8Array, keyLength: number): boolean {
    const slab = this.slab;
    const off = this.keyOffsets[slot];
    for (let i = 0; i < keyLength; i++) if (slab[off + i] !== key[i]) return false;
    return true;
  }
}

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
