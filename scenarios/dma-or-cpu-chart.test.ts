import { expect } from 'chai';
import { allElements, parseXml, type XmlElement } from '../test/helpers/xml.js';
import { crossoverChartSvg } from './dma-or-cpu-chart.js';
import { crossoverSize, type SweepPoint, type TargetSweep } from './dma-or-cpu.js';

const pts = (xs: [number, number, number][]): SweepPoint[] =>
  xs.map(([size, blockingPs, dmaPs]) => ({ size, blockingPs, dmaPs }));

// three made-up targets: DMA first from 1 KiB / never / from 64 B on memcpy; a target without async memcpy
const SWEEPS: TargetSweep[] = [
  {
    target: 'alpha',
    workCycles: 10_000,
    memcpy: pts([
      [16, 10, 12],
      [256, 11, 12],
      [1024, 14, 12],
      [4096, 30, 20],
      [65_536, 100, 400],
    ]),
    spi: pts([
      [16, 5, 6],
      [64, 9, 6],
      [4096, 90, 40],
    ]),
  },
  {
    target: 'beta',
    workCycles: 10_000,
    memcpy: pts([
      [16, 10, 12],
      [1024, 12, 13],
      [65_536, 100, 800],
    ]),
    spi: pts([
      [4096, 90, 40],
      [16, 5, 6],
      [64, 7, 7.5],
    ]),
  },
  {
    target: 'g&m<1>',
    workCycles: 10_000,
    memcpy: undefined,
    spi: pts([
      [16, 4, 6],
      [64, 5, 6],
      [256, 9, 6],
      [4096, 80, 30],
    ]),
  },
];

const attr = (el: XmlElement, name: string): string => {
  const v = el.attrs[name];
  if (v === undefined) throw new Error(`<${el.name}> has no ${name}`);
  return v;
};
const translate = (el: XmlElement): [number, number] => {
  const m = /^translate\(([-\d.]+),([-\d.]+)\)$/.exec(attr(el, 'transform'));
  if (!m) throw new Error(`bad transform ${el.attrs.transform}`);
  return [Number(m[1]), Number(m[2])];
};

function panelOf(svg: XmlElement, kind: string): XmlElement {
  const p = allElements(svg).find((e) => e.attrs.class === 'panel' && e.attrs['data-panel'] === kind);
  if (!p) throw new Error(`no panel ${kind}`);
  return p;
}

