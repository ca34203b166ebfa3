import type { TargetDefinition } from '../../../core/target/target.js';
import {
  blankExperiment,
  PRESETS,
  type ChannelSpec,
  type EventRef,
  type Experiment,
  type TaskRef,
  type TimerTaskKind,
} from '../experiment.js';
import { BASE_TARGETS, SCENARIOS } from '../targets.js';
import { h } from './dom.js';

/** What the form reports: the new experiment (already a copy), and whether it is a new starting point. */
export type FormChange = (x: Experiment) => void;

const TIMER_TASKS: TimerTaskKind[] = ['start-count', 'stop-count', 'en-alarm', 'reload', 'capture'];

/** A labelled field with its error slot; `path` is the experiment path refusals are reported under. */
function field(path: string, label: string, control: HTMLElement): HTMLElement {
  control.setAttribute('data-path', path);
  return h(
    'label',
    { class: 'field' },
    h('span', {}, label),
    control,
    h('span', { class: 'error', 'data-error-for': path }),
  );
}

function num(
  value: number | undefined,
  onValue: (n: number | undefined) => void,
  opts: { min?: number; step?: string; placeholder?: string } = {},
): HTMLInputElement {
  return h('input', {
    type: 'number',
    value: value ?? '',
    min: opts.min,
    step: opts.step ?? 'any',
    placeholder: opts.placeholder,
    onchange: (e: Event) => {
      const t = (e.target as HTMLInputElement).value.trim();
      onValue(t === '' ? undefined : Number(t));
    },
  });
}

function select<T extends string>(value: string, options: [T, string][], onValue: (v: T) => void): HTMLSelectElement {
  const s = h(
    'select',
    { onchange: (e: Event) => onValue((e.target as HTMLSelectElement).value as T) },
    ...options.map(([v, l]) => h('option', { value: v, selected: v === value }, l)),
  );
  s.value = value;
  return s;
}

/** The name an ETM ID has in the target's tables, for option labels. */
type Names = { event: (id: number | undefined) => string; task: (id: number | undefined) => string };

function tableNames(events: Map<number, string>, tasks: Map<number, string>): Names {
  const fmt = (m: Map<number, string>, id: number | undefined): string =>
    id === undefined ? '' : m.has(id) ? ` — ${m.get(id)} (${id})` : ` — ID ${id} not in this target's table`;
  return { event: (id) => fmt(events, id), task: (id) => fmt(tasks, id) };
}

/** The ETM events the experiment's hardware offers, as select options (value: the EventRef without its pin). */
function eventOptions(x: Experiment, def: TargetDefinition, n: Names): [string, string][] {
  const ids = def.caps.gptimer?.etmIds;
  const g = def.caps.gdma?.etmIds;
  const out: [string, string][] = [];
  x.timers.forEach((_, i) =>
    out.push([JSON.stringify({ kind: 'timer-alarm', timer: i }), `GPTimer ${i} alarm${n.event(ids?.alarmMatch[i])}`]),
  );
  x.gdma.forEach((_, i) => {
    out.push([
      JSON.stringify({ kind: 'gdma-eof', xfer: i, dir: 'rx' }),
      `GDMA transfer ${i} RX EOF${n.event(g && g.inSucEofBase + i)}`,
    ]);
    out.push([
      JSON.stringify({ kind: 'gdma-eof', xfer: i, dir: 'tx' }),
      `GDMA transfer ${i} TX EOF${n.event(g && g.outEofBase + i)}`,
    ]);
  });
  for (const edge of ['pos', 'neg', 'any'] as const) {
    out.push([
      JSON.stringify({ kind: 'gpio-edge', edge }),
      `GPIO ${edge === 'pos' ? 'rising' : edge === 'neg' ? 'falling' : 'any'} edge (a GPIO_EVT channel)`,
    ]);
  }
  out.push([JSON.stringify({ kind: 'memcpy-done' }), 'async memcpy COPY_DONE (IN_SUC_EOF of its pair)']);
  return out;
}

