import {
  capsSectionOf,
  Core,
  DescriptorMemory,
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  ESP_ERR_TIMEOUT,
  GdmaDriver,
  inject,
  injectable,
  targetHasEtm,
  writeLinearList,
  type Cpu,
  type DmaChannel,
  type DmaChannelDriver,
  type EtmEvent,
  type EtmEventSourceContribution,
  type EtmTask,
  type EtmTaskSinkContribution,
  type FaultLog,
  type Kernel,
  type Lease,
  type MemoryMap,
  type ScheduledEvent,
  type TargetInfo,
} from 'soc-fabric';
import type { AdcCaps } from './adc-caps.js';
import type {
  AdcContinuousCallbacks,
  AdcContinuousConfig,
  AdcContinuousHandle,
  AdcContinuousService,
  AdcConvFrame,
} from './adc-types.js';

/** ESP32-C6 soc_etm_source.h. */
export const C6_ADC_ETM = { CONV_CMPLT0: 88, TASK_START0: 126, TASK_STOP0: 127 } as const;
/** ESP32-C6 gdma_channel.h: SOC_GDMA_TRIG_PERIPH_ADC0. */
export const C6_ADC_DMA_TRIGGER = 8;

const PS_PER_S = 1e12;

/** The one continuous-mode handle: its DMA ring, converter clock and pool. */
class Handle implements AdcContinuousHandle {
  callbacks: AdcContinuousCallbacks = {};
  running = false;
  /** Conversions run (the ADC's own start); false until the ETM START task where one was created. */
  converting = false;
  etmStart = false;
  etmConvDone = false;
  dmaOverruns = 0;
  poolOverflows = 0;
  private readonly pool: Uint8Array[] = [];
  private poolBytes = 0;
  private next: ScheduledEvent | undefined;
  private lease: Lease | undefined;
  private conversion = 0;
  private readonly frame: Uint8Array;
  private readonly ring: number;
  private readonly buffers: number;
  readonly rx: DmaChannel;
  get dmaChannel(): DmaChannel {
    return this.rx;
  }

  constructor(
    private readonly adc: AdcContinuousController,
    readonly cfg: AdcContinuousConfig,
    private readonly caps: AdcCaps,
  ) {
    this.frame = new Uint8Array(cfg.convFrameSize);
    const m = adc.memory;
    this.ring = m.alloc(adc.dma.descriptor.bytes * caps.dmaFrames, { caps: ['dma'], align: adc.dma.descriptor.align });
    this.buffers = m.alloc(cfg.convFrameSize * caps.dmaFrames, { caps: ['dma'], align: 4 });
    this.rx = adc.dma.newChannel('rx');
    this.rx.connect({ peripheral: 'ADC' });
    // a circular ring the CPU does not hand back: no owner check (the ISR copies each frame out in time, or not)
    this.rx.applyStrategy({ ownerCheck: false });
    this.rx.registerCallbacks({ onRecvEof: this.onEof, onReady: this.onReady });
  }

  registerEventCallbacks(cbs: AdcContinuousCallbacks): void {
    if (cbs === null || typeof cbs !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'adc_continuous_register_event_callbacks: callbacks must be an object');
    if (this.running)
      throw new EspError(ESP_ERR_INVALID_STATE, 'adc_continuous_register_event_callbacks: stop the ADC first');
    this.callbacks = { ...cbs };
  }

  start(): void {
    if (this.running) throw new EspError(ESP_ERR_INVALID_STATE, 'adc_continuous_start: already started');
    const dm = new DescriptorMemory(this.adc.memory);
    const n = this.caps.dmaFrames;
    const size = this.cfg.convFrameSize;
    writeLinearList(dm, this.ring, this.buffers, size * n, size, false, true, this.adc.dma.descriptor);
    const last = this.ring + this.adc.dma.descriptor.bytes * (n - 1);
    dm.write(last, { ...dm.read(last, this.adc.dma.descriptor), next: this.ring }, this.adc.dma.descriptor); // close the ring
    this.lease = this.adc.memory.leases.take(this.ring, this.buffers + size * n - this.ring, 'ADC continuous ring');
    this.running = true;
    this.converting = !this.etmStart;
    this.conversion = 0;
    this.adc.cpu.workThen(this.caps.driverCycles.start, () => undefined); // the C call's own time
    this.rx.start(this.ring); // onReady follows at this instant and starts the converter
  }

  stop(): void {
    if (!this.running) throw new EspError(ESP_ERR_INVALID_STATE, 'adc_continuous_stop: not started');
    this.running = false;
    this.converting = false;
    this.next?.cancel();
    this.next = undefined;
    this.rx.stop();
    this.lease?.release();
    this.lease = undefined;
  }

