import { relative, resolve, isAbsolute } from 'node:path';

/** Whether `file` lies at or below the `-f` path `under` (a directory, or the file itself); pure, on resolved paths. */
export function isInsidePath(file: string, under: string): boolean {
  const rel = relative(resolve(under), resolve(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
