import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** `dir` and every non-hidden directory below it. */
export async function listDirectories(dir: string): Promise<string[]> {
  const out = [dir];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) out.push(...(await listDirectories(join(dir, e.name))));
  return out;
}
