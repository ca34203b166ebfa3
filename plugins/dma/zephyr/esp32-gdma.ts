import { DmaError, EINVAL, ENOSYS, hex, EspError } from '../../../core/errors.js';
import type { MemoryMap } from '../../../core/memory/memory.js';
import { DMA_STATUS_BLOCK, DMA_STATUS_COMPLETE, type DmaConfig, type DmaDirection } from './api.js';
import type { DmaChannel, DmaTrigger } from '../engine/channel-api.js';
import { DESCRIPTOR_BYTES, encodeWord0, OWNER_DMA } from '../engine/descriptor.js';
import type { DmaEngine } from '../engine/engine.js';

/** dma_config as Zephyr's ESP32 GDMA driver reads it: the generic fields plus the trigger slot and both burst lengths. */
export interface Esp32GdmaConfig extends DmaConfig {
  /** `dma_slot`: the GDMA trigger ID (peripheral directions: the peripheral's, e.g. SPI2 = 0; M2M: default 0). */
  dmaSlot?: number;
  /** `source_burst_length` / `dest_burst_length`: must be equal (the driver refuses otherwise); default burstLength. */
  sourceBurstLength?: number;
  destBurstLength?: number;
}

/** What this driver's dma_get_status reports. */
export interface Esp32GdmaStatus {
  busy: boolean;
  /** PERIPHERAL_TO_MEMORY on an RX half (even in M2M), MEMORY_TO_PERIPHERAL on a TX half. */
  dir: DmaDirection;
  /** Always 0: the driver does not compute it. */
  pendingLength: number;
  /** Bytes the pair has moved since the last start (the driver's RX count, approximate on silicon). */
  totalCopied: number;
  /** Index of the descriptor the RX half / TX half is on. */
  readPosition: number;
  writePosition: number;
}

/** The face of Zephyr's real drivers/dma/dma_esp32_gdma.c (SILICON.md): a port sees what that driver will do. */
export interface Esp32GdmaZephyrController {
  /** `dma-channels` of the devicetree: two per pair (S3 10, C3/C6/H2 6). Channel / 2 is the pair; even RX, odd TX. */
  readonly channelCount: number;
  /** Always -EINVAL: the driver's data has no `struct dma_context`, so dma_request_channel cannot succeed. */
  requestChannel(): number;
  /** Does nothing (dma_release_channel returns at once without a dma_context). */
  releaseChannel(channel: number): void;
  /** dma_config; no busy check, `priority` and `cyclic` ignored; an M2M config on either half configures both. */
  config(channel: number, cfg: Esp32GdmaConfig): void;
  /** dma_start: (re)starts from the first descriptor, running or not. */
  start(channel: number): void;
  /** dma_stop: 0 in any state, no callback. */
  stop(channel: number): void;
  /** -ENOSYS: the driver has no suspend. */
  suspend(channel: number): void;
  /** -ENOSYS: the driver has no resume. */
  resume(channel: number): void;
  /** dma_reload: -EINVAL when unconfigured; otherwise rebuilds the list (one block) in any state. */
  reload(channel: number, src: number, dst: number, size: number): void;
  /** dma_get_status: see Esp32GdmaStatus. */
  getStatus(channel: number): Esp32GdmaStatus;
}

/** GDMA RX interrupt bit (hal gdma_ll.h, AHB GDMA layout): an RX descriptor error calls back with its negation. */
export const GDMA_LL_EVENT_RX_DESC_ERROR = 1 << 3;
/** GDMA TX interrupt bit (hal gdma_ll.h, AHB GDMA layout): a TX descriptor error calls back with its negation. */
export const GDMA_LL_EVENT_TX_DESC_ERROR = 1 << 2;

interface Half {
  cfg: Esp32GdmaConfig | undefined;
  /** Descriptor list: base address and count, for positions. */
  list: number;
  count: number;
}

interface Pair {
  hw: { tx: DmaChannel; rx: DmaChannel } | undefined;
  m2m: boolean;
  rx: Half;
  tx: Half;
  pool: number;
  base: number;
  busy: boolean;
}

const M2M: DmaDirection = 'memory-to-memory';

/**
 * Zephyr's ESP32 GDMA driver as it behaves, where it departs from dma.rst's contract (the generic face is
 * `Gdma`). Pairs are claimed from the engine at their first config and kept. Each RX descriptor finishing is
 * a BLOCK callback and the list's end COMPLETE; to see every RX descriptor finish, this model marks each TX
 * descriptor suc_eof (an RX written-back descriptor therefore carries suc_eof too, where silicon's list has it
 * only on the last). Peripheral-to-memory lists report only their EOF.
 */
