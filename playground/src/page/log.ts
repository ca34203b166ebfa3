import type { LoggedEvent } from '../run.js';
import { fmtPs, h } from './dom.js';

/** Rows drawn at most (the log keeps every event; the view shows the first ones that pass the filter). */
const MAX_ROWS = 2000;

/** The event log: every bus event of the run, filterable by source (and by text); a click moves the cursor. */
export class EventLogView {
  readonly el: HTMLElement;
  private readonly sources: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly text: HTMLInputElement;
  private readonly count: HTMLElement;
  private events: LoggedEvent[] = [];
  private hidden = new Set<string>();

  constructor(private readonly onPick: (time: number) => void) {
    this.sources = h('div', { class: 'log-sources' });
    this.text = h('input', { type: 'search', placeholder: 'filter text', oninput: () => this.render() });
    this.count = h('span', { class: 'log-count' });
    this.body = h('tbody');
    this.el = h(
      'div',
      { class: 'log' },
      h('div', { class: 'log-tools' }, this.sources, this.text, this.count),
      h(
        'div',
        { class: 'log-scroll' },
        h(
          'table',
          { id: 'event-log' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, 'time'), h('th', {}, 'source'), h('th', {}, 'type'), h('th', {}, 'data')),
          ),
          this.body,
        ),
      ),
    );
  }

  setEvents(events: LoggedEvent[], extra: { time: number; source: string; type: string; data: string }[]): void {
    this.events = [...events, ...extra].sort((a, b) => a.time - b.time);
    const names = [...new Set(this.events.map((e) => e.source))].sort();
    this.sources.replaceChildren(
      ...names.map((s) =>
        h(
          'label',
          { class: 'src' },
          h('input', {
            type: 'checkbox',
            'data-source': s,
            checked: !this.hidden.has(s),
            onchange: (e: Event) => {
              if ((e.target as HTMLInputElement).checked) this.hidden.delete(s);
              else this.hidden.add(s);
              this.render();
            },
          }),
          ` ${s}`,
        ),
      ),
    );
    this.render();
  }

  private render(): void {
    const q = this.text.value.trim().toLowerCase();
    const pass = this.events.filter(
      (e) => !this.hidden.has(e.source) && (!q || `${e.source} ${e.type} ${e.data}`.toLowerCase().includes(q)),
    );
    this.count.textContent = `${pass.length} of ${this.events.length} events${pass.length > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : ''}`;
    this.body.replaceChildren(
      ...pass.slice(0, MAX_ROWS).map((e) =>
        h(
          'tr',
          {
            'data-time': e.time,
            'data-source': e.source,
            'data-type': e.type,
            class: e.source === 'fault' ? 'fault' : undefined,
            onclick: () => this.onPick(e.time),
          },
          h('td', { class: 'time' }, fmtPs(e.time)),
          h('td', {}, e.source),
          h('td', {}, e.type),
          h('td', { class: 'data' }, e.data),
        ),
      ),
    );
  }
}
