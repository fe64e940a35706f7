// The resolve box: what `kube-dns-sim explain` says of a name asked from a pod of a namespace (GET /explain).
import { h } from './dom.js';

export class ResolveBox {
  constructor() {
    this.form = document.getElementById('resolve-form');
    this.name = document.getElementById('resolve-name');
    this.type = document.getElementById('resolve-type');
    this.namespace = document.getElementById('resolve-namespace');
    this.result = document.getElementById('resolve-result');
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.explain();
    });
  }

  /** Keeps the namespace picker's options (the search path's namespace) in step with the cluster. */
  setNamespaces(names, current) {
    const keep = this.namespace.value || current;
    const sorted = [...names].sort();
    if (sorted.join() !== [...this.namespace.options].map((o) => o.value).join()) this.namespace.replaceChildren(...sorted.map((n) => h('option', { value: n }, n)));
    this.namespace.value = sorted.includes(keep) ? keep : current;
  }

  /** Fills the box with `name` (a DNS name clicked in the view) and explains it; SRV names ask for SRV. */
  fill(name, namespace) {
    this.name.value = name;
    this.type.value = name.startsWith('_') ? 'SRV' : 'A';
    if (namespace) this.namespace.value = namespace;
    this.name.focus();
    return this.explain();
  }

  async explain() {
    const name = this.name.value.trim();
    if (!name) return;
    const q = new URLSearchParams({ name, type: this.type.value, namespace: this.namespace.value || 'default' });
    const res = await fetch(`/explain?${q}`, { headers: { accept: 'application/json' } });
    const report = await res.json();
    if (!res.ok) return this.result.replaceChildren(h('p.bad', {}, report.error ?? report.message ?? `${res.status}`));
    this.result.replaceChildren(...this.renderReport(report).filter(Boolean));
  }

  renderReport(r) {
    const answered = r.answeredBy >= 0 ? r.steps[r.answeredBy] : undefined;
    return [
      h('p', { class: `verdict ${answered ? 'good' : 'bad'}` }, answered ? `${answered.rcode}: ${answered.name}` : `no answer for ${r.name} ${r.type}`),
      r.steps.length > 1 ? h('p.muted', {}, `search path of a pod in ${r.namespace} (ndots ${r.ndots}): ${r.searchPath.join(', ')}`) : null,
      h('ol.steps', {}, r.steps.map((s, i) =>
        h('li', { class: i === r.answeredBy ? 'answered' : '' },
          h('code', {}, s.name), ' ', h('span', { class: `rcode ${s.rcode === 'NOERROR' ? 'good' : 'bad'}` }, s.rcode), s.kind && s.kind !== 'answer' ? h('span.muted', {}, ` (${s.kind})`) : null,
          s.records.length ? h('ul.records', {}, s.records.map((rec) => h('li', {}, h('code', {}, rec.record), rec.origin ? h('div.muted', {}, rec.origin) : null))) : null))),
      r.causes?.length ? h('ul.causes', {}, r.causes.map((c) => h('li', {}, c))) : null,
      r.didYouMean?.length ? h('div.didyoumean', {}, 'Did you mean ', r.didYouMean.map((d, i) => [i ? ', ' : '', h('button.dns', { type: 'button', onclick: () => this.fill(d.relative ?? d.name) }, d.relative ?? d.name)]), '?') : null,
      r.manifestErrors?.length ? h('ul.causes', {}, r.manifestErrors.map((m) => h('li', {}, typeof m === 'string' ? m : `${m.file ?? ''}: ${m.message ?? JSON.stringify(m)}`))) : null,
    ];
  }
}