export class Esp32GdmaZephyr implements Esp32GdmaZephyrController {
  readonly channelCount: number;
  private readonly pairs: Pair[] = [];
  private readonly triggerNames = new Map<number, string>();

  constructor(
    private readonly engine: DmaEngine,
    private readonly memory: MemoryMap,
    private readonly opts: { pairs: number; descriptors: number; peripheralTriggers: Readonly<Record<string, number>> },
  ) {
    this.channelCount = 2 * opts.pairs;
    for (let p = 0; p < opts.pairs; p++) {
      this.pairs.push({
        hw: undefined,
        m2m: false,
        rx: { cfg: undefined, list: 0, count: 0 },
        tx: { cfg: undefined, list: 0, count: 0 },
        pool: 0,
        base: 0,
        busy: false,
      });
    }
    for (const [name, id] of Object.entries(opts.peripheralTriggers)) this.triggerNames.set(id, name);
  }

  requestChannel(): number {
    throw new DmaError(
      EINVAL,
      'dma_esp32_gdma: dma_request_channel cannot succeed (the driver keeps no struct dma_context); name the channel from the devicetree instead',
    );
  }

  releaseChannel(_channel: number): void {
    /* dma_release_channel: no dma_context, returns at once */
  }

  config(channel: number, cfg: Esp32GdmaConfig): void {
    const { pair, rx } = this.locate(channel, 'config');
    if (cfg === null || typeof cfg !== 'object') throw new DmaError(EINVAL, 'dma_esp32_gdma: config is NULL');
    const sb = cfg.sourceBurstLength ?? cfg.burstLength ?? 0;
    const db = cfg.destBurstLength ?? cfg.burstLength ?? 0;
    if (sb !== db)
      throw new DmaError(EINVAL, `dma_esp32_gdma: source_burst_length (${sb}) != dest_burst_length (${db})`);
    const dir = cfg.direction;
    if (dir !== M2M && dir !== 'memory-to-peripheral' && dir !== 'peripheral-to-memory')
      throw new DmaError(EINVAL, `dma_esp32_gdma: unsupported direction ${String(dir)}`);
    if (dir === 'memory-to-peripheral' && rx)
      throw new DmaError(
        EINVAL,
        `dma_esp32_gdma: channel ${channel} is an RX half (even); MEMORY_TO_PERIPHERAL needs an odd (TX) channel`,
      );
    if (dir === 'peripheral-to-memory' && !rx)
      throw new DmaError(
        EINVAL,
        `dma_esp32_gdma: channel ${channel} is a TX half (odd); PERIPHERAL_TO_MEMORY needs an even (RX) channel`,
      );
    const blocks = Array.isArray(cfg.blocks) ? cfg.blocks : [];
    if (blocks.length === 0) throw new DmaError(EINVAL, 'dma_esp32_gdma: the config needs at least one block');
    let descs = 0;
    for (const [i, b] of blocks.entries()) {
      if (b === null || typeof b !== 'object' || !Number.isSafeInteger(b.size) || b.size <= 0)
        throw new DmaError(EINVAL, `dma_esp32_gdma: block ${i} needs a positive size`);
      const mem = dir === 'memory-to-peripheral' ? [b.src] : dir === 'peripheral-to-memory' ? [b.dst] : [b.src, b.dst];
      for (const a of mem)
        if (!this.engine.canReach(a, b.size))
          throw new DmaError(EINVAL, `dma_esp32_gdma: block ${i} buffer ${hex(a)} is not DMA capable`);
      descs += Math.ceil(b.size / 4092);
    }
    if (descs > this.opts.descriptors) {
      this.engine.notify('descriptor-limit', {
        driver: 'dma_esp32_gdma',
        channel,
        needed: descs,
        pool: this.opts.descriptors,
        perDescriptor: 4092,
        setting: 'CONFIG_DMA_ESP32_MAX_DESCRIPTOR_NUM',
      });
      throw new DmaError(
        EINVAL,
        `dma_esp32_gdma: Run out of DMA descriptors (${descs} needed, CONFIG_DMA_ESP32_MAX_DESCRIPTOR_NUM ${this.opts.descriptors})`,
      );
    }
    let trigger: DmaTrigger;
    const slot = cfg.dmaSlot ?? 0;
    if (dir === M2M) {
      trigger = { m2m: slot };
    } else {
      const name = this.triggerNames.get(slot);
      if (name === undefined)
        throw new DmaError(EINVAL, `dma_esp32_gdma: dma_slot ${String(slot)} is no peripheral trigger of this GDMA`);
      trigger = { peripheral: name };
    }
    const p = this.claim(pair);
    const saved = { ...cfg, blocks: blocks.map((b) => ({ src: b.src, dst: b.dst, size: b.size })) };
    const halves = dir === M2M ? (['rx', 'tx'] as const) : rx ? (['rx'] as const) : (['tx'] as const);
    for (const h of halves) {
      const ch = p.hw![h];
      if (ch.trigger) ch.disconnect();
      // the driver writes the peripheral selection register: no in-use bookkeeping, so a conflict is silent
      try {
        ch.connect(trigger);
      } catch (e) {
        if (!(e instanceof EspError)) throw e;
      }
      ch.configTransfer({ maxDataBurstSize: sb > 0 ? 16 : 0 });
      p[h].cfg = saved;
    }
    if (dir === M2M) p.m2m = true;
    else if (p.m2m) {
      p.m2m = false;
      p[rx ? 'tx' : 'rx'].cfg = undefined;
    }
    this.writeLists(pair, halves);
  }

