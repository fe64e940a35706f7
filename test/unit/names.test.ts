import { describe, expect, it } from 'vitest';
import { computeNameSuffix, computePodTemplateHash, fnv32a, getClaimName, getGeneratedPodName, getParentNameAndOrdinal, getStatefulSetPodName, safeEncodeString, SAFE_ALPHANUMS } from '../../src/cluster/names.js';

describe('StatefulSet identity helpers', () => {
  const cases = [
    { name: 'pod name from set and ordinal', got: () => getStatefulSetPodName('myweb-sts', 2), want: 'myweb-sts-2' },
    { name: 'claim name from template, set and ordinal', got: () => getClaimName('myweb-pvc', 'myweb-sts-vol', 0), want: 'myweb-pvc-myweb-sts-vol-0' },
  ];
  for (const c of cases) it(c.name, () => expect(c.got()).toBe(c.want));

  const parse = [
    { name: 'simple', pod: 'web-0', want: { parent: 'web', ordinal: 0 } },
    { name: 'dashes in the set name', pod: 'my-web-sts-12', want: { parent: 'my-web-sts', ordinal: 12 } },
    { name: 'no ordinal', pod: 'web', want: { parent: '', ordinal: -1 } },
    { name: 'non-numeric suffix', pod: 'web-x2kzq', want: { parent: '', ordinal: -1 } },
  ];
  for (const c of parse) it(`getParentNameAndOrdinal: ${c.name}`, () => expect(getParentNameAndOrdinal(c.pod)).toEqual(c.want));
});

describe('generated names are stable and Kubernetes-shaped', () => {
  it('FNV-1a matches the reference vectors', () => {
    expect(fnv32a('')).toBe(0x811c9dc5);
    expect(fnv32a('a')).toBe(0xe40c292c);
    expect(fnv32a('foobar')).toBe(0xbf9cf968);
  });
  it('SafeEncodeString maps into the safe alphabet', () => {
    // '0' is byte 48; 48 % 27 = 21 → '4' (as apimachinery's rand.SafeEncodeString).
    expect(safeEncodeString('0123')).toBe('4567');
  });
  it('a ReplicaSet pod gets <rs>-<5 safe chars>, the same for the same seed', () => {
    const a = getGeneratedPodName('myweb-rs', 'default/myweb-rs/0');
    expect(a).toMatch(new RegExp(`^myweb-rs-[${SAFE_ALPHANUMS}]{5}$`));
    expect(getGeneratedPodName('myweb-rs', 'default/myweb-rs/0')).toBe(a);
    expect(getGeneratedPodName('myweb-rs', 'default/myweb-rs/1')).not.toBe(a);
  });
  it('a long base is trimmed so the name fits 63 characters', () => {
    expect(getGeneratedPodName('x'.repeat(80), 's')).toHaveLength(63);
  });
  it('suffixes differ across many seeds (no short cycle)', () => {
    const seen = new Set(Array.from({ length: 1000 }, (_, i) => computeNameSuffix(`ns/rs/${i}`)));
    expect(seen.size).toBeGreaterThan(990);
  });
  it('pod-template-hash ignores key order and changes with the template', () => {
    const a = computePodTemplateHash({ metadata: { labels: { app: 'web', env: 'dev' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const b = computePodTemplateHash({ spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { env: 'dev', app: 'web' } } });
    const c = computePodTemplateHash({ metadata: { labels: { app: 'web', env: 'dev' } }, spec: { containers: [{ name: 'c', image: 'j' }] } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(new RegExp(`^[${SAFE_ALPHANUMS}]{1,10}$`));
  });
});
