// The cluster view of one namespace: Services with their DNS names and the endpoints and pods behind them, workloads, other pods.
import { h, byName } from './dom.js';
import { toEndpointName, toPodName, toServiceName, toSrvNames } from './dns-names.js';

/** Cards shown before "show more": a namespace of thousands of objects paints in one frame. */
export const PAGE_SIZE = 50;

/** The namespace's objects, kept up to date from the stream's snapshot and changes. */
export class ClusterModel {
  constructor() {
    this.reset({ namespace: 'default', clusterDomain: 'cluster.local', namespaces: [], objects: {} });
  }

  /** Replaces everything with a `snapshot` event. */
  reset(snapshot) {
    this.namespace = snapshot.namespace;
    this.zone = snapshot.clusterDomain;
    this.namespaces = new Set(snapshot.namespaces);
    this.objects = {};
    for (const r of ['services', 'endpointslices', 'pods', 'persistentvolumeclaims', 'statefulsets', 'replicasets', 'deployments'])
      this.objects[r] = new Map((snapshot.objects[r] ?? []).map((o) => [o.name, o]));
  }

  /** Applies a `changes` event. */
  apply(changes) {
    for (const c of changes) {
      if (c.resource === 'namespaces') {
        if (c.type === 'DELETED') this.namespaces.delete(c.object.name);
        else this.namespaces.add(c.object.name);
        continue;
      }
      const m = this.objects[c.resource];
      if (c.type === 'DELETED') m.delete(c.object.name);
      else m.set(c.object.name, c.object);
    }
  }
}

/**
 * Renders the model into `root`. Cards are keyed by their content: an unchanged Service or
 * workload keeps its element (and the focus inside it), so a batch of changes touches only what changed.
 */
export class ClusterView {
  constructor(root, actions) {
    this.root = root;
    this.actions = actions;
    this.cache = new Map();
    this.limit = PAGE_SIZE;
  }

  render(model, filter) {
    const f = filter.trim().toLowerCase();
    const ns = model.namespace;
    const services = model.objects.services;
    const endpointsBySvc = new Map();
    for (const slice of model.objects.endpointslices.values()) {
      const list = endpointsBySvc.get(slice.service) ?? [];
      list.push(...slice.endpoints);
      endpointsBySvc.set(slice.service, list);
    }
    const pods = model.objects.pods;
    const behind = new Set();
    const cards = [];
    for (const svc of [...services.values()].sort(byName)) {
      const eps = (endpointsBySvc.get(svc.name) ?? []).slice().sort((a, b) => (a.pod ?? '').localeCompare(b.pod ?? '', 'en', { numeric: true }));
      for (const e of eps) if (e.pod) behind.add(e.pod);
      const names = [toServiceName(svc.name, ns, model.zone), ...toSrvNames(svc, ns, model.zone)];
      if (f && !matches(f, svc.name, names, svc.clusterIPs, svc.externalName, eps.flatMap((e) => [e.pod, ...e.addresses]))) continue;
      cards.push({ svc, eps, names });
    }
    const otherPods = [...pods.values()].filter((p) => !behind.has(p.name) && (!f || matches(f, p.name, [p.ip, toPodName(p, ns, model.zone, services)]))).sort(byName);
    const workloads = ['statefulsets', 'deployments', 'replicasets']
      .flatMap((r) => [...model.objects[r].values()])
      .filter((w) => !f || w.name.toLowerCase().includes(f))
      .sort(byName);

    const seen = new Set();
    const keyed = (key, data, build) => {
      seen.add(key);
      const sig = JSON.stringify(data);
      const hit = this.cache.get(key);
      if (hit && hit.sig === sig) return hit.el;
      const el = build();
      this.cache.set(key, { sig, el });
      return el;
    };
    const shown = cards.slice(0, this.limit);
    const out = [
      h('h2', {}, `Services in ${ns} `, h('span.muted', {}, `${cards.length}${f ? ` of ${services.size}` : ''}`)),
      shown.length === 0 ? h('p.muted', {}, f ? 'No Service matches the filter.' : 'No Services in this namespace.') : null,
      ...shown.map((c) => {
        const podsOf = c.eps.map((e) => (e.pod ? pods.get(e.pod) : undefined));
        const pvcs = podsOf.flatMap((p) => p?.pvcs ?? []).map((n) => model.objects.persistentvolumeclaims.get(n));
        return keyed(`svc/${ns}/${c.svc.name}`, [c, podsOf, pvcs, model.zone], () => this.serviceCard(model, c.svc, c.eps, c.names));
      }),
      cards.length > this.limit ? h('button.more', { type: 'button', onclick: () => { this.limit += PAGE_SIZE * 5; this.actions.rerender(); } }, `Show more (${cards.length - this.limit} hidden)`) : null,
      h('h2', {}, 'Workloads ', h('span.muted', {}, String(workloads.length))),
      h('div.workloads', {}, workloads.slice(0, this.limit).map((w) => keyed(`wl/${ns}/${w.kind}/${w.name}`, w, () => this.workloadRow(ns, w)))),
      h('h2', {}, 'Pods behind no Service ', h('span.muted', {}, String(otherPods.length))),
      otherPods.length ? this.podTable(model, otherPods.slice(0, this.limit).map((p) => ({ pod: p, endpoint: undefined })), undefined) : h('p.muted', {}, 'None.'),
    ];
    for (const k of this.cache.keys()) if (!seen.has(k)) this.cache.delete(k);
    this.root.replaceChildren(...out.filter(Boolean));
  }

