import { describe, expect, it } from 'vitest';
import { addPodSpecDefaults, removePodSpecDefaults, toHashedPodTemplate } from '../../src/cluster/pod-spec-defaults.js';
import { computePodTemplateHash } from '../../src/cluster/names.js';

describe('pod spec defaults', () => {
  const cases = [
    { name: 'one container, no ports', spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    { name: 'untagged image (imagePullPolicy Always)', spec: { containers: [{ name: 'web', image: 'ghcr.io/c1t1d0s7/go-myweb', ports: [{ containerPort: 8080 }] }] } },
    { name: 'init containers and UDP ports', spec: { initContainers: [{ name: 'init', image: 'busybox:latest' }], containers: [{ name: 'dns', image: 'coredns:1.11', ports: [{ containerPort: 53, protocol: 'UDP' }] }] } },
  ];
  it.each(cases)('$name: defaults added and removed give the spec back', ({ spec }) => {
    expect(removePodSpecDefaults(addPodSpecDefaults(spec))).toEqual(spec);
  });
  it.each(cases)('$name: the template hash ignores the defaults (kubectl apply writes them back)', ({ spec }) => {
    const template = { metadata: { labels: { app: 'web' } }, spec };
    const defaulted = { ...template, spec: addPodSpecDefaults(spec) };
    expect(computePodTemplateHash(toHashedPodTemplate(defaulted))).toBe(computePodTemplateHash(toHashedPodTemplate(template)));
  });
  it('a value other than the default stays, and changes the hash', () => {
    const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
    const other = { spec: { containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'Always' }] } };
    expect(removePodSpecDefaults(other.spec)).toEqual(other.spec);
    expect(computePodTemplateHash(toHashedPodTemplate(other))).not.toBe(computePodTemplateHash(toHashedPodTemplate(template)));
  });
});
