/**
 * Pure identity helpers, after Kubernetes' pkg/controller/statefulset and apimachinery's
 * names/rand: same input, same names (no Math.random anywhere).
 */

/** Alphabet of apimachinery's rand.String / SafeEncodeString: no vowels, no 0/1/3 (no bad words, no confusion). */
export const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a over the UTF-8 bytes of `s` (as hash/fnv's New32a in ComputeHash). */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(s, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** apimachinery's rand.SafeEncodeString: maps each character to the safe alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/** Canonical JSON (sorted keys) so that equal templates hash equally whatever their key order. */
export function toCanonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(toCanonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${toCanonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A Deployment's pod-template-hash: SafeEncodeString of the decimal FNV-1a of the template (ComputeHash). */
export function computePodTemplateHash(template: unknown, collisionCount = 0): string {
  const base = toCanonicalJson(template) + (collisionCount > 0 ? `#${collisionCount}` : '');
  return safeEncodeString(String(fnv32a(base)));
}

/** `<set>-<ordinal>` (getPodName). */
export function getStatefulSetPodName(setName: string, ordinal: number): string {
  return `${setName}-${ordinal}`;
}

/**
 * Splits a StatefulSet pod name into parent and ordinal (getParentNameAndOrdinal);
 * `{ parent: '', ordinal: -1 }` when the name has no `-<digits>` suffix.
 */
export function getParentNameAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = /^(.*)-(\d+)$/.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) ? { parent: m[1], ordinal } : { parent: '', ordinal: -1 };
}

/** `<template>-<set>-<ordinal>` (getPersistentVolumeClaimName). */
export function getClaimName(templateName: string, setName: string, ordinal: number): string {
  return `${templateName}-${setName}-${ordinal}`;
}

/**
 * The 5-character suffix a generateName would get, derived from `seed` (e.g. `ns/rs/index#incarnation`)
 * instead of randomness so names are stable across restarts.
 */
export function computeNameSuffix(seed: string, length = 5): string {
  let out = '';
  let h = fnv32a(seed);
  for (let i = 0; i < length; i++) {
    if (i > 0 && i % 4 === 0) h = fnv32a(`${seed}#${i}`);
    out += SAFE_ALPHANUMS[h % SAFE_ALPHANUMS.length];
    h = Math.floor(h / SAFE_ALPHANUMS.length);
  }
  return out;
}

/** `<base>-<5 chars>`, trimming the base as generateName does (names are at most 63 characters). */
export function getGeneratedPodName(base: string, seed: string): string {
  const maxBase = 63 - 6;
  return `${base.length > maxBase ? base.slice(0, maxBase) : base}-${computeNameSuffix(seed)}`;
}

/** The ReplicaSet name of a Deployment for a template hash: `<deploy>-<hash>`. */
export function getDeploymentReplicaSetName(deployment: string, templateHash: string): string {
  return `${deployment}-${templateHash}`;
}