  serviceCard(model, svc, eps, names) {
    const ips = svc.type === 'ExternalName' ? [] : svc.headless ? ['None (headless)'] : svc.clusterIPs;
    const ready = eps.filter((e) => e.ready).length;
    return h(
      'article.svc',
      { dataset: { service: svc.name, names: [svc.name, ...names].join(' ') }, 'aria-label': `Service ${svc.name}` },
      h('header', {}, h('h3', {}, svc.name), h('span.badge', {}, svc.headless ? 'headless' : svc.type), ips.map((ip) => h('code.ip', {}, ip)), svc.externalName ? h('span', {}, 'CNAME → ', this.dnsButton(svc.externalName)) : null),
      svc.ports.length ? h('p.ports', {}, 'Ports: ', svc.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}${p.targetPort !== undefined && p.targetPort !== p.port ? ` → ${p.targetPort}` : ''}`).join(', ')) : null,
      h('ul.names', {}, names.map((n, i) => h('li', {}, h('span.rr', {}, i === 0 ? (svc.externalName ? 'CNAME' : svc.headless ? 'A (each ready pod)' : 'A') : 'SRV'), ' ', this.dnsButton(n)))),
      svc.type === 'ExternalName' ? null : eps.length ? h('p.muted', {}, `${ready} of ${eps.length} endpoints ready${svc.headless ? ': the A answer lists the ready ones' : ''}`) : h('p.muted', {}, svc.selector ? 'No endpoints: no pod matches the selector.' : 'No selector: no endpoints.'),
      eps.length ? this.podTable(model, eps.map((e) => ({ pod: e.pod ? model.objects.pods.get(e.pod) : undefined, endpoint: e })), svc) : null,
    );
  }

  podTable(model, rows, svc) {
    const ns = model.namespace;
    return h(
      'table.pods',
      {},
      h('thead', {}, h('tr', {}, ['Pod', 'IP', 'Ready', 'Owner', 'PVCs', 'DNS name', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        rows.map(({ pod, endpoint }) => {
          const name = pod?.name ?? endpoint?.pod ?? '?';
          const ready = endpoint ? endpoint.ready : pod?.ready;
          const terminating = endpoint?.terminating || pod?.terminating;
          const state = terminating ? 'Terminating' : ready ? 'ready' : pod && pod.phase !== 'Running' ? pod.phase : 'not ready';
          const out = terminating || !ready;
          const dnsName = (svc && endpoint ? toEndpointName(svc, endpoint, ns, model.zone) : undefined) ?? (pod ? toPodName(pod, ns, model.zone, model.objects.services) : undefined);
          return h(
            'tr',
            { class: out ? 'out' : '', dataset: { pod: name, names: `${name} ${dnsName ?? ''} ${pod?.ip ?? ''}` } },
            h('th', { scope: 'row' }, name),
            h('td', {}, h('code', {}, pod?.ip || endpoint?.addresses[0] || '—')),
            h('td', {}, h('span', { class: `state ${out ? 'bad' : 'good'}` }, state), out ? h('span.note', {}, ' left out of the answers') : null),
            h('td', {}, pod?.owner ? `${pod.owner.kind} ${pod.owner.name}${pod.ordinal !== null ? ` #${pod.ordinal}` : pod.labels?.['pod-template-hash'] ? ` (hash ${pod.labels['pod-template-hash']})` : ''}` : '—'),
            h('td', {}, (pod?.pvcs ?? []).map((c) => { const pvc = model.objects.persistentvolumeclaims.get(c); return h('div', {}, c, pvc ? h('span.muted', {}, ` ${pvc.phase}${pvc.capacity ? ` ${pvc.capacity}` : ''}`) : null); })),
            h('td', {}, dnsName ? this.dnsButton(dnsName) : '—'),
            h('td.actions', {}, pod ? [
              h('button', { type: 'button', title: `Delete pod ${name} (its controller makes it again)`, onclick: () => this.actions.deletePod(name) }, 'Delete'),
              h('button', { type: 'button', title: pod.ready ? `Mark ${name} not ready` : `Mark ${name} ready`, onclick: () => this.actions.setReadiness(name, !pod.ready) }, pod.ready ? 'Unready' : 'Ready'),
              h('button', { type: 'button', title: `Let ${name} follow its readiness probe`, onclick: () => this.actions.setReadiness(name, null) }, 'Probe'),
            ] : null),
          );
        }),
      ),
    );
  }

  workloadRow(ns, w) {
    const input = h('input', { type: 'number', min: '0', max: '1000', value: String(w.replicas), 'aria-label': `Replicas of ${w.kind} ${w.name}` });
    const scale = (n) => this.actions.scale(w.kind, w.name, n);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') scale(Number(input.value)); });
    return h(
      'div.workload',
      { dataset: { workload: `${w.kind}/${w.name}`, names: w.name } },
      h('span.badge', {}, w.kind),
      h('strong', {}, w.name),
      h('span', {}, ` ${w.readyReplicas}/${w.replicas} ready`),
      w.overlay ? h('span.muted', {}, ` (${w.overlay})`) : null,
      w.owner ? h('span.muted', {}, ` of ${w.owner}`) : null,
      h('span.scale', {},
        h('button', { type: 'button', 'aria-label': `Scale ${w.name} down`, onclick: () => scale(Math.max(0, w.replicas - 1)) }, '−'),
        input,
        h('button', { type: 'button', 'aria-label': `Scale ${w.name} up`, onclick: () => scale(w.replicas + 1) }, '+'),
        h('button', { type: 'button', onclick: () => scale(Number(input.value)) }, 'Scale')),
    );
  }

  dnsButton(name) {
    return h('button.dns', { type: 'button', title: 'Resolve this name', onclick: () => this.actions.resolve(name) }, name);
  }
}

function matches(f, ...values) {
  return values.flat().some((v) => typeof v === 'string' && v.toLowerCase().includes(f));
}
