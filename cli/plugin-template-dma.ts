import type { PluginNames } from './plugin-template.js';

/** Identifiers the --dma files import (besides the plain template's). */
export const DMA_TEMPLATE_IMPORTS = [
  'DescriptorMemory',
  'GdmaDriver',
  'ESP_ERR_INVALID_STATE',
  'esp32c6',
  'writeLinearList',
  'DmaChannel',
  'DmaChannelDriver',
  'Lease',
  'MemoryMap',
  'ScheduledEvent',
  'DmaBusEvents',
];

/**
 * The files of a new streaming peripheral (`soc-fabric new plugin NAME --dma`): it owns a GDMA trigger, pushes a
 * frame into a circular RX ring at its own clock with peripheralWrite, handles a short count and onReady, and
 * leases its ring. Everything comes from 'soc-fabric' (and chai).
 */
export function dmaPluginTemplate({ name, factory, token }: PluginNames): Record<string, string> {
  const service = `${token}Service`;
  const model = `${token}Model`;
  const config = `${token}Config`;
  return {
    'index.ts': `import { Core, definePlugin, defineToken, GdmaDriver, type Plugin } from 'soc-fabric';
import { ${model}, type ${service} } from './${name}-model.js';

export { ${model}, type ${service}, type ${config} } from './${name}-model.js';

/** The ${name} service: \`sim.get(${token})\`. */
export const ${token} = defineToken<${service}>('${token}');

/**
 * The ${name} plugin, a peripheral that streams frames through a GDMA RX channel on its own trigger.
 * See docs/plugin-authoring.md in soc-fabric, section 15 (DMA peripherals).
 */
export const ${factory} = (): Plugin => definePlugin({
  name: '${name}',
  // Replace with your peripheral's SOC_GDMA_TRIG_PERIPH_* ID from the chip's gdma_channel.h (9 is the ESP32-C6's
  // PARLIO); the target refuses an ID another peripheral has or one free for memory-to-memory use.
  dmaTriggers: [{ dma: 'gdma', peripheral: '${name}', id: 9 }],
  requires: [Core.Kernel, Core.Memory, GdmaDriver],
  load: ({ bind }) => {
    bind(${model}).toSelf();
    bind(${token}).toService(${model});
  },
});
`,
    [`${name}-model.ts`]: `import {
  Core, DescriptorMemory, EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, GdmaDriver, inject, injectable, writeLinearList,
  type DmaChannel, type DmaChannelDriver, type Kernel, type Lease, type MemoryMap, type ScheduledEvent,
} from 'soc-fabric';

/** How the peripheral streams: \`frames\` frames of \`frameBytes\` bytes in its ring, one frame every \`periodPs\`. */
export interface ${config} { frameBytes: number; frames: number; periodPs: number }

/** What the ${name} peripheral offers. */
export interface ${service} {
  /** Starts streaming; \`onFrame\` gets each frame's address when its EOF is written. ESP_ERR_INVALID_STATE when running. */
  start(config: ${config}, onFrame: (addr: number) => void): void;
  /** Stops streaming and releases the ring. ESP_ERR_INVALID_STATE when not running. */
  stop(): void;
  /** Frames the DMA could not take (its channel was not running). */
  readonly overruns: number;
  /** The GDMA RX channel it streams through. */
  readonly channel: DmaChannel | undefined;
}

/** The model: its clock is the kernel's, its bytes go through the GDMA's peripheral side. */
@injectable()
export class ${model} implements ${service} {
  overruns = 0;
  channel: DmaChannel | undefined;
  private frame = new Uint8Array(0);
  private cfg: ${config} | undefined;
  private lease: Lease | undefined;
  private ring = 0;
  private buf = 0;
  private next: ScheduledEvent | undefined;
  private count = 0;
  private onFrame: (addr: number) => void = () => undefined;

  constructor(
    @inject(Core.Kernel) private readonly kernel: Kernel,
    @inject(Core.Memory) private readonly memory: MemoryMap,
    @inject(GdmaDriver) private readonly dma: DmaChannelDriver,
  ) {}

  start(config: ${config}, onFrame: (addr: number) => void): void {
    // Check everything before changing anything: a refused call leaves the simulation as it was.
    if (this.cfg) throw new EspError(ESP_ERR_INVALID_STATE, '${name}: already started');
    const { frameBytes, frames, periodPs } = config;
    if (!Number.isSafeInteger(frameBytes) || frameBytes <= 0 || frameBytes > 4092) throw new EspError(ESP_ERR_INVALID_ARG, \`${name}: frameBytes must be 1..4092, got \${String(frameBytes)}\`);
    if (!Number.isSafeInteger(frames) || frames < 2) throw new EspError(ESP_ERR_INVALID_ARG, \`${name}: frames must be an integer of at least 2, got \${String(frames)}\`);
    if (!Number.isSafeInteger(periodPs) || periodPs <= 0) throw new EspError(ESP_ERR_INVALID_ARG, \`${name}: periodPs must be a positive integer, got \${String(periodPs)}\`);
    const fmt = this.dma.descriptor;
    const ring = this.memory.alloc(fmt.bytes * frames, { caps: ['dma'], align: fmt.align });
    const buf = this.memory.alloc(frameBytes * frames, { caps: ['dma'], align: 4 });
    const dm = new DescriptorMemory(this.memory);
    writeLinearList(dm, ring, buf, frameBytes * frames, frameBytes, false, true, fmt);
    const last = ring + fmt.bytes * (frames - 1);
    dm.write(last, { ...dm.read(last, fmt), next: ring }, fmt);                    // a circular ring
    this.lease = this.memory.leases.take(ring, fmt.bytes * frames, '${name} ring');
    this.ring = ring;
    this.buf = buf;
    const ch = this.channel ?? this.dma.newChannel('rx');
    if (!this.channel) ch.connect({ peripheral: '${name}' });
    this.channel = ch;
    ch.applyStrategy({ ownerCheck: false });                                        // the ring is reused as is
    ch.registerCallbacks({
      // runs inside peripheralWrite: only note the frame, never re-enter here
      onRecvEof: (_c, e) => { this.kernel.schedule(0, () => this.onFrame(dm.read(e.descriptor, fmt).buffer), '${name} frame'); },
      // the channel runs again (start, append): resume the clock (back-pressure released)
      onReady: () => { if (this.cfg && !this.next) this.next = this.kernel.schedule(this.cfg.periodPs, this.tick, '${name}'); },
    });
    this.cfg = { ...config };
    this.frame = new Uint8Array(frameBytes);
    this.onFrame = onFrame;
    ch.start(ring);
  }

  stop(): void {
    if (!this.cfg) throw new EspError(ESP_ERR_INVALID_STATE, '${name}: not started');
    this.next?.cancel();
    this.next = undefined;
    this.channel!.stop();
    this.lease!.release();
    this.memory.free(this.ring);
    this.memory.free(this.buf);
    this.cfg = undefined;
  }

  /** One frame is ready: into the DMA, EOF on its last byte. A short count: the DMA stopped; wait for onReady. */
  private readonly tick = (): void => {
    this.next = undefined;
    this.frame.fill(++this.count & 0xff);
    const moved = this.dma.peripheralWrite(this.channel!, this.frame, 0, this.frame.length, true);
    if (moved < this.frame.length) { this.overruns++; return; }
    this.next = this.kernel.schedule(this.cfg!.periodPs, this.tick, '${name}');
  };
}
`,
    [`${name}.test.ts`]: `import { expect } from 'chai';
import { createSimulation, EspError, ESP_ERR_INVALID_ARG, esp32c6, extendTarget, us } from 'soc-fabric';
import { ${factory}, ${token} } from './index.js';

const target = extendTarget(esp32c6, { name: 'c6-${name}', plugins: (p) => [...p, ${factory}()] });

describe('${name} plugin (streams through GDMA)', () => {
  it('pushes a frame every period into its ring; a stopped channel is an overrun until it runs again', async () => {
    const sim = await createSimulation({ target });
    const dev = sim.get(${token});
    const frames: [number, number][] = [];
    dev.start({ frameBytes: 16, frames: 4, periodPs: us(10) }, (addr) => frames.push([sim.now, sim.memory.read(addr, 1)[0]!]));
    expect(sim.memory.leases.size).to.equal(1);
    sim.schedule(us(25), () => dev.channel!.stop());
    sim.schedule(us(45), () => dev.channel!.append());
    await sim.run({ until: us(60) });
    expect(frames).to.deep.equal([[us(10), 1], [us(20), 2], [us(55), 4]]);
    expect(dev.overruns).to.equal(1);
    dev.stop();
    expect(sim.memory.leases.size).to.equal(0);
  });

  it('refuses a bad frame size with ESP_ERR_INVALID_ARG and starts nothing', async () => {
    const sim = await createSimulation({ target });
    try {
      sim.get(${token}).start({ frameBytes: 0, frames: 4, periodPs: us(10) }, () => undefined);
      expect.fail('no throw');
    } catch (e) {
      expect(e).to.be.instanceOf(EspError);
      expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    }
    await sim.run();
    expect(sim.now).to.equal(0);
    expect(sim.get(${token}).channel).to.equal(undefined);
  });
});
`,
  };
}
