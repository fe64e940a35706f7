// TEMPORARY stub until the kube-api-patch branch lands (JSON merge patch only).
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function merge(a: unknown, p: unknown): unknown {
  if (!isObj(p)) return p;
  const out: Obj = isObj(a) ? { ...a } : {};
  for (const [k, v] of Object.entries(p)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}
export function applyPatch(contentType: string, original: Obj, patch: unknown, _t: { group: string; version: string; kind: string }): { ok: true; value: Obj } | { ok: false; reason: 'UnsupportedMediaType' | 'BadRequest' | 'Invalid'; message: string } {
  void contentType;
  return { ok: true, value: merge(original, patch) as Obj };
}