function taskOptions(x: Experiment, def: TargetDefinition, n: Names): [string, string][] {
  const ids = def.caps.gptimer?.etmIds;
  const g = def.caps.gdma?.etmIds;
  const out: [string, string][] = [];
  x.gdma.forEach((_, i) => {
    out.push([
      JSON.stringify({ kind: 'gdma-start', xfer: i, dir: 'rx' }),
      `GDMA transfer ${i} RX start${n.task(g && g.inStartTaskBase + i)}`,
    ]);
    out.push([
      JSON.stringify({ kind: 'gdma-start', xfer: i, dir: 'tx' }),
      `GDMA transfer ${i} TX start${n.task(g && g.outStartTaskBase + i)}`,
    ]);
  });
  for (const action of ['set', 'clear', 'toggle'] as const) {
    out.push([JSON.stringify({ kind: 'gpio', action }), `GPIO ${action} (a GPIO_TASK channel)`]);
  }
  const key = {
    'start-count': 'startCount',
    'stop-count': 'stopCount',
    'en-alarm': 'enAlarm',
    reload: 'reload',
    capture: 'capture',
  } as const;
  x.timers.forEach((_, i) => {
    for (const t of TIMER_TASKS)
      out.push([
        JSON.stringify({ kind: 'timer-task', timer: i, task: t }),
        `GPTimer ${i} ${t}${n.task(ids?.[key[t]][i])}`,
      ]);
  });
  const spiIds = (def.caps.spi as { etm?: { startTaskIds: Record<string, number> } }).etm?.startTaskIds;
  x.spi.forEach((_, i) =>
    out.push([
      JSON.stringify({ kind: 'spi-start', xfer: i }),
      `SPI transaction ${i} start (SPI2)${n.task(spiIds?.['SPI2'])}`,
    ]),
  );
  return out;
}

/** The ref's option value: the ref without its pin (the pin has a field of its own). */
function refKey(r: EventRef | TaskRef): string {
  const { pin: _pin, ...rest } = r as { pin?: number };
  return JSON.stringify(rest);
}

function withOption<T extends EventRef | TaskRef>(key: string, prev: T): T {
  const r = JSON.parse(key) as T;
  if (r.kind === 'gpio-edge' || r.kind === 'gpio') return { ...r, pin: (prev as { pin?: number }).pin ?? 5 };
  return r;
}

/**
 * Renders the form for `x` on target `def`. Every control carries `data-path` (its place in the experiment)
 * and an error slot, where the page shows the kit's refusal.
 */
