import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { listDirectories } from './list-directories.js';

/**
 * Watches `-f` paths for added, edited, removed and renamed files and calls `onChange` once per
 * burst (debounced). Directories are watched with every subdirectory; a named file is watched
 * through its parent directory, so an editor's write-to-temp-then-rename is seen too. Events on
 * files `skip` names (the server's own state file and its temporary siblings) are ignored.
 */
export class ManifestWatcher {
  private watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private initialised = false;

  constructor(private readonly paths: readonly string[], private readonly onChange: () => void, private readonly debounceMs = 10, private readonly skip: (absolutePath: string) => boolean = () => false) {}

  /** (Re)builds the set of watched directories; call after every reload (new subdirectories). */
  async refresh(): Promise<void> {
    const wanted = new Map<string, string | undefined>(); // dir → only this file name (undefined: any)
    for (const p of this.paths) {
      if (p === '-') continue;
      const abs = resolve(p);
      const st = await stat(abs).catch(() => undefined);
      if (st?.isDirectory()) {
        for (const d of await listDirectories(abs)) wanted.set(d, undefined);
      } else {
        const dir = dirname(abs);
        if (!wanted.has(dir)) wanted.set(dir, basename(abs));
        else if (wanted.get(dir) !== undefined && wanted.get(dir) !== basename(abs)) wanted.set(dir, undefined);
      }
    }
    if (this.closed) return;
    for (const [dir, w] of this.watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    let added = 0;
    for (const [dir, only] of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, (_event, name) => {
          if (name !== null && this.skip(join(dir, String(name)))) return;
          if (only === undefined || name === null || String(name) === only) this.schedule();
        });
        w.on('error', () => {
          w.close();
          this.watchers.delete(dir);
          this.schedule();
        });
        this.watchers.set(dir, w);
        added++;
      } catch {
        // The directory vanished between listing and watching; the next refresh sees it again.
      }
    }
    // A change made between the last reload and this new watch would be seen by no one (a -f
    // directory renamed away and back): look once more whenever the watched set grows.
    if (this.initialised && added > 0) this.schedule();
    this.initialised = true;
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(), this.debounceMs);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
