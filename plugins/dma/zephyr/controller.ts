import { DmaError, EBUSY, ECANCELED, EINVAL, EIO, ENOSYS, hex } from '../../../core/errors.js';
import type { MemoryMap } from '../../../core/memory/memory.js';
import { DMA_STATUS_BLOCK, DMA_STATUS_COMPLETE, type DmaConfig, type DmaController, type DmaStatus } from './api.js';
import { DMA_BURST_SIZES, isDmaBurstSize } from '../engine/burst.js';
import type { DmaChannel } from '../engine/channel-api.js';
import { encodeWord0, OWNER_DMA, type DescriptorMemory } from '../engine/descriptor.js';
import type { DmaEngine } from '../engine/engine.js';

type ChanState = 'unconfigured' | 'configured' | 'running' | 'suspended';

export interface ZephyrDmaOptions {
  /** Name in messages ('gdma', 'cpdma'). */
  name: string;
  /** Engine pair behind each controller channel. */
  pairs: readonly number[];
  /** Descriptors per direction in each channel's pool (Zephyr's CONFIG_DMA_ESP32_MAX_DESCRIPTOR_NUM: 16). */
  descriptorsPerChannel: number;
  /** Bytes per descriptor when splitting blocks (4092 on GDMA, 4095 on CP DMA). */
  maxPerDescriptor: number;
  priorities: number;
  /** Set where no upstream Zephyr driver exists for this DMA (the ESP32-S2's CP DMA): what the face goes beyond. */
  beyondUpstream?: string;
}

class ZChannel {
  requested = false;
  state: ChanState = 'unconfigured';
  cfg: DmaConfig | undefined;
  hw: { tx: DmaChannel; rx: DmaChannel } | undefined;
  /** Descriptor pool in simulated DMA-capable memory: TX descriptors, then RX descriptors. */
  pool = 0;
  total = 0;
  baseMoved = 0;
  blockIdx = 0;
  /** First descriptor index of each block, and the count, for re-arming cyclic lists. */
  txCount = 0;
  rxCount = 0;
  /** Set while a transfer is pending (running or suspended): a stop reports -ECANCELED once. */
  pending = false;
  constructor(readonly pair: number) {}
}

/**
 * The Zephyr DMA API (dma.h) over a DMA engine's channel API: channel N is the N-th memory-to-memory capable
 * pair. The descriptor pool of a channel is allocated in DMA-capable SRAM at its first `config` and reused;
 * `start` writes the lists from the configuration (so a reload or a restart re-arms them).
 */
export class ZephyrDmaController implements DmaController {
  readonly channelCount: number;
  /** Why this face has no upstream Zephyr counterpart, where it has none (undefined: it models dma.rst over a real driver). */
  readonly beyondUpstream: string | undefined;
  private readonly ch: ZChannel[];
  private readonly dm: DescriptorMemory;
  /** The engine's descriptor size (12 on AHB). */
  private readonly descBytes: number;

  constructor(
    private readonly engine: DmaEngine,
    private readonly memory: MemoryMap,
    private readonly opts: ZephyrDmaOptions,
  ) {
    this.ch = opts.pairs.map((p) => new ZChannel(p));
    this.channelCount = this.ch.length;
    this.beyondUpstream = opts.beyondUpstream;
    this.dm = engine.descriptors;
    this.descBytes = engine.descriptor.bytes;
  }

  requestChannel(): number {
    for (let i = 0; i < this.ch.length; i++) {
      const c = this.ch[i]!;
      if (!c.requested && (c.hw !== undefined || this.engine.isPairFree(c.pair))) {
        c.requested = true;
        return i;
      }
    }
    throw new DmaError(
      EINVAL,
      `${this.opts.name}: no free channel (all ${this.channelCount} requested or used by other drivers)`,
    );
  }

  releaseChannel(channel: number): void {
    const c = this.get(channel, 'release_channel');
    this.stop(channel);
    if (c.hw) {
      c.hw.tx.delete();
      c.hw.rx.delete();
      c.hw = undefined;
    }
    if (c.pool) {
      this.memory.free(c.pool);
      c.pool = 0;
    }
    c.cfg = undefined;
    c.state = 'unconfigured';
    c.requested = false;
  }