export function renderForm(
  root: HTMLElement,
  x: Experiment,
  def: TargetDefinition | undefined,
  tables: { events: Map<number, string>; tasks: Map<number, string> },
  resolved: { event: number; task: number }[],
  onChange: FormChange,
): void {
  const set = (f: (y: Experiment) => void): void => {
    const y = structuredClone(x);
    f(y);
    onChange(y);
  };
  const names = def ? tableNames(tables.events, tables.tasks) : { event: () => '', task: () => '' };
  const scenarioMode = x.scenario !== undefined;

  const start = h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Start from'),
    field(
      'start',
      'starting point',
      select<string>(
        x.scenario ? `scenario:${x.scenario}` : '',
        [
          ['', scenarioMode ? '(pick one)' : '(the form below)'],
          ...Object.entries(PRESETS).map(([k, p]): [string, string] => [
            `preset:${k}`,
            `form: ${k} — ${p.description}`,
          ]),
          ...SCENARIOS.map((s): [string, string] => [
            `scenario:${s.name}`,
            `built-in scenario: ${s.name} — ${s.description}`,
          ]),
          ['blank', 'form: blank'],
        ],
        (v) => {
          if (v.startsWith('preset:')) onChange(PRESETS[v.slice(7)]!.make());
          else if (v.startsWith('scenario:')) {
            const s = SCENARIOS.find((q) => q.name === v.slice(9))!;
            onChange({ ...blankExperiment(s.target ?? x.target), scenario: s.name, untilUs: null });
          } else if (v === 'blank') onChange(blankExperiment(x.target));
        },
      ),
    ),
    field(
      'scenario',
      '',
      h(
        'span',
        { class: 'hint' },
        scenarioMode ? `Running the built-in scenario "${x.scenario}" as it is; pick a form to compose your own.` : '',
      ),
    ),
  );

  const targetCard = h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Target'),
    field(
      'target',
      'target',
      select(
        x.target,
        BASE_TARGETS.map((t): [string, string] => [t.name, `${t.name} — ${t.description}`]),
        (v) =>
          set((y) => {
            y.target = v;
          }),
      ),
    ),
    field(
      'gdmaPairs',
      'GDMA pairs',
      num(
        x.gdmaPairs,
        (n) =>
          set((y) => {
            if (n === undefined) delete y.gdmaPairs;
            else y.gdmaPairs = n;
          }),
        { min: 1, step: '1', placeholder: `as the target (${def?.caps.gdma?.ahbPairs ?? 'none'})` },
      ),
    ),
    field(
      'etm',
      'ETM',
      select(
        x.etm ?? '',
        [
          ['', `as the target (${def?.caps.etm ? 'on' : 'off'})`],
          ['on', 'on'],
          ['off', 'off'],
        ],
        (v) =>
          set((y) => {
            if (v === '') delete y.etm;
            else y.etm = v;
          }),
      ),
    ),
    field(
      'seed',
      'seed',
      num(
        x.seed,
        (n) =>
          set((y) => {
            y.seed = n ?? 1;
          }),
        { min: 0, step: '1' },
      ),
    ),
    field(
      'untilUs',
      'run for (us)',
      num(
        x.untilUs ?? undefined,
        (n) =>
          set((y) => {
            y.untilUs = n ?? (scenarioMode ? null : 300);
          }),
        { min: 0, placeholder: scenarioMode ? 'until idle' : undefined },
      ),
    ),
  );
  root.replaceChildren(start, targetCard);
  if (scenarioMode) return;

  const list = <T>(
    title: string,
    addLabel: string,
    key: 'pins' | 'timers' | 'gdma' | 'copies' | 'spi',
    items: T[],
    make: () => T,
    row: (item: T, i: number, upd: (f: (it: T) => void) => void) => HTMLElement[],
  ): HTMLElement =>
    h(
      'section',
      { class: `card${items.length ? '' : ' empty'}`, 'data-list': key },
      h('h2', {}, title),
      ...items.map((it, i) =>
        h(
          'div',
          { class: 'row', 'data-path': `${key}.${i}` },
          h('span', { class: 'index' }, `${i}`),
          ...row(it, i, (f) =>
            set((y) => {
              f((y[key] as unknown as T[])[i]!);
            }),
          ),
          h(
            'button',
            {
              class: 'remove',
              title: 'remove',
              onclick: () =>
                set((y) => {
                  (y[key] as unknown[]).splice(i, 1);
                }),
            },
            '×',
          ),
          h('span', { class: 'error', 'data-error-for': `${key}.${i}` }),
        ),
      ),
      h(
        'button',
        {
          class: 'add',
          'data-add': key,
          onclick: () =>
            set((y) => {
              (y[key] as unknown as T[]).push(make());
            }),
        },
        `+ ${addLabel}`,
      ),
      h('span', { class: 'error', 'data-error-for': key }),
    );

  const startSel = (atUs: number | null, upd: (v: number | null) => void, path: string): HTMLElement[] => [
    field(
      `${path}.start`,
      'start',
      select(
        atUs === null ? 'etm' : 'cpu',
        [
          ['etm', 'by the ETM'],
          ['cpu', 'by the CPU at'],
        ],
        (v) => upd(v === 'etm' ? null : 0),
      ),
    ),
    ...(atUs === null
      ? []
      : [
          field(
            `${path}.atUs`,
            'us',
            num(atUs, (n) => upd(n ?? 0), { min: 0 }),
          ),
        ]),
  ];

  root.append(
    list(
      'GPIO levels at 0',
      'GPIO level',
      'pins',
      x.pins,
      () => ({ pin: 0, level: 1 as 0 | 1 }),
      (p, i, upd) => [
        field(
          `pins.${i}.pin`,
          'GPIO',
          num(
            p.pin,
            (n) =>
              upd((q) => {
                q.pin = n ?? 0;
              }),
            { min: 0, step: '1' },
          ),
        ),
        field(
          `pins.${i}.level`,
          'level',
          select(
            String(p.level),
            [
              ['0', '0'],
              ['1', '1'],
            ],
            (v) =>
              upd((q) => {
                q.level = Number(v) as 0 | 1;
              }),
          ),
        ),
      ],
    ),
    list(
      'GPTimers',
      'GPTimer',
      'timers',
      x.timers,
      () => ({ resolutionHz: 1_000_000, alarmCount: 100, autoReload: false, start: 'cpu' as const }),
      (t, i, upd) => [
        field(
          `timers.${i}.resolutionHz`,
          'resolution Hz',
          num(
            t.resolutionHz,
            (n) =>
              upd((q) => {
                q.resolutionHz = n ?? 1_000_000;
              }),
            { min: 1, step: '1' },
          ),
        ),
        field(
          `timers.${i}.alarmCount`,
          'alarm at count',
          num(
            t.alarmCount,
            (n) =>
              upd((q) => {
                q.alarmCount = n ?? 0;
              }),
            { min: 0, step: '1' },
          ),
        ),
        field(
          `timers.${i}.autoReload`,
          'auto-reload',
          h('input', {
            type: 'checkbox',
            checked: t.autoReload,
            onchange: (e: Event) =>
              upd((q) => {
                q.autoReload = (e.target as HTMLInputElement).checked;
              }),
          }),
        ),
        field(
          `timers.${i}.start`,
          'start',
          select(
            t.start,
            [
              ['cpu', 'by the CPU at 0'],
              ['etm', 'by the ETM (start-count)'],
            ],
            (v) =>
              upd((q) => {
                q.start = v;
              }),
          ),
        ),
      ],
    ),
    list(
      'GDMA M2M transfers',
      'GDMA transfer',
      'gdma',
      x.gdma,
      () => ({ bytes: 4096, atUs: null }),
      (g, i, upd) => [
        field(
          `gdma.${i}.bytes`,
          'bytes',
          num(
            g.bytes,
            (n) =>
              upd((q) => {
                q.bytes = n ?? 1;
              }),
            { min: 1, step: '1' },
          ),
        ),
        ...startSel(
          g.atUs,
          (v) =>
            upd((q) => {
              q.atUs = v;
            }),
          `gdma.${i}`,
        ),
      ],
    ),
    list(
      'Async memcpy copies',
      'copy',
      'copies',
      x.copies,
      () => ({ bytes: 1024, atUs: 0 }),
      (c, i, upd) => [
        field(
          `copies.${i}.bytes`,
          'bytes',
          num(
            c.bytes,
            (n) =>
              upd((q) => {
                q.bytes = n ?? 1;
              }),
            { min: 1, step: '1' },
          ),
        ),
        field(
          `copies.${i}.atUs`,
          'queued at us',
          num(
            c.atUs,
            (n) =>
              upd((q) => {
                q.atUs = n ?? 0;
              }),
            { min: 0 },
          ),
        ),
      ],
    ),
    list(
      'SPI2 transactions (loopback, DMA)',
      'SPI transaction',
      'spi',
      x.spi,
      () => ({ bytes: 256, clockHz: 20_000_000, atUs: 0 }),
      (s, i, upd) => [
        field(
          `spi.${i}.bytes`,
          'bytes',
          num(
            s.bytes,
            (n) =>
              upd((q) => {
                q.bytes = n ?? 1;
              }),
            { min: 1, step: '1' },
          ),
        ),
        field(
          `spi.${i}.clockHz`,
          'SCLK Hz',
          num(
            s.clockHz,
            (n) =>
              upd((q) => {
                q.clockHz = n ?? 20_000_000;
              }),
            { min: 1, step: '1' },
          ),
        ),
        ...startSel(
          s.atUs,
          (v) =>
            upd((q) => {
              q.atUs = v;
            }),
          `spi.${i}`,
        ),
      ],
    ),
  );

  const evOpts = def ? eventOptions(x, def, names) : [];
  const taskOpts = def ? taskOptions(x, def, names) : [];
  const ensure = (opts: [string, string][], key: string): [string, string][] =>
    opts.some(([v]) => v === key) ? opts : [[key, `${key} (not in this experiment)`], ...opts];
  const channels = h(
    'section',
    { class: 'card', 'data-list': 'channels' },
    h('h2', {}, 'ETM channels'),
    ...x.channels.map((c, i) => {
      const upd = (f: (q: ChannelSpec) => void): void =>
        set((y) => {
          f(y.channels[i]!);
        });
      const ek = refKey(c.event);
      const tk = refKey(c.task);
      const r = resolved[i];
      return h(
        'div',
        { class: 'row channel', 'data-path': `channels.${i}` },
        h('span', { class: 'index' }, `ch${i}`),
        h(
          'div',
          { class: 'endpoints' },
          h(
            'div',
            { class: 'endpoint' },
            field(
              `channels.${i}.event`,
              'event',
              select(ek, ensure(evOpts, ek), (v) =>
                upd((q) => {
                  q.event = withOption(v, q.event);
                }),
              ),
            ),
            'pin' in c.event
              ? field(
                  `channels.${i}.event.pin`,
                  'GPIO',
                  num(
                    c.event.pin,
                    (n) =>
                      upd((q) => {
                        (q.event as { pin: number }).pin = n ?? 0;
                      }),
                    { min: 0, step: '1' },
                  ),
                )
              : null,
          ),
          h(
            'div',
            { class: 'endpoint' },
            field(
              `channels.${i}.task`,
              '⇒ task',
              select(tk, ensure(taskOpts, tk), (v) =>
                upd((q) => {
                  q.task = withOption(v, q.task);
                }),
              ),
            ),
            'pin' in c.task
              ? field(
                  `channels.${i}.task.pin`,
                  'GPIO',
                  num(
                    c.task.pin,
                    (n) =>
                      upd((q) => {
                        (q.task as { pin: number }).pin = n ?? 0;
                      }),
                    { min: 0, step: '1' },
                  ),
                )
              : null,
          ),
        ),
        h(
          'button',
          {
            class: 'remove',
            title: 'remove',
            onclick: () =>
              set((y) => {
                y.channels.splice(i, 1);
              }),
          },
          '×',
        ),
        r
          ? h(
              'span',
              { class: 'resolved', 'data-resolved': `${r.event}:${r.task}` },
              `${tables.events.get(r.event) ?? '?'} (${r.event}) ⇒ ${tables.tasks.get(r.task) ?? '?'} (${r.task})`,
            )
          : null,
        h('span', { class: 'error', 'data-error-for': `channels.${i}` }),
      );
    }),
    h(
      'button',
      {
        class: 'add',
        'data-add': 'channels',
        onclick: () =>
          set((y) => {
            const ev = evOpts[0]?.[0];
            const tk = taskOpts.find(([v]) => v.includes('"gpio"'))?.[0];
            y.channels.push({
              event: withOption(ev ?? '{"kind":"memcpy-done"}', { kind: 'memcpy-done' }),
              task: withOption(tk ?? '{"kind":"gpio","action":"toggle"}', { kind: 'gpio', pin: 5, action: 'toggle' }),
            });
          }),
      },
      '+ channel',
    ),
    h('span', { class: 'error', 'data-error-for': 'channels' }),
  );
  root.append(channels);
}

/** Shows `message` at the control `path` names, or at its nearest enclosing one, or at the form's top. */
export function showError(root: HTMLElement, path: string, message: string): HTMLElement {
  let p = path;
  for (;;) {
    const slot = root.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(p)}"]`);
    if (slot) {
      slot.textContent = message;
      slot.classList.add('shown');
      return slot;
    }
    const cut = p.lastIndexOf('.');
    if (cut < 0) break;
    p = p.slice(0, cut);
  }
  const top = root.querySelector<HTMLElement>('[data-error-for="start"]')!;
  top.textContent = `${path}: ${message}`;
  top.classList.add('shown');
  return top;
}
