import type { BrokenFile, ObjectRef } from '../../manifest/broken-file.js';
import { toFindingHeadline } from '../../manifest/finding.js';

/** Whether `name` (lower-case, no trailing dot) is a DNS name the object would give or shape: its Service name and below, its pods' names. */
function isNameOf(ref: ObjectRef, name: string, zone: string, defaultNamespace: string): boolean {
  const ns = ref.namespace ?? defaultNamespace;
  const under = (anchor: string) => name === anchor || name.endsWith(`.${anchor}`);
  const svcZone = `.${ns}.svc.${zone}`;
  const first = name.split('.')[0];
  switch (ref.kind) {
    case 'Service':
    case 'Endpoints':
      return under(`${ref.name}${svcZone}`);
    case 'StatefulSet':
      return name.endsWith(svcZone) && first.startsWith(`${ref.name}-`) && /^\d+$/.test(first.slice(ref.name.length + 1));
    case 'Pod':
      return name.endsWith(svcZone) && first === ref.name;
    case 'Namespace':
      return under(`${ref.name}.svc.${zone}`) || under(`${ref.name}.pod.${zone}`);
    default:
      return false;
  }
}

/**
 * What `explain` says about a name that a manifest file with errors defines or would define (the
 * running server keeps that file's last good objects): one note per such object, naming the file,
 * its first error and what is served meanwhile. `names`: the candidates asked, lower-case.
 */
export function getBrokenFileNotes(brokenFiles: readonly BrokenFile[], names: readonly string[], zone: string, defaultNamespace: string): string[] {
  const notes: string[] = [];
  const same = (a: ObjectRef, b: ObjectRef) => a.kind === b.kind && a.name === b.name && (a.namespace ?? defaultNamespace) === (b.namespace ?? defaultNamespace);
  for (const b of brokenFiles) {
    for (const ref of b.defines) {
      if (!names.some((n) => isNameOf(ref, n, zone, defaultNamespace))) continue;
      const what = ref.kind === 'Namespace' ? `Namespace ${ref.name}` : `${ref.kind} ${ref.namespace ?? defaultNamespace}/${ref.name}`;
      const served = b.kept.some((r) => same(r, ref))
        ? 'its last good version is served until the file is fixed'
        : b.shadowed.some((r) => same(r, ref))
          ? 'another file defines it too, and that definition is served'
          : 'it is not served until the file is fixed';
      const more = b.errors.length > 1 ? ` and ${b.errors.length - 1} more` : '';
      notes.push(`${b.file} has errors (${toFindingHeadline(b.errors[0])}${more}): it defines ${what}; ${served}`);
    }
  }
  return notes;
}