  start(channel: number): void {
    const { pair, rx } = this.locate(channel, 'start');
    const p = this.pairs[pair]!;
    const half = rx ? p.rx : p.tx;
    if (!half.cfg || !p.hw) throw new DmaError(EINVAL, `dma_esp32_gdma: channel ${channel} is not configured`);
    this.writeLists(pair, p.m2m ? ['rx', 'tx'] : [rx ? 'rx' : 'tx']);
    p.base = this.engine.bytesMoved(pair);
    p.busy = true;
    if (p.m2m || rx) {
      p.hw.rx.reset();
      p.hw.rx.start(p.rx.list);
    }
    if (p.m2m || !rx) {
      p.hw.tx.reset();
      p.hw.tx.start(p.tx.list);
    }
  }

  stop(channel: number): void {
    const { pair, rx } = this.locate(channel, 'stop');
    const p = this.pairs[pair]!;
    if (!p.hw) return;
    if (p.m2m || rx) p.hw.rx.stop();
    if (p.m2m || !rx) p.hw.tx.stop();
    p.busy = false;
  }

  suspend(channel: number): void {
    this.locate(channel, 'suspend');
    throw new DmaError(ENOSYS, 'dma_esp32_gdma: dma_suspend is not implemented by this driver (-ENOSYS)');
  }
  resume(channel: number): void {
    this.locate(channel, 'resume');
    throw new DmaError(ENOSYS, 'dma_esp32_gdma: dma_resume is not implemented by this driver (-ENOSYS)');
  }

  reload(channel: number, src: number, dst: number, size: number): void {
    const { pair, rx } = this.locate(channel, 'reload');
    const p = this.pairs[pair]!;
    const half = rx ? p.rx : p.tx;
    if (!half.cfg) throw new DmaError(EINVAL, `dma_esp32_gdma: channel ${channel} is not configured`);
    if (!Number.isSafeInteger(size) || size <= 0 || Math.ceil(size / 4092) > this.opts.descriptors)
      throw new DmaError(EINVAL, `dma_esp32_gdma: reload size ${String(size)} does not fit the descriptors`);
    const cfg = { ...half.cfg, blocks: [{ src, dst, size }] };
    const halves = p.m2m ? (['rx', 'tx'] as const) : rx ? (['rx'] as const) : (['tx'] as const);
    for (const h of halves) p[h].cfg = cfg;
    this.writeLists(pair, halves);
  }

  getStatus(channel: number): Esp32GdmaStatus {
    const { pair, rx } = this.locate(channel, 'get_status');
    const p = this.pairs[pair]!;
    const hw = p.hw;
    // busy from the start to the list's EOF (or a stop or an error); the RX half of a finished list idles
    const busy = !!hw && p.busy && (rx ? hw.rx.state === 'running' : hw.tx.state === 'running');
    const copied = hw ? this.engine.bytesMoved(pair) - p.base : 0;
    return {
      busy,
      dir: rx ? 'peripheral-to-memory' : 'memory-to-peripheral',
      pendingLength: 0,
      totalCopied: copied,
      readPosition: this.position(p.rx, hw?.rx),
      writePosition: this.position(p.tx, hw?.tx),
    };
  }

