import { formatTime } from '../core/time.js';
import { crossoverSize, dmaWinRangesText, sizeText, type SweepPoint, type TargetSweep } from './dma-or-cpu.js';

/**
 * The DMA-or-CPU crossover as an SVG chart (plain strings, no dependency). Two panels, memcpy and SPI; in each,
 * one series per target of the DMA speedup (CPU-blocking time / DMA time) against the transfer size, both on
 * log scales, so the crossover is where a series rises through 1x. Each crossover (`crossoverSize`) is ringed.
 * Series differ by colour, marker shape and dash pattern, so the chart reads without colour too.
 */

type PanelKind = 'memcpy' | 'spi';

interface Style {
  color: string;
  dash: string;
  marker: string;
}

// Okabe-Ito colours (distinguishable with colour-vision deficiencies), each with its own dash and marker.
const STYLES: readonly Style[] = [
  { color: '#000000', dash: '', marker: 'circle' },
  { color: '#E69F00', dash: '7 3', marker: 'square' },
  { color: '#56B4E9', dash: '2 3', marker: 'triangle' },
  { color: '#009E73', dash: '9 3 2 3', marker: 'diamond' },
  { color: '#0072B2', dash: '4 4', marker: 'down' },
  { color: '#D55E00', dash: '12 4', marker: 'cross' },
  { color: '#CC79A7', dash: '1 3', marker: 'plus' },
];

const MARKERS: Record<string, string> = {
  circle: 'M-4.5,0a4.5,4.5 0 1,0 9,0a4.5,4.5 0 1,0 -9,0Z',
  square: 'M-4,-4H4V4H-4Z',
  triangle: 'M0,-5.5L5,3.5H-5Z',
  diamond: 'M0,-5.5L5.5,0L0,5.5L-5.5,0Z',
  down: 'M0,5.5L5,-3.5H-5Z',
  cross: 'M-4,-4L4,4M-4,4L4,-4',
  plus: 'M-5,0H5M0,-5V5',
};

const W = 1000;
const PLOT_W = 380;
const PLOT_H = 300;
const TOP = 92;
const LEFT = [88, 88 + PLOT_W + 112] as const;
const LEGEND_TOP = TOP + PLOT_H + 78;
const ROW = 22;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();
const ratioOf = (p: SweepPoint): number => p.blockingPs / p.dmaPs;

function ratioText(r: number): string {
  return r >= 1 ? `${+r.toFixed(2)}x` : `1/${+(1 / r).toFixed(2)}x`;
}

/** A log2 axis from lo to hi (exponents) onto pixels a..b. */
function logScale(lo: number, hi: number, a: number, b: number): (v: number) => number {
  return (v) => a + ((Math.log2(v) - lo) / (hi - lo)) * (b - a);
}

function seriesOf(s: TargetSweep, kind: PanelKind): SweepPoint[] | undefined {
  const pts = kind === 'memcpy' ? s.memcpy : s.spi;
  return pts && [...pts].sort((a, b) => a.size - b.size);
}

