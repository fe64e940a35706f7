/**
 * Writes domain names with RFC 1035 4.1.4 compression into a growing byte array whose offsets are
 * absolute message offsets. Seeded with the question's name so owners become `0xC00C`-style pointers
 * into the client's own spelling.
 */
export class NameCompressor {
  private readonly offsets = new Map<string, number>();

  /** Registers `name` (lower-case, no trailing dot) as written at absolute `offset`, with all its suffixes. */
  seed(name: string, offset: number): void {
    if (name === '') return;
    const labels = name.split('.');
    let at = offset;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      if (!this.offsets.has(suffix) && at < 0x3fff) this.offsets.set(suffix, at);
      at += 1 + Buffer.byteLength(labels[i], 'latin1');
    }
  }

  /**
   * Appends `name` to `out` (which starts at absolute offset `base`), compressed unless `compress`
   * is false (RFC 2782: SRV targets are written in full); the written copy is registered either way.
   */
  write(out: number[], base: number, name: string, compress = true): void {
    if (name === '') {
      out.push(0);
      return;
    }
    const labels = name.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const known = this.offsets.get(suffix);
      if (compress && known !== undefined) {
        out.push(0xc0 | (known >> 8), known & 0xff);
        return;
      }
      const at = base + out.length;
      if (known === undefined && at < 0x3fff) this.offsets.set(suffix, at);
      const bytes = Buffer.from(labels[i], 'latin1');
      out.push(bytes.length, ...bytes);
    }
    out.push(0);
  }
}

/** Wire length of an uncompressed name (lower-case, no trailing dot): labels + length bytes + root. */
export function getNameWireLength(name: string): number {
  return name === '' ? 1 : Buffer.byteLength(name, 'latin1') + 2;
}
