import { assembleSimulation, type Simulation } from '../core/simulation.js';
import type { TargetDefinition } from '../core/target/target.js';
import { Spi } from '../plugins/spi/index.js';
import { esp32, esp32c3, esp32c6, esp32h2, esp32s2, esp32s3 } from '../targets/index.js';
import { ESP32S3_COPY_TABLE, measureCopyRates } from './dma-vs-cpu-copy.js';

/** How an SPI transaction of the published table was issued. */
export type SpiMode = 'interrupt + DMA' | 'interrupt + CPU' | 'polling + DMA' | 'polling + CPU';
export const SPI_MODES: readonly SpiMode[] = ['interrupt + DMA', 'interrupt + CPU', 'polling + DMA', 'polling + CPU'];

/**
 * ESP-IDF's spi_master.rst, per chip: one byte at 10 MHz SCLK, ISR in IRAM, median of 11 (test_spi_master.c
 * "spi_speed"), microseconds from the call to its return; CPU at 240 MHz on ESP32/S2/S3, the default clock
 * elsewhere (C3/C6 160 MHz, H2 96 MHz). Columns in SPI_MODES order.
 */
export const SPI_TRANSACTION_US: Readonly<Record<string, readonly [number, number, number, number]>> = {
  esp32: [28, 25, 10, 8],
  esp32s2: [23, 22, 9, 8],
  esp32s3: [26, 24, 11, 9],
  esp32c3: [28, 27, 10, 9],
  esp32c6: [34, 32, 17, 15],
  esp32h2: [58, 54, 28, 24],
};

const SPI_TARGETS: Readonly<Record<string, TargetDefinition>> = { esp32, esp32s2, esp32s3, esp32c3, esp32c6, esp32h2 };

/** One published figure next to the kit's value for it. */
export interface CalibrationRow {
  kind: 'copy' | 'spi';
  target: string;
  /** What was measured: `async memcpy SRAM -> PSRAM`, `SPI polling + DMA`. */
  figure: string;
  unit: 'MiB/s' | 'us';
  published: number;
  kit: number;
  /** (kit - published) / published, in percent. */
  errorPct: number;
  /** The test's tolerance for this kind of figure, in percent. */
  tolerancePct: number;
}

/** Tolerances: copies are published to 0.01 MiB/s, SPI times in whole microseconds. */
export const COPY_TOLERANCE_PCT = 3;
export const SPI_TOLERANCE_PCT = 8;

function row(
  kind: 'copy' | 'spi',
  target: string,
  figure: string,
  unit: 'MiB/s' | 'us',
  published: number,
  kit: number,
): CalibrationRow {
  return {
    kind,
    target,
    figure,
    unit,
    published,
    kit,
    errorPct: ((kit - published) / published) * 100,
    tolerancePct: kind === 'copy' ? COPY_TOLERANCE_PCT : SPI_TOLERANCE_PCT,
  };
}

async function inTask<T>(sim: Simulation, body: () => Promise<T>): Promise<T> {
  let out: T | undefined;
  const t = sim.spawn('calibrate', async () => {
    out = await body();
  });
  await sim.run();
  await t.done;
  return out as T;
}

/**
 * The 8 ESP32-S3 copy figures (4 directions x async memcpy / CPU memcpy), measured on a fresh simulation of
 * the benchmark's setting: ESP-IDF 5.1 and its config `{ backlog: (size + 4091) / 4092, sram_trans_align: 32,
 * psram_trans_align: 32 }`.
 */
export async function calibrateCopies(): Promise<CalibrationRow[]> {
  const sim = assembleSimulation(esp32s3, { idf: '5.1' });
  try {
    const size = 100 * 1024;
    const config = { backlog: Math.floor((size + 4091) / 4092), sramTransAlign: 32, psramTransAlign: 32 };
    const rates = await inTask(sim, () => measureCopyRates(sim, size, config));
    const rows: CalibrationRow[] = [];
    for (const r of rates) {
      const ref = ESP32S3_COPY_TABLE[r.direction];
      if (!ref) continue;
      if (!r.ok) throw new Error(`calibration: ${r.direction} copied the wrong bytes`);
      rows.push(row('copy', 'esp32s3', `async memcpy ${r.direction}`, 'MiB/s', ref.dma, r.dmaMiBps));
      rows.push(row('copy', 'esp32s3', `CPU memcpy ${r.direction}`, 'MiB/s', ref.cpu, r.cpuMiBps));
    }
    return rows;
  } finally {
    await sim.dispose();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * One chip's four SPI figures, as the test measures them: a device at 10 MHz on SPI2, one full-duplex byte
 * from and to 4-byte aligned internal buffers, `transmit` (interrupt) or `pollingTransmit`, on a bus with DMA
 * or without; the median of 11 runs of the time from the call to its return, in microseconds.
 */
export async function measureSpiTransactions(sim: Simulation): Promise<Record<SpiMode, number>> {
  return inTask(sim, async () => {
    const spi = sim.get(Spi);
    const tx = sim.memory.alloc(4, { caps: ['dma', 'internal'], align: 4 });
    const rx = sim.memory.alloc(4, { caps: ['dma', 'internal'], align: 4 });
    const out = {} as Record<SpiMode, number>;
    for (const mode of SPI_MODES) {
      const bus = spi.busInitialize('SPI2', { dma: mode.endsWith('DMA') ? 'auto' : 'disabled' });
      const dev = bus.addDevice({ clockSpeedHz: 10_000_000, queueSize: 1 });
      const times: number[] = [];
      for (let i = 0; i < 11; i++) {
        const t0 = sim.now;
        if (mode.startsWith('polling')) await dev.pollingTransmit({ tx, rx, length: 1 });
        else await dev.transmit({ tx, rx, length: 1 });
        times.push((sim.now - t0) / 1e6);
      }
      out[mode] = median(times);
      bus.removeDevice(dev);
      bus.free();
    }
    sim.memory.free(tx);
    sim.memory.free(rx);
    return out;
  });
}

/** The 24 SPI figures (6 chips x 4 modes), each chip on a fresh simulation of its built-in target. */
export async function calibrateSpi(): Promise<CalibrationRow[]> {
  const rows: CalibrationRow[] = [];
  for (const [name, published] of Object.entries(SPI_TRANSACTION_US)) {
    const sim = assembleSimulation(SPI_TARGETS[name]!);
    try {
      const kit = await measureSpiTransactions(sim);
      SPI_MODES.forEach((m, i) => rows.push(row('spi', name, `SPI ${m}`, 'us', published[i]!, kit[m])));
    } finally {
      await sim.dispose();
    }
  }
  return rows;
}

/** Every published figure the kit is fitted to, next to the kit's value from runs done now. */
export async function runCalibration(): Promise<CalibrationRow[]> {
  return [...(await calibrateCopies()), ...(await calibrateSpi())];
}

/** The calibration as a table's rows: target, figure, published, kit, error. */
export function calibrationTableRows(rows: readonly CalibrationRow[]): string[][] {
  return rows.map((r) => [
    r.target,
    r.figure,
    `${r.published.toFixed(2)} ${r.unit}`,
    `${r.kit.toFixed(2)} ${r.unit}`,
    `${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(2)}%${Math.abs(r.errorPct) > r.tolerancePct ? ' !' : ''}`,
  ]);
}

export const CALIBRATION_HEADER = ['target', 'figure', 'published', 'kit', 'error'];