  read(max: number): Uint8Array {
    if (!Number.isSafeInteger(max) || max <= 0)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `adc_continuous_read: length must be a positive integer, got ${String(max)}`,
      );
    if (this.pool.length === 0) throw new EspError(ESP_ERR_TIMEOUT, 'adc_continuous_read: no conversion frame ready');
    let n = 0;
    let k = 0;
    while (k < this.pool.length && n + this.pool[k]!.length <= max) n += this.pool[k++]!.length;
    if (k === 0)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `adc_continuous_read: length ${max} is less than one frame (${this.pool[0]!.length})`,
      );
    const out = new Uint8Array(n);
    let at = 0;
    for (const f of this.pool.splice(0, k)) {
      out.set(f, at);
      at += f.length;
    }
    this.poolBytes -= n;
    return out;
  }

  newEtmEvent(kind: 'conv-done'): EtmEvent {
    this.adc.checkEtm('adc_new_continuous_etm_event');
    if (kind !== 'conv-done')
      throw new EspError(ESP_ERR_INVALID_ARG, `adc_new_continuous_etm_event: unknown event "${String(kind)}"`);
    this.etmConvDone = true;
    return { id: C6_ADC_ETM.CONV_CMPLT0 };
  }

  newEtmTask(kind: 'start' | 'stop'): EtmTask {
    this.adc.checkEtm('adc_new_continuous_etm_task');
    if (kind !== 'start' && kind !== 'stop')
      throw new EspError(ESP_ERR_INVALID_ARG, `adc_new_continuous_etm_task: unknown task "${String(kind)}"`);
    if (kind === 'start') this.etmStart = true;
    return { id: kind === 'start' ? C6_ADC_ETM.TASK_START0 : C6_ADC_ETM.TASK_STOP0 };
  }

  deinit(): void {
    if (this.running) throw new EspError(ESP_ERR_INVALID_STATE, 'adc_continuous_deinit: stop the ADC first');
    this.rx.delete();
    this.adc.memory.free(this.ring);
    this.adc.memory.free(this.buffers);
    this.adc.release(this);
  }

  /** The ETM's START/STOP tasks act on the converter, not on the driver. */
  runEtmTask(id: number): void {
    if (!this.running) return;
    if (id === C6_ADC_ETM.TASK_START0 && !this.converting) {
      this.converting = true;
      this.schedule();
    }
    if (id === C6_ADC_ETM.TASK_STOP0) {
      this.converting = false;
      this.next?.cancel();
      this.next = undefined;
    }
  }

  /** The DMA channel runs again: the converter may push (back-pressure released). */
  private readonly onReady = (): void => {
    if (this.converting && this.next === undefined) this.schedule();
  };

  private schedule(): void {
    const conversions = this.cfg.convFrameSize / 4;
    // each frame ends when its last conversion does: conversions at multiples of the sample period
    const end = Math.round(((this.conversion + conversions) * PS_PER_S) / this.cfg.sampleFreqHz);
    const start = Math.round((this.conversion * PS_PER_S) / this.cfg.sampleFreqHz);
    this.next = this.adc.kernel.schedule(Math.max(0, end - start), this.frameDone, 'adc frame');
    this.frameStart = this.adc.kernel.now;
  }

  private frameStart = 0;

  /** A frame of conversions is complete: into the DMA's RX list, EOF on its last byte. */
  private readonly frameDone = (): void => {
    this.next = undefined;
    const f = this.frame;
    const conversions = f.length / 4;
    const period = (this.adc.kernel.now - this.frameStart) / conversions;
    const chans = this.cfg.channels;
    for (let i = 0; i < conversions; i++) {
      const ch = chans[(this.conversion + i) % chans.length]!;
      const raw = this.adc.input(this.frameStart + Math.round((i + 1) * period), ch) & 0xfff;
      const w = raw | (ch << 13); // adc_digi_output_data_t type2: data 0-11, channel 13-16, unit 17 (ADC1: 0)
      f[4 * i] = w & 0xff;
      f[4 * i + 1] = (w >>> 8) & 0xff;
      f[4 * i + 2] = (w >>> 16) & 0xff;
      f[4 * i + 3] = 0;
    }
    this.conversion += conversions;
    const moved = this.adc.dma.peripheralWrite(this.rx, f, 0, f.length, true);
    if (this.etmConvDone) this.adc.raise(C6_ADC_ETM.CONV_CMPLT0);
    if (moved < f.length) {
      this.dmaOverruns++;
      return;
    } // the channel stopped: wait for onReady
    if (this.converting && this.running) this.schedule();
  };

  /** IN_SUC_EOF, inside peripheralWrite: the interrupt is taken on the CPU, the ISR copies the frame to the pool. */
  private readonly onEof = (_c: DmaChannel, e: { descriptor: number }): void => {
    const dm = new DescriptorMemory(this.adc.memory);
    const d = dm.read(e.descriptor, this.adc.dma.descriptor);
    this.adc.cpu.isr(this.caps.driverCycles.isr, () => {
      // the bytes as they are when the ISR reads them (a late ISR sees the DMA's next lap)
      const region = this.adc.memory.readableRegion(d.buffer, d.length, 'adc isr');
      const data = region.bytes.slice(d.buffer - region.base, d.buffer - region.base + d.length);
      if (this.poolBytes + data.length > this.cfg.maxStoreBufSize) {
        this.poolOverflows++;
        this.adc.call('onPoolOvf', () => this.callbacks.onPoolOvf?.());
        return;
      }
      this.pool.push(data);
      this.poolBytes += data.length;
      const frame: AdcConvFrame = { data, size: data.length };
      this.adc.call('onConvDone', () => this.callbacks.onConvDone?.(frame));
    });
  };
}

