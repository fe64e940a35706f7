// The web view: one live stream of the chosen namespace (GET /web/v1/cluster), the resolve box, the query stream, actions.
import { ClusterModel, ClusterView } from './cluster-view.js';
import { ResolveBox } from './resolve-box.js';
import { QueryList } from './query-list.js';
import { askToken, deletePod, scaleWorkload, setReadiness } from './api-client.js';
import { h } from './dom.js';

const $ = (id) => document.getElementById(id);
const model = new ClusterModel();
const resolveBox = new ResolveBox();
const queries = new QueryList();
const filter = $('filter');
const nsSelect = $('namespace');
const live = $('live');
let source;
let pending = false;

const toast = (text, ok = true) => {
  const t = $('toast');
  t.textContent = text;
  t.className = `toast shown ${ok ? 'good' : 'bad'}`;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.className = 'toast'), 4000);
};
const report = (what) => (r) => toast(r.ok ? `${what}: ${r.message ?? 'done'}` : `${what} failed (${r.status}): ${r.message}`, r.ok);

const view = new ClusterView($('cluster'), {
  rerender: () => render(),
  resolve: (name) => resolveBox.fill(name, model.namespace),
  deletePod: (name) => deletePod(model.namespace, name).then(report(`delete pod ${name}`)),
  setReadiness: (name, ready) => setReadiness(model.namespace, name, ready).then(report(`pod ${name} readiness ${ready ?? 'probe'}`)),
  scale: (kind, name, n) => (Number.isInteger(n) && n >= 0 ? scaleWorkload(model.namespace, kind, name, n).then(report(`scale ${kind} ${name} to ${n}`)) : toast('replicas must be a whole number', false)),
});

function render() {
  pending = false;
  view.render(model, filter.value);
  const names = [...model.namespaces].sort();
  if (names.join() !== [...nsSelect.options].map((o) => o.value).join()) nsSelect.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
  nsSelect.value = model.namespace;
  resolveBox.setNamespaces(names, model.namespace);
}

/** Changes arrive batched by the server; rendering waits for the next frame so a burst paints once. */
function scheduleRender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(render);
}

function open(namespace) {
  source?.close();
  live.textContent = 'connecting…';
  source = new EventSource(`/web/v1/cluster?namespace=${encodeURIComponent(namespace)}`);
  source.addEventListener('snapshot', (e) => {
    // Marks for the bench: when the namespace's objects arrived, and when they were rendered.
    performance.mark('snapshot-received');
    model.reset(JSON.parse(e.data));
    live.textContent = 'live';
    live.className = 'live on';
    render();
    performance.mark('snapshot-rendered');
    document.body.dataset.ready = 'true';
  });
  source.addEventListener('changes', (e) => {
    model.apply(JSON.parse(e.data).changes);
    scheduleRender();
  });
  source.addEventListener('error', () => {
    live.textContent = 'reconnecting…';
    live.className = 'live';
  });
}

nsSelect.addEventListener('change', () => {
  location.hash = `ns=${nsSelect.value}`;
});
window.addEventListener('hashchange', () => open(namespaceFromHash()));
filter.addEventListener('input', () => scheduleRender());
$('token-button').addEventListener('click', () => void askToken());
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName ?? '')) {
    e.preventDefault();
    filter.focus();
  }
});
// The query stream marks the queries that touch the object under the pointer (or the keyboard focus).
const hover = (e) => queries.setHighlight(e.target.closest?.('[data-names]')?.dataset.names ?? '');
$('cluster').addEventListener('mouseover', hover);
$('cluster').addEventListener('focusin', hover);
$('cluster').addEventListener('mouseleave', () => queries.setHighlight(''));

function namespaceFromHash() {
  return new URLSearchParams(location.hash.slice(1)).get('ns') || 'default';
}
open(namespaceFromHash());
