import type { TargetDefinition } from '../core/target/target.js';

const hexMask = (n: number | undefined): string => (n === undefined ? '-' : `0x${n.toString(16).toUpperCase()}`);

/** One row of `soc-fabric targets`: the capabilities SILICON.md tabulates. */
export function targetRow(t: TargetDefinition): string[] {
  const c = t.caps;
  const dma =
    [
      c.gdma
        ? `GDMA ${c.gdma.ahbPairs} AHB${c.gdma.axiPairs ? `+${c.gdma.axiPairs} AXI` : ''} (M2M ${hexMask(c.gdma.m2mPairMask)}` +
          `${c.gdma.axiPairs ? `, AXI ${hexMask(c.gdma.axiM2mPairMask)}` : ''})`
        : '',
      c.cpdma ? `CP DMA ${c.cpdma.channels} ch` : '',
    ]
      .filter(Boolean)
      .join(', ') || '-';
  const etm = c.etm ? `${c.etm.channels} ch` : '-';
  const gpioEtm = c.gpio?.etm ? `${c.gpio.etm.eventChannels}/${c.gpio.etm.taskChannels}` : '-';
  return [
    t.name,
    `${t.cpu.freqHz / 1e6} MHz`,
    c.asyncMemcpy ? 'yes' : 'no',
    dma,
    c.gdma?.etm ? 'yes' : '-',
    etm,
    gpioEtm,
    c.gptimer?.etm ? 'yes' : '-',
    c.psram ? (c.gdma?.psramAccess ? 'yes (DMA)' : 'yes') : 'no',
    c.spi ? `${c.spi.hosts.join('+')} (${c.spi.dma})` : '-',
    t.plugins.map((p) => p.name).join(',') || '-',
    c.beyondSilicon.length
      ? `BEYOND SILICON: ${c.beyondSilicon.join('; ')}`
      : t.extends
        ? `from ${t.extends}`
        : 'silicon',
  ];
}

export const TARGET_HEADER = [
  'target',
  'cpu',
  'async memcpy',
  'DMA',
  'GDMA ETM',
  'ETM',
  'GPIO ETM ev/task',
  'GPTimer ETM',
  'PSRAM',
  'SPI (DMA)',
  'plugins',
  'fidelity',
];
