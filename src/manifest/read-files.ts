import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Finding } from './finding.js';
import { newFinding } from './finding-codes.js';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

/** A file changed less than this long ago is read again on every reload (see readOne). */
const RACY_MS = 2000;

export interface SourceFile {
  /** The path as the user named it or as found under a named directory. */
  file: string;
  text: string;
  /** Size, modification and change times and inode when read from disk: the same signature, the same text. */
  signature?: string;
}

/** Files that are not manifests whatever their name (the server's own state file): absolute path → true to skip. */
export type SkipFile = (absolutePath: string) => boolean;

/**
 * Expands `-f` arguments like `kubectl apply -f`: files as given, directories recursively
 * (`.yaml`, `.yml`, `.json`, sorted by path so results do not depend on directory order), `-` for stdin.
 * Files `skip` names are left out, named or found.
 */
export async function readManifestFiles(paths: readonly string[], stdin?: () => Promise<string>, known?: ReadonlyMap<string, SourceFile>, now: () => number = Date.now, skip?: SkipFile): Promise<{ files: SourceFile[]; findings: Finding[] }> {
  const files: SourceFile[] = [];
  const findings: Finding[] = [];
  for (const p of paths) {
    if (p !== '-' && skip?.(resolve(p))) continue;
    if (p === '-') {
      files.push({ file: '-', text: stdin ? await stdin() : '' });
      continue;
    }
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      findings.push(fileFinding(p, 'FILE_UNREADABLE', `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path given to -f'));
      continue;
    }
    if (st.isDirectory()) {
      // Read together, kept in path order: a reload of a 100-file directory is one round of reads, not 100.
      files.push(...(await Promise.all((await listManifestFiles(p, findings)).filter((f) => !skip?.(resolve(f))).map((f) => readOne(f, findings, known, now)))));
    } else {
      files.push(await readOne(p, findings, known, now));
    }
  }
  return { files: files.filter((f) => f.text !== '\0unreadable'), findings };
}

/**
 * Reads one file; a file whose signature (stat) matches `known`'s is not read again and keeps its
 * text (a reload of a large directory would otherwise read and decode every file for one change).
 */
async function readOne(file: string, findings: Finding[], known: ReadonlyMap<string, SourceFile> | undefined, now: () => number): Promise<SourceFile> {
  try {
    const st = await stat(file);
    const signature = `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
    const before = known?.get(file);
    if (before && before.signature === signature) return before;
    const bytes = await readFile(file);
    const text = bytes.toString('utf8');
    // No signature is kept (the next reload reads the file again) when the file may change unseen:
    // written between the stat and the read, or written so recently that a same-size rewrite within one
    // timestamp tick would keep its times (coarse clocks; git treats such "racy" files the same way).
    const racy = now() - Math.max(st.mtimeMs, st.ctimeMs) < RACY_MS;
    return bytes.length === st.size && !racy ? { file, text, signature } : { file, text };
  } catch (err) {
    findings.push(fileFinding(file, 'FILE_UNREADABLE', `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the file exists and is readable'));
    return { file, text: '\0unreadable' };
  }
}

/**
 * All manifest files under a directory, recursively, sorted; hidden entries are skipped. A directory
 * that exists but cannot be listed (permissions) adds a FILE_UNREADABLE finding to `findings`: its
 * files are unknown, not gone. One that vanished while listing is simply gone.
 */
export async function listManifestFiles(dir: string, findings?: Finding[]): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') findings?.push(fileFinding(dir, 'FILE_UNREADABLE', `cannot list the directory: ${code ?? String(err)}`, 'check the directory is readable and searchable (chmod a+rx)'));
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listManifestFiles(full, findings)));
    else if (e.isFile() && MANIFEST_EXTENSIONS.test(e.name)) out.push(full);
  }
  return out;
}

function fileFinding(file: string, code: 'FILE_UNREADABLE', message: string, hint: string): Finding {
  return newFinding(code, { file, line: 0, col: 0, path: '' }, { message, hint });
}