  config(channel: number, cfg: DmaConfig): void {
    const c = this.get(channel, 'config');
    if (c.state === 'running' || c.state === 'suspended') {
      throw new DmaError(
        EBUSY,
        `${this.opts.name}: channel ${channel} has a transfer in progress; stop it before config`,
      );
    }
    if (cfg === null || typeof cfg !== 'object')
      throw new DmaError(EINVAL, `${this.opts.name}: config needs a dma_config object`);
    if (cfg.direction !== 'memory-to-memory') {
      if (cfg.direction === 'memory-to-peripheral' || cfg.direction === 'peripheral-to-memory') {
        throw new DmaError(
          ENOSYS,
          `${this.opts.name}: ${cfg.direction} needs a peripheral's DMA slot; use the peripheral's driver (channel API) instead`,
        );
      }
      throw new DmaError(EINVAL, `${this.opts.name}: unknown direction ${String(cfg.direction)}`);
    }
    if (cfg.burstLength !== undefined && !isDmaBurstSize(cfg.burstLength)) {
      throw new DmaError(
        EINVAL,
        `${this.opts.name}: burst length must be ${DMA_BURST_SIZES}, got ${String(cfg.burstLength)}`,
      );
    }
    const prio = cfg.priority ?? 0;
    if (!Number.isInteger(prio) || prio < 0 || prio >= this.opts.priorities) {
      throw new DmaError(
        EINVAL,
        `${this.opts.name}: priority must be 0..${this.opts.priorities - 1}, got ${String(cfg.priority)}`,
      );
    }
    if (cfg.callback !== undefined && typeof cfg.callback !== 'function')
      throw new DmaError(EINVAL, `${this.opts.name}: callback must be a function`);
    this.checkBlocks(cfg.blocks, channel);
    if (!c.hw) {
      let hw: { tx: DmaChannel; rx: DmaChannel } | undefined;
      try {
        hw = this.engine.newChannelPair({ pair: c.pair });
        const mask = this.engine.freeM2mTriggerMask();
        if (mask === 0) throw new DmaError(EBUSY, `${this.opts.name}: no free memory-to-memory trigger ID`);
        const id = 31 - Math.clz32(mask & -mask);
        hw.tx.connect({ m2m: id });
        hw.rx.connect({ m2m: id });
        // descriptors are checked and handed back (a new GDMA channel has both off)
        hw.tx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
        hw.rx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
        if (!c.pool)
          c.pool = this.memory.alloc(2 * this.opts.descriptorsPerChannel * this.descBytes, {
            caps: ['dma', 'internal'],
            align: this.engine.descriptor.align,
          });
      } catch (e) {
        if (hw) {
          hw.tx.delete();
          hw.rx.delete();
        }
        if (e instanceof DmaError) throw e;
        throw new DmaError(
          EBUSY,
          `${this.opts.name}: channel ${channel}'s pair ${c.pair} is unavailable: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      c.hw = hw;
      const cb = (): void => this.onEof(channel);
      hw.rx.registerCallbacks({ onRecvEof: cb, onDescrErr: () => this.onError(channel) });
      hw.tx.registerCallbacks({ onDescrErr: () => this.onError(channel) });
    }
    c.hw.tx.setPriority(prio);
    c.hw.rx.setPriority(prio);
    const burst = cfg.burstLength ?? 16;
    // burst_length turns burst on or off; the engine's size (16 where adjustable, e.g. the S3's 16/32/64) does not
    // change its timing, and Zephyr's burst lengths (1..64) are not all sizes gdma_ll sets
    c.hw.tx.configTransfer({ maxDataBurstSize: burst > 0 ? 16 : 0, accessExtMem: true });
    c.hw.rx.configTransfer({ maxDataBurstSize: burst > 0 ? 16 : 0, accessExtMem: true });
    c.cfg = { ...cfg, blocks: cfg.blocks.map((b) => ({ src: b.src, dst: b.dst, size: b.size })) };
    c.state = 'configured';
    c.total = 0;
  }

  start(channel: number): void {
    const c = this.get(channel, 'start');
    if (c.state === 'unconfigured')
      throw new DmaError(EINVAL, `${this.opts.name}: channel ${channel} is not configured`);
    if (c.state === 'running' || c.state === 'suspended') return;
    this.writeLists(c);
    c.total = c.cfg!.blocks.reduce((a, b) => a + b.size, 0);
    c.baseMoved = this.engine.bytesMoved(c.pair);
    c.blockIdx = 0;
    c.state = 'running';
    c.pending = true;
    c.hw!.rx.start(c.pool + this.opts.descriptorsPerChannel * this.descBytes);
    c.hw!.tx.start(c.pool);
  }

  stop(channel: number): void {
    const c = this.get(channel, 'stop');
    if (c.state !== 'running' && c.state !== 'suspended') return;
    // a transfer ending at this very instant completes first (its callback may restart the channel: that new
    // transfer is the one stopped)
    c.hw!.tx.reset();
    c.hw?.rx.reset();
    if (!c.hw || (c.state as ChanState) === 'configured') return; // the completion's callback released or stopped the channel
    const cancelled = c.pending;
    c.state = 'configured';
    c.pending = false;
    if (cancelled && !c.cfg!.errorCallbackDis) this.notify(channel, ECANCELED);
  }

  suspend(channel: number): void {
    const c = this.get(channel, 'suspend');
    if (c.state !== 'running')
      throw new DmaError(
        EINVAL,
        `${this.opts.name}: suspend needs a running channel; channel ${channel} is ${c.state}`,
      );
    c.hw!.tx.stop();
    c.hw?.rx.stop();
    // a transfer that ended at this very instant completed during the stop: there is nothing left to suspend
    if (c.state === 'running' && c.pending) c.state = 'suspended';
  }

  resume(channel: number): void {
    const c = this.get(channel, 'resume');
    if (c.state !== 'suspended')
      throw new DmaError(
        EINVAL,
        `${this.opts.name}: resume needs a suspended channel; channel ${channel} is ${c.state}`,
      );
    c.state = 'running';
    c.hw!.rx.append();
    c.hw!.tx.append();
  }

  reload(channel: number, src: number, dst: number, size: number): void {
    const c = this.get(channel, 'reload');
    if (c.state === 'unconfigured')
      throw new DmaError(EINVAL, `${this.opts.name}: channel ${channel} is not configured`);
    if (c.state !== 'configured')
      throw new DmaError(
        EBUSY,
        `${this.opts.name}: channel ${channel} has a transfer in progress; reload after it completes or stop it`,
      );
    const blocks = [{ src, dst, size }];
    this.checkBlocks(blocks, channel);
    c.cfg = { ...c.cfg!, blocks };
    c.total = 0;
  }

  getStatus(channel: number): DmaStatus {
    const c = this.get(channel, 'get_status');
    if (!c.cfg) return { busy: false, pendingLength: 0, totalCopied: 0 };
    const total = c.cfg.blocks.reduce((a, b) => a + b.size, 0);
    if (!c.hw || c.total === 0) return { busy: false, pendingLength: total, totalCopied: 0, dir: c.cfg.direction };
    const copied = this.engine.bytesMoved(c.pair) - c.baseMoved;
    const inRound = c.cfg.cyclic ? copied % c.total : Math.min(copied, c.total);
    const pendingLength =
      c.state === 'configured' && !c.pending ? (copied >= c.total ? 0 : c.total - copied) : c.total - inRound;
    return { busy: c.state === 'running', pendingLength, totalCopied: copied, dir: c.cfg.direction };
  }

  private onEof(channel: number): void {
    const c = this.ch[channel]!;
    const cfg = c.cfg!;
    c.blockIdx++;
    if (c.blockIdx < cfg.blocks.length) {
      if (cfg.completeCallbackEn) this.notify(channel, DMA_STATUS_BLOCK);
      return;
    }
    c.blockIdx = 0;
    if (cfg.cyclic) {
      this.rearm(c);
    } else {
      c.state = 'configured';
      c.pending = false;
    }
    this.notify(channel, DMA_STATUS_COMPLETE);
  }

  private onError(channel: number): void {
    const c = this.ch[channel]!;
    c.hw!.tx.reset();
    c.hw!.rx.reset();
    c.state = 'configured';
    c.pending = false;
    if (!c.cfg!.errorCallbackDis) this.notify(channel, EIO);
  }

  /**
   * Calls the channel's dma_callback_t with `status`. It runs in "ISR context" and may config, start or stop
   * its channel; an exception from it is a fault naming the channel, and the controller's state is already
   * whole when it runs.
   */
  private notify(channel: number, status: number): void {
    const cb = this.ch[channel]!.cfg?.callback;
    if (cb) this.engine.kernel.invoke(`${this.opts.name}: dma callback of channel ${channel}`, cb, channel, status);
  }

  private checkBlocks(blocks: unknown, ch: number): asserts blocks is { src: number; dst: number; size: number }[] {
    if (!Array.isArray(blocks) || blocks.length === 0)
      throw new DmaError(EINVAL, `${this.opts.name}: the config needs at least one block`);
    let descs = 0;
    for (const [i, b] of (blocks as { src: number; dst: number; size: number }[]).entries()) {
      if (b === null || typeof b !== 'object' || !Number.isSafeInteger(b.size) || b.size <= 0) {
        throw new DmaError(EINVAL, `${this.opts.name}: block ${i} needs a positive integer size`);
      }
      for (const k of ['src', 'dst'] as const) {
        if (!Number.isSafeInteger(b[k]) || b[k] < 0)
          throw new DmaError(
            EINVAL,
            `${this.opts.name}: block ${i} ${k} must be an address (a non-negative integer), got ${String(b[k])}`,
          );
      }
      if (!this.engine.canReach(b.src, b.size))
        throw new DmaError(
          EINVAL,
          `${this.opts.name}: block ${i} source [${hex(b.src)}, +${b.size}) is not memory this DMA can read`,
        );
      if (!this.engine.canReach(b.dst, b.size))
        throw new DmaError(
          EINVAL,
          `${this.opts.name}: block ${i} destination [${hex(b.dst)}, +${b.size}) is not memory this DMA can write`,
        );
      descs += Math.ceil(b.size / this.opts.maxPerDescriptor);
    }
    if (descs > this.opts.descriptorsPerChannel) {
      this.engine.notify('descriptor-limit', {
        driver: `${this.opts.name} (Zephyr DMA API)`,
        channel: ch,
        needed: descs,
        pool: this.opts.descriptorsPerChannel,
        perDescriptor: this.opts.maxPerDescriptor,
        setting: 'the gdma()/cpdma() plugin option descriptorsPerChannel',
      });
      throw new DmaError(
        EINVAL,
        `${this.opts.name}: run out of DMA descriptors: the blocks need ${descs}, the pool has ${this.opts.descriptorsPerChannel}`,
      );
    }
  }

  /** Writes the TX and RX lists: each block split into descriptors, suc_eof on each block's last TX descriptor. */
  private writeLists(c: ZChannel): void {
    const cfg = c.cfg!;
    const max = this.opts.maxPerDescriptor;
    const txBase = c.pool;
    const rxBase = c.pool + this.opts.descriptorsPerChannel * this.descBytes;
    const r = this.dm.regionOf(txBase)!;
    let i = 0;
    for (const b of cfg.blocks) {
      for (let off = 0; off < b.size; off += max, i++) {
        const n = Math.min(max, b.size - off);
        const last = off + n >= b.size;
        this.dm.setWord(
          r,
          txBase + i * this.descBytes,
          0,
          encodeWord0({ size: n, length: n, sucEof: last, owner: OWNER_DMA }),
        );
        this.dm.setWord(r, txBase + i * this.descBytes, 1, b.src + off);
        this.dm.setWord(r, rxBase + i * this.descBytes, 0, encodeWord0({ size: n, length: 0, owner: OWNER_DMA }));
        this.dm.setWord(r, rxBase + i * this.descBytes, 1, b.dst + off);
      }
    }
    for (let k = 0; k < i; k++) {
      const nextIdx = k + 1 < i ? k + 1 : cfg.cyclic ? 0 : -1;
      this.dm.setWord(r, txBase + k * this.descBytes, 2, nextIdx < 0 ? 0 : txBase + nextIdx * this.descBytes);
      this.dm.setWord(r, rxBase + k * this.descBytes, 2, nextIdx < 0 ? 0 : rxBase + nextIdx * this.descBytes);
    }
    c.txCount = c.rxCount = i;
  }

  /** Cyclic lists: hands every descriptor back to the DMA for the next round (the engine gave them to the CPU). */
  private rearm(c: ZChannel): void {
    const r = this.dm.regionOf(c.pool)!;
    const rxBase = c.pool + this.opts.descriptorsPerChannel * this.descBytes;
    for (let k = 0; k < c.txCount; k++) {
      const t = c.pool + k * this.descBytes;
      this.dm.setWord(r, t, 0, (this.dm.word(r, t, 0) | 0x8000_0000) >>> 0);
      const x = rxBase + k * this.descBytes;
      const w = this.dm.word(r, x, 0);
      this.dm.setWord(r, x, 0, encodeWord0({ size: w & 0xfff, length: 0, owner: OWNER_DMA }));
    }
  }

  private get(channel: number, what: string): ZChannel {
    const c = Number.isInteger(channel) ? this.ch[channel] : undefined;
    if (!c)
      throw new DmaError(
        EINVAL,
        `${this.opts.name}: ${what}: invalid channel ${String(channel)} (channels 0..${this.channelCount - 1})`,
      );
    return c;
  }
}
