import { valueAt, type WaveSignal, type Waveform } from '../vcd.js';
import { fmtPs, h } from './dom.js';

const ROW = 22;
const AXIS = 26;

/** First index whose time is > t (upper bound). */
function upper(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (times[m]! <= t) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** A "nice" step for axis ticks spanning about `span / 8`. */
function tickStep(span: number): number {
  const raw = span / 8;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

/**
 * The waveform view: signal names (DOM rows carrying their edges as data attributes) beside a canvas with the
 * time axis, zoom (wheel, buttons), pan (drag) and a time cursor (click, or the selected signal's next/previous edge).
 */
export class WaveformView {
  readonly el: HTMLElement;
  private readonly labels: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly cursorOut: HTMLElement;
  private readonly showAll: HTMLInputElement;
  private wave: Waveform = { signals: [], endPs: 0 };
  private shown: WaveSignal[] = [];
  private marks: { time: number; label: string }[] = [];
  private t0 = 0;
  private t1 = 1;
  private cursor: number | undefined;
  private selected: string | undefined;
  /** Wall time of the last draw, in milliseconds (the benchmark reads it). */
  lastDrawMs = 0;

  constructor() {
    this.canvas = h('canvas', { class: 'wave-canvas' });
    this.labels = h('div', { class: 'wave-labels' });
    this.cursorOut = h('span', { id: 'cursor-time', class: 'cursor-time' }, 'cursor: —');
    this.showAll = h('input', { type: 'checkbox', onchange: () => this.layout() });
    const btn = (label: string, title: string, f: () => void, id?: string): HTMLButtonElement =>
      h('button', { title, id, onclick: f }, label);
    this.el = h(
      'div',
      { class: 'wave' },
      h(
        'div',
        { class: 'wave-tools' },
        btn('+', 'zoom in', () => this.zoom(0.5), 'zoom-in'),
        btn('−', 'zoom out', () => this.zoom(2), 'zoom-out'),
        btn('fit', 'show the whole run', () => this.fit(), 'zoom-fit'),
        btn('◀ edge', "cursor to the selected signal's previous change", () => this.jump(-1), 'prev-edge'),
        btn('edge ▶', "cursor to the selected signal's next change", () => this.jump(1), 'next-edge'),
        h('label', {}, this.showAll, ' signals that never change'),
        this.cursorOut,
      ),
      h('div', { class: 'wave-body' }, this.labels, this.canvas),
    );
    this.installMouse();
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  /** Shows a run: its waveform and the instants to mark on the time axis (faults). */
  setWaveform(wave: Waveform, marks: { time: number; label: string }[]): void {
    this.wave = wave;
    this.marks = marks;
    this.cursor = undefined;
    this.t0 = 0;
    this.t1 = Math.max(1, wave.endPs);
    this.layout();
  }

  private layout(): void {
    this.shown = this.showAll.checked ? this.wave.signals : this.wave.signals.filter((s) => s.times.length > 1);
    this.labels.replaceChildren(
      h('div', { class: 'wave-label axis-label', style: `height:${AXIS}px` }, 'time'),
      ...this.shown.map((s) =>
        h(
          'div',
          {
            class: `wave-label${s.name === this.selected ? ' selected' : ''}`,
            style: `height:${ROW}px`,
            title: s.name,
            'data-signal': s.name,
            'data-width': s.width,
            'data-edges': JSON.stringify(s.times.slice(1)),
            onclick: () => {
              this.selected = s.name;
              this.layout();
            },
          },
          h('span', { class: 'name' }, s.name),
          h('span', { class: 'value' }, this.valueText(s)),
        ),
      ),
    );
    this.canvas.style.height = `${AXIS + this.shown.length * ROW}px`;
    this.draw();
  }

  private valueText(s: WaveSignal): string {
    if (this.cursor === undefined) return '';
    const v = valueAt(s, this.cursor);
    return Number.isNaN(v) ? 'x' : s.width === 1 ? String(v) : String(v);
  }

  private setCursor(t: number | undefined): void {
    this.cursor = t;
    this.cursorOut.textContent = t === undefined ? 'cursor: —' : `cursor: ${fmtPs(t)}`;
    if (t === undefined) this.cursorOut.removeAttribute('data-ps');
    else this.cursorOut.setAttribute('data-ps', String(t));
    for (const el of this.labels.querySelectorAll<HTMLElement>('[data-signal]')) {
      const s = this.shown.find((q) => q.name === el.dataset['signal']);
      if (s) el.querySelector('.value')!.textContent = this.valueText(s);
    }
    this.draw();
  }

  /** Puts the cursor at `t` (ps) and brings it into view. */
  showTime(t: number): void {
    if (t < this.t0 || t > this.t1) {
      const span = this.t1 - this.t0;
      this.t0 = Math.max(0, t - span / 2);
      this.t1 = this.t0 + span;
    }
    this.setCursor(t);
  }

  private jump(dir: 1 | -1): void {
    const s = this.wave.signals.find((q) => q.name === this.selected) ?? this.shown[0];
    if (!s) return;
    const from = this.cursor ?? (dir > 0 ? -1 : Infinity);
    const changes = s.times.slice(1);
    const next = dir > 0 ? changes.find((t) => t > from) : [...changes].reverse().find((t) => t < from);
    if (next !== undefined) this.showTime(next);
  }

  private zoom(f: number, at?: number): void {
    const c = at ?? this.cursor ?? (this.t0 + this.t1) / 2;
    const span = Math.max(1000, (this.t1 - this.t0) * f);
    const frac = (c - this.t0) / (this.t1 - this.t0);
    this.t0 = c - frac * span;
    this.t1 = this.t0 + span;
    this.draw();
  }

  private fit(): void {
    this.t0 = 0;
    this.t1 = Math.max(1, this.wave.endPs);
    this.draw();
  }

  private xOf(t: number, w: number): number {
    return ((t - this.t0) / (this.t1 - this.t0)) * w;
  }
  private tOf(x: number, w: number): number {
    return this.t0 + (x / w) * (this.t1 - this.t0);
  }

  private installMouse(): void {
    let drag: { x: number; t0: number; t1: number; moved: boolean } | undefined;
    this.canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = this.canvas.getBoundingClientRect();
        this.zoom(e.deltaY > 0 ? 1.25 : 0.8, this.tOf(e.clientX - r.left, r.width));
      },
      { passive: false },
    );
    this.canvas.addEventListener('mousedown', (e) => {
      drag = { x: e.clientX, t0: this.t0, t1: this.t1, moved: false };
    });
    window.addEventListener('mousemove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (!drag.moved) return;
      const w = this.canvas.getBoundingClientRect().width;
      const dt = (dx / w) * (drag.t1 - drag.t0);
      this.t0 = drag.t0 - dt;
      this.t1 = drag.t1 - dt;
      this.draw();
    });
    window.addEventListener('mouseup', (e) => {
      if (drag && !drag.moved && e.target === this.canvas) {
        const r = this.canvas.getBoundingClientRect();
        this.setCursor(Math.max(0, Math.round(this.tOf(e.clientX - r.left, r.width))));
      }
      drag = undefined;
    });
  }

  /** Draws the visible window. */
  draw(): void {
    const start = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth;
    const hgt = AXIS + this.shown.length * ROW;
    if (w === 0) return;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(hgt * dpr);
    const g = this.canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#10141a';
    g.fillRect(0, 0, w, hgt);
    g.font = '11px ui-monospace, monospace';
    // axis and grid
    const step = tickStep(this.t1 - this.t0);
    g.strokeStyle = '#243040';
    g.fillStyle = '#8aa0b8';
    g.lineWidth = 1;
    for (let t = Math.ceil(this.t0 / step) * step; t <= this.t1; t += step) {
      const x = Math.round(this.xOf(t, w)) + 0.5;
      g.beginPath();
      g.moveTo(x, AXIS - 6);
      g.lineTo(x, hgt);
      g.stroke();
      g.fillText(fmtPs(t), x + 3, 12);
    }
    for (const m of this.marks) {
      const x = this.xOf(m.time, w);
      if (x < -5 || x > w + 5) continue;
      g.fillStyle = '#ff5050';
      g.beginPath();
      g.moveTo(x - 5, AXIS - 10);
      g.lineTo(x + 5, AXIS - 10);
      g.lineTo(x, AXIS - 1);
      g.fill();
    }
    this.shown.forEach((s, row) => this.drawSignal(g, s, AXIS + row * ROW, w));
    // the visible window and the marks, for tests and scripts that read the view
    this.canvas.dataset['t0'] = String(this.t0);
    this.canvas.dataset['t1'] = String(this.t1);
    this.canvas.dataset['marks'] = JSON.stringify(this.marks.map((m) => m.time));
    if (this.cursor !== undefined) {
      const x = Math.round(this.xOf(this.cursor, w)) + 0.5;
      g.strokeStyle = '#ffd060';
      g.beginPath();
      g.moveTo(x, 0);
      g.lineTo(x, hgt);
      g.stroke();
    }
    this.lastDrawMs = performance.now() - start;
  }

  private drawSignal(g: CanvasRenderingContext2D, s: WaveSignal, y: number, w: number): void {
    const top = y + 4;
    const bot = y + ROW - 4;
    const end = this.wave.endPs;
    let i = Math.max(0, upper(s.times, this.t0) - 1);
    const last = upper(s.times, this.t1);
    g.lineWidth = 1.5;
    for (; i < last && i < s.times.length; i++) {
      const a = Math.max(this.xOf(s.times[i]!, w), -2);
      const b = Math.min(this.xOf(i + 1 < s.times.length ? s.times[i + 1]! : end, w), w + 2);
      if (b < 0) continue;
      const v = s.values[i]!;
      if (Number.isNaN(v)) {
        g.fillStyle = 'rgba(255,80,80,0.25)';
        g.fillRect(a, top, b - a, bot - top);
        continue;
      }
      if (s.width === 1) {
        g.strokeStyle = '#50e080';
        const yy = v ? top : bot;
        g.beginPath();
        if (i > 0 && !Number.isNaN(s.values[i - 1]!)) g.moveTo(a, s.values[i - 1] ? top : bot);
        else g.moveTo(a, yy);
        g.lineTo(a, yy);
        g.lineTo(b, yy);
        g.stroke();
      } else {
        g.strokeStyle = v === 0 ? '#4a6078' : '#60b0ff';
        g.beginPath();
        g.moveTo(a, (top + bot) / 2);
        g.lineTo(Math.min(a + 3, b), top);
        g.lineTo(Math.max(b - 3, a), top);
        g.lineTo(b, (top + bot) / 2);
        g.lineTo(Math.max(b - 3, a), bot);
        g.lineTo(Math.min(a + 3, b), bot);
        g.closePath();
        g.stroke();
        const text = String(v);
        if (b - a > g.measureText(text).width + 8) {
          g.fillStyle = '#d0e4ff';
          g.fillText(text, Math.max(a, 0) + 5, bot - 3);
        }
      }
    }
  }
}
