import { DmaError, EINVAL, ENOSYS, hex, EspError } from '../../../core/errors.js';
import type { MemoryMap } from '../../../core/memory/memory.js';
import { DMA_STATUS_BLOCK, DMA_STATUS_COMPLETE, type DmaConfig, type DmaDirection } from './api.js';
import type { DmaChannel, DmaRxInterruptBits, DmaTrigger, DmaTxInterruptBits } from '../engine/channel-api.js';
import { GDMA_INTERRUPTS } from '../engine/interrupts.js';
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
  /**
   * irq_lock (or a k_spin_lock): the CPU takes no interrupt until the matching irqUnlock; a GDMA event in between
   * stays pending in its channel's registers. Returns the key irqUnlock takes.
   */
  irqLock(): number;
  /** irq_unlock(key): the interrupts pending since irqLock are taken now, if their channel's source is still enabled. */
  irqUnlock(key: number): void;
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

  /** irq_lock nesting depth: while above 0 the driver's ISR does not run (its events stay latched). */
  private irqLocks = 0;

  constructor(
    private readonly engine: DmaEngine,
    private readonly memory: MemoryMap,
    private readonly opts: {
      pairs: number;
      descriptors: number;
      peripheralTriggers: Readonly<Record<string, number>>;
      /** One CPU interrupt per pair (the driver's ESP32-C3 branch: irq_src[channel_id]) rather than one per half. */
      irqPerPair?: boolean;
    },
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
      // dma_esp32_config_rx/tx: gdma_ll_*_clear_interrupt_status(UINT32_MAX), then enable RX: UINT32_MAX, TX:
      // TX_EOF (and, here, TX_DESC_ERROR, which this face has always called back with). The driver enables them
      // only with a callback; the face enables them always, for its busy flag (the FSM's idle bit on silicon):
      // without a callback nothing is called either way.
      const intr = ch.interrupts;
      intr.clear(0xffff_ffff);
      const tb = this.engine.opts.interrupts ?? GDMA_INTERRUPTS;
      intr.enable(h === 'rx' ? 0xffff_ffff : tb.tx.eof | tb.tx.descrErr, true);
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
    // dma_esp32_start: esp_intr_enable first, with nothing cleared: what a stop left latched is taken now
    for (const ch of this.sources(p, rx)) ch.interrupts.setSourceEnabled(true);
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
    // dma_esp32_stop: esp_intr_disable, then the stop strobes; nothing cleared (zephyr#115726)
    for (const ch of this.sources(p, rx)) ch.interrupts.setSourceEnabled(false);
    if (p.m2m || rx) p.hw.rx.stop();
    if (p.m2m || !rx) p.hw.tx.stop();
    p.busy = false;
  }

  irqLock(): number {
    return ++this.irqLocks;
  }

  irqUnlock(key: number): void {
    if (!Number.isInteger(key) || key < 1 || key !== this.irqLocks)
      throw new DmaError(
        EINVAL,
        `irq_unlock: key ${String(key)} is not the innermost irq_lock's (${this.irqLocks || 'no lock held'}); unlock in reverse order`,
      );
    this.irqLocks--;
    if (this.irqLocks > 0) return;
    for (const p of this.pairs) {
      if (!p.hw) continue;
      this.engine.deferIsr(p.hw.rx);
      this.engine.deferIsr(p.hw.tx);
    }
  }

  /** The interrupt sources esp_intr_enable/disable toggle for a channel: its own half's, or the pair's (irqPerPair). */
  private sources(p: Pair, rx: boolean): DmaChannel[] {
    const hw = p.hw!;
    return this.opts.irqPerPair ? [hw.rx, hw.tx] : [rx ? hw.rx : hw.tx];
  }

  /**
   * dma_esp32_isr_handle for a pair: reads the RX half's INT_ST, clears what it read and calls back, then the
   * same for TX. The callback statuses are this face's (SILICON.md): an RX suc_eof is COMPLETE on the list's
   * last descriptor (in_suc_eof_des_addr) and BLOCK before it, a TX EOF on the last descriptor is COMPLETE, a
   * descriptor error the negated GDMA_LL_EVENT_*_DESC_ERROR; other bits (DONE, DSCR_EMPTY) call nothing.
   */
  private isr(pair: number): void {
    if (this.irqLocks > 0) return; // masked: the bits stay latched until irqUnlock
    const p = this.pairs[pair]!;
    const hw = p.hw!;
    const rxCh = 2 * pair;
    const txCh = rxCh + 1;
    const rb = hw.rx.interrupts.bits as DmaRxInterruptBits;
    const tb = hw.tx.interrupts.bits as DmaTxInterruptBits;
    let st = hw.rx.interrupts.status;
    if (st !== 0) {
      const stale = hw.rx.interrupts.staleStatus;
      hw.rx.interrupts.clear(st);
      const cb = p.rx.cfg?.callback;
      let status: number | undefined;
      let bit = 0;
      if (st & rb.sucEof) {
        const last = hw.rx.interrupts.eofDescriptor === p.rx.list + (p.rx.count - 1) * DESCRIPTOR_BYTES;
        if (last) p.busy = false;
        status = last ? DMA_STATUS_COMPLETE : DMA_STATUS_BLOCK;
        bit = rb.sucEof;
      }
      if (st & rb.descrErr) {
        p.busy = false;
        if (!p.rx.cfg?.errorCallbackDis)
          this.callBack(hw.rx, rxCh, cb, -GDMA_LL_EVENT_RX_DESC_ERROR, stale & rb.descrErr);
      }
      if (status !== undefined) this.callBack(hw.rx, rxCh, cb, status, stale & bit);
    }
    st = hw.tx.interrupts.status;
    if (st !== 0) {
      const stale = hw.tx.interrupts.staleStatus;
      hw.tx.interrupts.clear(st);
      const cb = p.tx.cfg?.callback;
      if (st & tb.eof && hw.tx.interrupts.eofDescriptor === p.tx.list + (p.tx.count - 1) * DESCRIPTOR_BYTES) {
        if (!p.m2m) p.busy = false;
        this.callBack(hw.tx, txCh, cb, DMA_STATUS_COMPLETE, stale & tb.eof);
      }
      if (st & tb.descrErr) {
        p.busy = false;
        if (!p.tx.cfg?.errorCallbackDis)
          this.callBack(hw.tx, txCh, cb, -GDMA_LL_EVENT_TX_DESC_ERROR, stale & tb.descrErr);
      }
    }
  }

  /** Calls the user's callback (if any); `stale`: the bits it reports that an earlier transfer latched. */
  private callBack(
    ch: DmaChannel,
    channel: number,
    cb: ((channel: number, status: number) => void) | undefined,
    status: number,
    stale: number,
  ): void {
    if (!cb) return;
    if (stale !== 0) this.engine.reportStale(ch, stale);
    cb(channel, status);
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
    // the driver's ISR (dma_esp32_isr_handle) serves both halves of the pair, whichever raised it
    for (const ch of [hw.rx, hw.tx]) ch.interrupts.setHandler(() => this.isr(pair));
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