/** The continuous-mode ADC of the ESP32-C6 (adc_continuous.h), streaming conversion frames through a GDMA RX channel. */
@injectable()
export class AdcContinuousController implements AdcContinuousService {
  input: (t: number, channel: number) => number = () => 0;
  raise: (id: number) => void = () => undefined;
  readonly etmEvents: EtmEventSourceContribution;
  readonly etmTasks: EtmTaskSinkContribution;
  private readonly caps: AdcCaps;
  private readonly etm: boolean;
  private handle: Handle | undefined;

  constructor(
    @inject(Core.Kernel) readonly kernel: Kernel,
    @inject(Core.Memory) readonly memory: MemoryMap,
    @inject(Core.Cpu) readonly cpu: Cpu,
    @inject(Core.Target) private readonly target: TargetInfo,
    @inject(Core.Faults) private readonly faults: FaultLog,
    @inject(GdmaDriver) readonly dma: DmaChannelDriver,
  ) {
    this.caps = capsSectionOf(target, 'adc', 'adc-continuous');
    this.etm = this.caps.etm && targetHasEtm(target);
    this.etmEvents = {
      name: 'adc-continuous',
      events: new Map(this.etm ? [[C6_ADC_ETM.CONV_CMPLT0, 'ADC_EVT_CONV_CMPLT0']] : []),
      attachEtm: (raise) => {
        this.raise = raise;
      },
    };
    this.etmTasks = {
      name: 'adc-continuous',
      tasks: new Map(
        this.etm
          ? [
              [C6_ADC_ETM.TASK_START0, 'ADC_TASK_START0'],
              [C6_ADC_ETM.TASK_STOP0, 'ADC_TASK_STOP0'],
            ]
          : [],
      ),
      runEtmTask: (id) => this.handle?.runEtmTask(id),
    };
  }

  setInput(input: (t: number, channel: number) => number): void {
    if (typeof input !== 'function')
      throw new EspError(ESP_ERR_INVALID_ARG, 'adc: setInput needs a function (t, channel) => raw');
    this.input = input;
  }

  newHandle(cfg: AdcContinuousConfig): AdcContinuousHandle {
    const c = this.caps;
    const bad = (msg: string): never => {
      throw new EspError(ESP_ERR_INVALID_ARG, `adc_continuous_new_handle: ${msg}`);
    };
    if (cfg === null || typeof cfg !== 'object') bad('config must be an object');
    const { convFrameSize: f, maxStoreBufSize: s, sampleFreqHz: hz, channels } = cfg;
    if (!Number.isSafeInteger(f) || f <= 0 || f % c.bytesPerConversion !== 0 || f > 4092)
      bad(`conv_frame_size must be a multiple of ${c.bytesPerConversion} up to 4092, got ${String(f)}`);
    if (!Number.isSafeInteger(s) || s < f)
      bad(`max_store_buf_size must be an integer of at least conv_frame_size (${f}), got ${String(s)}`);
    if (!Number.isSafeInteger(hz) || hz < c.minSampleHz || hz > c.maxSampleHz)
      bad(
        `sample_freq_hz must be ${c.minSampleHz}..${c.maxSampleHz} on target "${this.target.name}", got ${String(hz)}`,
      );
    if (
      !Array.isArray(channels) ||
      channels.length === 0 ||
      channels.some((ch) => !Number.isInteger(ch) || ch < 0 || ch > 6)
    )
      bad('adc_pattern: channels must be ADC1 channels 0..6');
    if (this.handle)
      throw new EspError(ESP_ERR_NOT_FOUND, 'adc_continuous_new_handle: the ADC already has a continuous-mode handle');
    this.handle = new Handle(this, { ...cfg, channels: [...channels] }, c);
    return this.handle;
  }

  checkEtm(what: string): void {
    if (!this.etm) throw new EspError(ESP_ERR_NOT_SUPPORTED, `${what}: target "${this.target.name}" has no ADC ETM`);
  }

  release(h: Handle): void {
    if (this.handle === h) this.handle = undefined;
  }

  /** Runs a user callback in "ISR context": a throw is a fault, the ADC goes on. */
  call(name: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.faults.report(`adc ${name}`, e);
    }
  }
}
