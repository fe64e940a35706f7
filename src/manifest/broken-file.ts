import type { Finding } from './finding.js';

/** Which object a manifest document names: its kind, namespace as written (undefined: the default) and name. */
export interface ObjectRef {
  kind: string;
  namespace: string | undefined;
  name: string;
}

/**
 * A manifest file (or a directory) whose current text has errors while the server runs. It keeps
 * the objects of its last version without errors in force (`kept`; none if it never had one),
 * except those a file without errors now defines (`shadowed`: the good file's definition wins).
 */
export interface BrokenFile {
  /** As the user named it, or as found under a named directory. */
  file: string;
  /** Its errors, sorted (file:line:col, code, hint). */
  errors: Finding[];
  /** The objects still in force from its last good version. */
  kept: ObjectRef[];
  /** Objects of its last good version now defined by a file without errors instead. */
  shadowed: ObjectRef[];
  /** The objects its current text defines or tries to (valid or not), for `explain`. */
  defines: ObjectRef[];
}
