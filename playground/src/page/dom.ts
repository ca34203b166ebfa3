/** A small element builder: h('div', { class: 'x', onclick: f }, child, 'text'). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, unknown> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'value' && 'value' in el) (el as unknown as { value: string }).value = String(v);
    else if (k === 'checked' && el instanceof HTMLInputElement) el.checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** Picoseconds as the kit prints them (ps, ns, us, ms, s), to at most 6 significant digits. */
export function fmtPs(ps: number): string {
  const a = Math.abs(ps);
  const [d, u] =
    a >= 1e12 ? [1e12, 's'] : a >= 1e9 ? [1e9, 'ms'] : a >= 1e6 ? [1e6, 'us'] : a >= 1e3 ? [1e3, 'ns'] : [1, 'ps'];
  return `${Number((ps / d).toPrecision(6))}${u}`;
}

/** Offers `text` as a file download named `name`. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
