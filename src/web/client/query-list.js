// The query stream: the server's last queries as they arrive (GET /web/v1/queries), pausable, at most MAX_ROWS kept.
import { h } from './dom.js';

const MAX_ROWS = 500;

export class QueryList {
  constructor() {
    this.list = document.getElementById('queries');
    this.note = document.getElementById('queries-note');
    this.pauseButton = document.getElementById('queries-pause');
    this.rows = [];
    this.paused = false;
    this.missed = 0;
    this.highlight = '';
    this.pauseButton.addEventListener('click', () => this.setPaused(!this.paused));
    this.source = new EventSource('/web/v1/queries');
    this.source.addEventListener('queries', (e) => this.add(JSON.parse(e.data)));
    this.source.addEventListener('error', () => (this.note.textContent = 'reconnecting…'));
  }

  setPaused(paused) {
    this.paused = paused;
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    if (!paused) this.missed = 0;
    this.note.textContent = paused ? 'paused' : '';
  }

  add({ queries, skipped }) {
    if (this.paused) {
      this.missed += queries.length + (skipped ?? 0);
      this.note.textContent = `paused, ${this.missed} not shown`;
      return;
    }
    this.note.textContent = skipped ? `${skipped} skipped (too many to show)` : '';
    for (const q of queries) this.rows.unshift(this.row(q));
    this.rows.length = Math.min(this.rows.length, MAX_ROWS);
    this.list.replaceChildren(...this.rows);
    this.applyHighlight();
  }

  row(q) {
    const t = new Date(q.at);
    return h('li', { dataset: { name: q.name.toLowerCase() }, class: q.rcode === 'NOERROR' ? '' : 'miss' },
      h('time', {}, t.toTimeString().slice(0, 8)), ' ', h('code', {}, q.name), ' ', h('span', {}, q.type), ' ', h('span', { class: `rcode ${q.rcode === 'NOERROR' ? 'good' : 'bad'}` }, q.rcode), ' ',
      h('span.muted', {}, `${q.client} ${q.proto} ${q.ms} ms`));
  }

  /** Marks the queries whose name contains one of `names` (the object under the pointer); '' clears. */
  setHighlight(names) {
    this.highlight = names;
    this.applyHighlight();
  }

  applyHighlight() {
    const names = this.highlight.toLowerCase().split(/\s+/).filter(Boolean);
    for (const li of this.rows) li.classList.toggle('hit', names.length > 0 && names.some((n) => li.dataset.name.includes(n)));
  }
}
