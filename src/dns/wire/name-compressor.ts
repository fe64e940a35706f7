/**
 * Writes domain names with RFC 1035 4.1.4 compression into a growing byte array whose offsets are
 * absolute message offsets, spelling each name as CoreDNS does for a mixed-case question:
 * - the question's own name (an answer's owner) is a pointer to the question, in the client's spelling;
 * - every other name (SRV, NS, CNAME and PTR targets, glue owners, the SOA's names) has its labels as
 *   the objects spell them (lower-case) and the question's zone as asked (kubernetes.go ServeDNS keeps
 *   `state.Zone` in the query's case), so a glue owner reads byte for byte as the target that points at it.
 * A prepared answer serves every spelling of its question, so labels above the zone are never taken
 * from the question for such names; the zone part is (a pointer to the question's zone, or a copy
 * patched per query: see `write`'s return value).
 */
export class NameCompressor {
  /** Suffixes of the question's name → their offsets in the question (the client's spelling). */
  private readonly question = new Map<string, number>();
  /** Names (and suffixes) written in the objects' spelling → their offsets. */
  private readonly written = new Map<string, number>();
  private qname = '';
  /** The zone the question falls in ('' when none): its suffixes read the same in both spellings. */
  private zone = '';

  /**
   * Registers the question's `name` (lower-case, no trailing dot) as written at absolute `offset`,
   * with all its suffixes; `zone` is the served zone it falls in ('' for none).
   */
  seed(name: string, offset: number, zone = ''): void {
    this.qname = name;
    this.zone = zone !== '' && (name === zone || name.endsWith(`.${zone}`)) ? zone : '';
    if (name === '') return;
    const labels = name.split('.');
    let at = offset;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      if (!this.question.has(suffix) && at < 0x3fff) this.question.set(suffix, at);
      at += 1 + Buffer.byteLength(labels[i], 'latin1');
    }
  }

  /** Appends the owner name of a record: the question's name echoes the client's spelling; any other is written as `write` does. */
  writeOwner(out: number[], base: number, name: string): void {
    const at = name === this.qname ? this.question.get(name) : undefined;
    if (at !== undefined) out.push(0xc0 | (at >> 8), at & 0xff);
    else this.write(out, base, name);
  }

  /**
   * Appends `name` in the objects' spelling to `out` (which starts at absolute offset `base`),
   * compressed unless `compress` is false (RFC 2782: SRV targets are written in full); the written
   * copy is registered either way. Returns the index in `out` where a literally written copy of the
   * question's zone starts (its bytes must be replaced by the question's spelling of the zone when
   * the reply is assembled), or -1 when there is none.
   */
  write(out: number[], base: number, name: string, compress = true): number {
    if (name === '') {
      out.push(0);
      return -1;
    }
    const zone = this.zone;
    const labels = name.split('.');
    let zoneAt = -1;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const shared = zone !== '' && (suffix === zone || zone.endsWith(`.${suffix}`));
      const known = this.written.get(suffix) ?? (shared ? this.question.get(suffix) : undefined);
      if (compress && known !== undefined) {
        out.push(0xc0 | (known >> 8), known & 0xff);
        return zoneAt;
      }
      const at = base + out.length;
      if (suffix === zone) zoneAt = out.length;
      if (!shared && !this.written.has(suffix) && at < 0x3fff) this.written.set(suffix, at);
      const bytes = Buffer.from(labels[i], 'latin1');
      out.push(bytes.length, ...bytes);
    }
    out.push(0);
    return zoneAt;
  }
}

/** Wire length of an uncompressed name (lower-case, no trailing dot): labels + length bytes + root. */
export function getNameWireLength(name: string): number {
  return name === '' ? 1 : Buffer.byteLength(name, 'latin1') + 2;
}