  private position(h: Half, ch: DmaChannel | undefined): number {
    if (!ch || !h.count) return 0;
    const cur = (ch as unknown as { cur: number }).cur;
    const i = cur ? (cur - h.list) / DESCRIPTOR_BYTES : h.count;
    return i >= 0 && i <= h.count ? i : 0;
  }

  private locate(channel: number, what: string): { pair: number; rx: boolean } {
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.channelCount) {
      throw new DmaError(
        EINVAL,
        `dma_esp32_gdma: ${what}: invalid channel ${String(channel)} (0..${this.channelCount - 1})`,
      );
    }
    return { pair: channel >> 1, rx: (channel & 1) === 0 };
  }

  private claim(pair: number): Pair {
    const p = this.pairs[pair]!;
    if (p.hw) return p;
    let hw: { tx: DmaChannel; rx: DmaChannel };
    try {
      hw = this.engine.newChannelPair({ pair, owner: 'zephyr dma_esp32_gdma' });
    } catch (e) {
      throw new DmaError(
        EINVAL,
        `dma_esp32_gdma: pair ${pair} is held by another driver of this simulation: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    for (const ch of [hw.tx, hw.rx]) ch.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
    p.pool = this.memory.alloc(2 * this.opts.descriptors * DESCRIPTOR_BYTES, { caps: ['dma', 'internal'], align: 4 });
    p.rx.list = p.pool;
    p.tx.list = p.pool + this.opts.descriptors * DESCRIPTOR_BYTES;
    const rxCh = 2 * pair;
    const txCh = rxCh + 1;
    hw.rx.registerCallbacks({
      onRecvEof: (_c, e) => {
        const cb = p.rx.cfg?.callback;
        const last = e.descriptor === p.rx.list + (p.rx.count - 1) * DESCRIPTOR_BYTES;
        if (last) p.busy = false;
        cb?.(rxCh, last ? DMA_STATUS_COMPLETE : DMA_STATUS_BLOCK);
      },
      onDescrErr: () => {
        p.busy = false;
        if (!p.rx.cfg?.errorCallbackDis) p.rx.cfg?.callback?.(rxCh, -GDMA_LL_EVENT_RX_DESC_ERROR);
      },
    });
    hw.tx.registerCallbacks({
      onTransEof: (_c, e) => {
        if (e.descriptor !== p.tx.list + (p.tx.count - 1) * DESCRIPTOR_BYTES) return;
        if (!p.m2m) p.busy = false;
        p.tx.cfg?.callback?.(txCh, DMA_STATUS_COMPLETE);
      },
      onDescrErr: () => {
        p.busy = false;
        if (!p.tx.cfg?.errorCallbackDis) p.tx.cfg?.callback?.(txCh, -GDMA_LL_EVENT_TX_DESC_ERROR);
      },
    });
    p.hw = hw;
    return p;
  }

  /** Writes the lists of the given halves from their config: 4092-byte descriptors; every TX one suc_eof (see the class comment). */
  private writeLists(pair: number, halves: readonly ('rx' | 'tx')[]): void {
    const p = this.pairs[pair]!;
    const dm = this.engine.descriptors;
    const r = dm.regionOf(p.pool)!;
    for (const h of halves) {
      const half = p[h];
      const cfg = half.cfg!;
      let i = 0;
      for (const b of cfg.blocks) {
        const buf = h === 'tx' ? b.src : b.dst;
        for (let off = 0; off < b.size; off += 4092, i++) {
          const n = Math.min(4092, b.size - off);
          const at = half.list + i * DESCRIPTOR_BYTES;
          dm.setWord(
            r,
            at,
            0,
            h === 'tx'
              ? encodeWord0({ size: n, length: n, sucEof: true, owner: OWNER_DMA })
              : encodeWord0({ size: n, length: 0, owner: OWNER_DMA }),
          );
          dm.setWord(r, at, 1, buf + off);
        }
      }
      for (let k = 0; k < i; k++)
        dm.setWord(r, half.list + k * DESCRIPTOR_BYTES, 2, k + 1 < i ? half.list + (k + 1) * DESCRIPTOR_BYTES : 0);
      half.count = i;
    }
  }
}