describe('the DMA-or-CPU crossover chart (SVG)', () => {
  const svg = parseXml(crossoverChartSvg(SWEEPS));

  it('is a well-formed SVG document', () => {
    expect(svg.name).to.equal('svg');
    expect(svg.attrs.xmlns).to.equal('http://www.w3.org/2000/svg');
    expect(Number(svg.attrs.width)).to.be.greaterThan(0);
    expect(Number(svg.attrs.height)).to.be.greaterThan(0);
  });

  it('has one series per target in each panel, skipping a target without async memcpy', () => {
    const series = (kind: string): string[] =>
      allElements(panelOf(svg, kind))
        .filter((e) => e.attrs.class === 'series')
        .map((e) => attr(e, 'data-target'));
    expect(series('memcpy')).to.deep.equal(['alpha', 'beta']);
    expect(series('spi')).to.deep.equal(['alpha', 'beta', 'g&m<1>']); // the name escaped in the file, read back intact
    for (const kind of ['memcpy', 'spi']) {
      for (const s of allElements(panelOf(svg, kind)).filter((e) => e.attrs.class === 'series')) {
        const sweep = SWEEPS.find((w) => w.target === s.attrs['data-target'])!;
        const sizes = s.children.filter((c) => c.attrs.class === 'point').map((c) => Number(attr(c, 'data-size')));
        expect(sizes, `${kind} ${sweep.target}`).to.deep.equal(
          (kind === 'memcpy' ? sweep.memcpy! : sweep.spi).map((p) => p.size).sort((a, b) => a - b),
        );
      }
    }
  });

  it('puts a point above the break-even line exactly when DMA finishes first', () => {
    for (const kind of ['memcpy', 'spi'] as const) {
      const panel = panelOf(svg, kind);
      const line = allElements(panel).find((e) => e.attrs.class === 'break-even')!;
      const y1 = Number(attr(line, 'y1'));
      for (const s of allElements(panel).filter((e) => e.attrs.class === 'series')) {
        const sweep = SWEEPS.find((w) => w.target === s.attrs['data-target'])!;
        for (const p of s.children.filter((c) => c.attrs.class === 'point')) {
          const pt = (kind === 'memcpy' ? sweep.memcpy! : sweep.spi).find(
            (q) => q.size === Number(p.attrs['data-size']),
          )!;
          expect(translate(p)[1] < y1, `${kind} ${sweep.target} ${pt.size}`).to.equal(pt.dmaPs < pt.blockingPs);
        }
      }
    }
  });

  it("rings each crossover at the size crossoverSize returns, on that series' point and the axis tick of that size", () => {
    let rings = 0;
    for (const kind of ['memcpy', 'spi'] as const) {
      const panel = allElements(panelOf(svg, kind));
      for (const sweep of SWEEPS) {
        const points = kind === 'memcpy' ? sweep.memcpy : sweep.spi;
        const ring = panel.filter((e) => e.attrs.class === 'crossover' && e.attrs['data-target'] === sweep.target);
        const expected = points && crossoverSize(points);
        if (expected === undefined) {
          expect(ring, `${kind} ${sweep.target}`).to.deep.equal([]);
          continue;
        }
        expect(ring, `${kind} ${sweep.target}`).to.have.length(1);
        rings++;
        expect(Number(attr(ring[0]!, 'data-size'))).to.equal(expected);
        const series = panel.find((e) => e.attrs.class === 'series' && e.attrs['data-target'] === sweep.target)!;
        const point = series.children.find(
          (c) => c.attrs.class === 'point' && Number(c.attrs['data-size']) === expected,
        )!;
        expect([Number(attr(ring[0]!, 'cx')), Number(attr(ring[0]!, 'cy'))]).to.deep.equal(translate(point));
        const tick = panel.find((e) => e.attrs.class === 'x-tick' && Number(e.attrs['data-size']) === expected)!;
        expect(Number(attr(tick, 'x1'))).to.equal(Number(attr(ring[0]!, 'cx')));
        expect(
          panel.some(
            (e) =>
              e.attrs.class === 'crossover-label' &&
              e.text.includes(expected >= 1024 ? `${expected / 1024} KiB` : `${expected} B`),
          ),
        ).to.equal(true);
      }
    }
    expect(rings).to.equal(4); // alpha memcpy 1 KiB, alpha SPI 64 B, g&m<1> SPI 256 B, beta SPI 4 KiB; beta memcpy never
  });

  it("tells series apart without colour (marker and dash differ) and lists each target's crossovers in the legend", () => {
    const spi = allElements(panelOf(svg, 'spi')).filter((e) => e.attrs.class === 'series');
    const looks = spi.map(
      (s) =>
        `${s.children.find((c) => c.attrs.class === 'point')!.attrs.d}|${s.children[0]!.attrs['stroke-dasharray'] ?? ''}`,
    );
    expect(new Set(looks).size).to.equal(spi.length);
    const legend = allElements(svg).filter((e) => e.attrs.class === 'legend-entry');
    const text = (e: XmlElement): string =>
      allElements(e)
        .map((c) => c.text)
        .join(' ');
    expect(legend.map((e) => e.attrs['data-target'])).to.deep.equal(['alpha', 'beta', 'g&m<1>']);
    expect(text(legend[0]!)).to.match(/memcpy: 1 KiB \(DMA first at 1 KiB..4 KiB\).*SPI: 64 B/);
    expect(text(legend[1]!)).to.match(/memcpy: never \(in the sweep\).*SPI: 4 KiB/);
    expect(text(legend[2]!)).to.match(/memcpy: no async memcpy.*SPI: 256 B/);
    const axisTitles = allElements(svg).map((e) => e.text);
    expect(axisTitles).to.include('transfer size (bytes, log scale)');
    expect(axisTitles.some((t) => /^DMA speedup: CPU-blocking time \/ DMA time/.test(t))).to.equal(true);
  });
});
