import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/load.js';

// The seed's YAML as the study note wrote it: each mistake reported at its line and column with a hint,
// and the other files still load.
describe('the verbatim seed files', () => {
  const cases = [
    { name: 'headless Service: targetPort lined up with the list dash', file: 'test/fixtures/seed/myweb-svc-headless.yaml', code: 'YAML_BAD_INDENT', line: 12, col: 5, hint: /indent "targetPort:" to column 7/ },
    { name: 'claim template: accessMode instead of accessModes', file: 'test/fixtures/seed/myweb-sts-vol.yaml', code: 'FIELD_UNKNOWN', line: 31, col: 9, hint: /accessModes/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const set = await loadManifests([c.file]);
      const errors = set.findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => [f.code, f.line, f.col])).toEqual([[c.code, c.line, c.col]]);
      expect(errors[0].hint).toMatch(c.hint);
      expect(set.objects).toHaveLength(0);
    });
  }

  it('the valid seed files still load next to the broken ones', async () => {
    const set = await loadManifests(['test/fixtures/seed']);
    expect(set.objects.map((o) => `${o.kind}/${o.name}`).sort()).toEqual(['ReplicaSet/myweb-rs', 'Service/myweb-svc', 'StatefulSet/myweb-sts']);
    expect(set.findings.filter((f) => f.severity === 'error').map((f) => f.file).sort()).toEqual(['test/fixtures/seed/myweb-sts-vol.yaml', 'test/fixtures/seed/myweb-svc-headless.yaml']);
  });

  it('the corrected lab in manifests/ loads without findings', async () => {
    const set = await loadManifests(['manifests']);
    expect(set.findings).toEqual([]);
    expect(set.objects.map((o) => `${o.kind}/${o.name}`).sort()).toEqual(['ReplicaSet/myweb-rs', 'Service/myweb-svc', 'Service/myweb-svc-headless', 'StatefulSet/myweb-sts', 'StatefulSet/myweb-sts-vol']);
  });
});
