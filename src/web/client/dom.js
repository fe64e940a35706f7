// The one DOM helper: h('tag.class', { attr: value, onclick: f }, ...children); strings become text (never HTML).

/** Builds an element; `attrs` keys starting with `on` become listeners, `dataset` an object, false/null are skipped. */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'class') el.className += ` ${v}`;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Natural order: myweb-sts-2 before myweb-sts-10. */
export const byName = (a, b) => a.name.localeCompare(b.name, 'en', { numeric: true });