function panel(kind: PanelKind, sweeps: readonly TargetSweep[], yLo: number, yHi: number): string[] {
  const left = LEFT[kind === 'memcpy' ? 0 : 1];
  const right = left + PLOT_W;
  const bottom = TOP + PLOT_H;
  const sizes = sweeps.flatMap((s) => seriesOf(s, kind)?.map((p) => p.size) ?? []);
  const out: string[] = [`<g class="panel" data-panel="${kind}">`];
  const title =
    kind === 'memcpy' ? 'memcpy: esp_async_memcpy vs CPU memcpy' : 'SPI2: queued DMA transaction vs polling the FIFO';
  out.push(
    `<text x="${left + PLOT_W / 2}" y="${TOP - 14}" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  );
  if (sizes.length === 0) {
    out.push(
      `<text x="${left + PLOT_W / 2}" y="${TOP + PLOT_H / 2}" text-anchor="middle">no target of the sweep has one</text>`,
      '</g>',
    );
    return out;
  }
  const xLo = Math.log2(Math.min(...sizes)) - 0.5;
  const xHi = Math.log2(Math.max(...sizes)) + 0.5;
  const x = logScale(xLo, xHi, left, right);
  const y = logScale(yLo, yHi, bottom, TOP);

  // where DMA finishes first: above 1x
  out.push(`<rect x="${left}" y="${TOP}" width="${PLOT_W}" height="${n1(y(1) - TOP)}" fill="#e9f5ec"/>`);
  out.push(`<text x="${left + 8}" y="${TOP + 16}" font-size="12" fill="#2d6a3e">DMA finishes first</text>`);
  out.push(`<text x="${left + 8}" y="${bottom - 8}" font-size="12" fill="#7a4b00">CPU-blocking finishes first</text>`);
  // grid and ticks: every power of two on x (labelled at powers of four), every power of two on y
  for (let e = Math.ceil(xLo); e <= Math.floor(xHi); e++) {
    const px = n1(x(2 ** e));
    out.push(
      `<line class="x-tick" data-size="${2 ** e}" x1="${px}" y1="${TOP}" x2="${px}" y2="${bottom + 5}" stroke="#d0d0d0" stroke-width="1"/>`,
    );
    if (e % 2 === 0)
      out.push(
        `<text x="${px}" y="${bottom + 19}" text-anchor="middle" font-size="12">${esc(sizeText(2 ** e))}</text>`,
      );
  }
  for (let e = yLo; e <= yHi; e++) {
    const py = n1(y(2 ** e));
    out.push(
      `<line class="${e === 0 ? 'break-even' : 'y-tick'}" x1="${left - 5}" y1="${py}" x2="${right}" y2="${py}" stroke="${e === 0 ? '#444' : '#d0d0d0'}" stroke-width="${e === 0 ? 1.5 : 1}"/>`,
    );
    out.push(
      `<text x="${left - 8}" y="${py}" dy="4" text-anchor="end" font-size="12">${e >= 0 ? 2 ** e : `1/${2 ** -e}`}x</text>`,
    );
  }
  out.push(
    `<text x="${right - 4}" y="${n1(y(1) + 14)}" text-anchor="end" font-size="11" fill="#444">break-even (1x)</text>`,
  );
  out.push(`<rect x="${left}" y="${TOP}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#444"/>`);
  out.push(
    `<text x="${left + PLOT_W / 2}" y="${bottom + 40}" text-anchor="middle" font-size="13">transfer size (bytes, log scale)</text>`,
  );
  const yMid = TOP + PLOT_H / 2;
  out.push(
    `<text x="${left - 52}" y="${yMid}" text-anchor="middle" font-size="13" transform="rotate(-90 ${left - 52} ${yMid})">DMA speedup: CPU-blocking time / DMA time (log)</text>`,
  );

  // series, then the crossover rings (and one label per crossover size) on top of them all
  const rings: string[] = [];
  const labels = new Map<number, number>(); // crossover size -> highest ring centre (smallest y)
  sweeps.forEach((s, i) => {
    const pts = seriesOf(s, kind);
    if (!pts || pts.length === 0) return;
    const st = STYLES[i % STYLES.length]!;
    const name = esc(s.target);
    out.push(`<g class="series" data-target="${name}" data-panel="${kind}">`);
    const line = pts.map((p) => `${n1(x(p.size))},${n1(y(ratioOf(p)))}`).join(' ');
    out.push(
      `<polyline points="${line}" fill="none" stroke="${st.color}" stroke-width="1.8"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`,
    );
    for (const p of pts) {
      const r = ratioOf(p);
      out.push(
        `<path class="point" data-size="${p.size}" transform="translate(${n1(x(p.size))},${n1(y(r))})" d="${MARKERS[st.marker]}" ` +
          `fill="none" stroke="${st.color}" stroke-width="1.6"><title>${name}, ${esc(sizeText(p.size))}: ` +
          `CPU-blocking ${formatTime(p.blockingPs)}, DMA ${formatTime(p.dmaPs)} (${ratioText(r)})</title></path>`,
      );
    }
    out.push('</g>');
    const cross = crossoverSize(pts);
    const at = pts.find((p) => p.size === cross);
    if (at) {
      const cy = y(ratioOf(at));
      rings.push(
        `<circle class="crossover" data-target="${name}" data-panel="${kind}" data-size="${at.size}" cx="${n1(x(at.size))}" cy="${n1(cy)}" ` +
          `r="10" fill="none" stroke="${st.color}" stroke-width="1.5"><title>${name}: crossover at ${esc(sizeText(at.size))}</title></circle>`,
      );
      labels.set(at.size, Math.min(labels.get(at.size) ?? Infinity, cy));
    }
  });
  out.push(...rings);
  for (const [size, cy] of labels) {
    out.push(
      `<text class="crossover-label" x="${n1(x(size))}" y="${n1(cy - 15)}" text-anchor="middle" font-size="12" font-weight="bold" ` +
        `stroke="white" stroke-width="3" paint-order="stroke">crossover ${esc(sizeText(size))}</text>`,
    );
  }
  out.push('</g>');
  return out;
}

function legend(sweeps: readonly TargetSweep[]): string[] {
  const out: string[] = ['<g class="legend">'];
  out.push(
    `<text x="${LEFT[0]}" y="${LEGEND_TOP - 8}" font-size="13" font-weight="bold">target: crossover, the smallest swept size at which DMA finishes first (ringed above)</text>`,
  );
  sweeps.forEach((s, i) => {
    const st = STYLES[i % STYLES.length]!;
    const cy = LEGEND_TOP + 12 + i * ROW;
    const x0 = LEFT[0];
    const wins = s.memcpy ? dmaWinRangesText(s.memcpy) : '';
    const mem = s.memcpy
      ? `${sizeText(crossoverSize(s.memcpy))}${wins ? ` (DMA first at ${wins})` : ''}`
      : 'no async memcpy';
    out.push(`<g class="legend-entry" data-target="${esc(s.target)}">`);
    out.push(
      `<line x1="${x0}" y1="${cy}" x2="${x0 + 44}" y2="${cy}" stroke="${st.color}" stroke-width="1.8"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`,
    );
    out.push(
      `<path transform="translate(${x0 + 22},${cy})" d="${MARKERS[st.marker]}" fill="white" stroke="${st.color}" stroke-width="1.6"/>`,
    );
    out.push(
      `<text x="${x0 + 56}" y="${cy}" dy="4" font-size="13"><tspan font-weight="bold">${esc(s.target)}</tspan>` +
        `<tspan x="${x0 + 170}">memcpy: ${esc(mem)}</tspan><tspan x="${x0 + 480}">SPI: ${esc(sizeText(crossoverSize(s.spi)))}</tspan></text>`,
    );
    out.push('</g>');
  });
  out.push('</g>');
  return out;
}

/** The chart of `sweeps` (one target each, as `sweepTarget` returns them) as a standalone SVG document. */
export function crossoverChartSvg(sweeps: readonly TargetSweep[]): string {
  const ratios = sweeps.flatMap((s) => [...(s.memcpy ?? []), ...s.spi]).map(ratioOf);
  // a shared y axis (so the panels compare), in whole powers of two around 1x, an octave of headroom for labels
  const yLo = Math.min(-1, Math.floor(Math.log2(Math.min(...ratios, 1))));
  const yHi = Math.max(1, Math.ceil(Math.log2(Math.max(...ratios, 1)))) + 1;
  const work = [...new Set(sweeps.map((s) => s.workCycles))].map((w) => w.toLocaleString('en-US')).join(' / ');
  const height = LEGEND_TOP + 12 + sweeps.length * ROW + 10;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="Helvetica, Arial, sans-serif" fill="#222">`,
    '<title>DMA or CPU: the crossover transfer size per target, memcpy and SPI</title>',
    `<rect width="${W}" height="${height}" fill="white"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="17" font-weight="bold">DMA or CPU: when does handing the transfer to DMA pay off?</text>`,
    `<text x="${W / 2}" y="48" text-anchor="middle" font-size="13">time until the transfer and ${esc(work)} CPU cycles of other work are both done; ` +
      'CPU-blocking does them one after the other, DMA overlaps them</text>',
    ...panel('memcpy', sweeps, yLo, yHi),
    ...panel('spi', sweeps, yLo, yHi),
    ...legend(sweeps),
    '</svg>',
    '',
  ].join('\n');
}
