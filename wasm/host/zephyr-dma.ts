import { CpDma } from '../../plugins/dma/cpdma/index.js';
import { DmaError, EINVAL } from '../../core/errors.js';
import { Gdma } from '../../plugins/dma/gdma/index.js';
import { type DmaController, type DmaDirection } from '../../plugins/dma/zephyr/api.js';
import { zephyrCall, type HostContext, type HostFunctions } from './context.js';

const DIRECTIONS: (DmaDirection | undefined)[] = ['memory-to-memory', 'memory-to-peripheral', 'peripheral-to-memory'];
const DIRECTION_CODES: Record<DmaDirection, number> = {
  'memory-to-memory': 0,
  'memory-to-peripheral': 1,
  'peripheral-to-memory': 2,
};

/** Zephyr's DMA API over the kit's controllers (device 0: GDMA, 1: CP DMA); errors are negative errnos. */
export function zephyrDmaFunctions(ctx: HostContext): HostFunctions {
  const token = (dev: number): typeof Gdma | undefined => (dev === 0 ? Gdma : dev === 1 ? CpDma : undefined);
  const ctl = (dev: number, fn: string): DmaController => {
    const t = token(dev);
    if (!t || !ctx.sim.has(t))
      throw new DmaError(EINVAL, `${fn}: target "${ctx.sim.target.name}" has no such DMA device`);
    return ctx.sim.get(t);
  };
  /** A block address: a C pointer into the program's memory is translated; anything else (a peripheral) is kept. */
  const addr = (p: number): number => (ctx.mem.windowAt(p >>> 0) ? ctx.mem.toSim(p >>> 0) : p >>> 0);
  return {
    __sf_dma_ready: (dev) => {
      const t = token(dev);
      return t && ctx.sim.has(t) ? 1 : 0;
    },
    __sf_dma_config: zephyrCall(ctx, (dev, ch, direction, flags, burst, priority, blocks, n, cb, user, devPtr) => {
      const c = ctl(dev, 'dma_config');
      const dir = DIRECTIONS[direction];
      if (!dir)
        throw new DmaError(
          EINVAL,
          `dma_config: channel_direction ${direction} is not supported (memory-to-memory, memory-to-peripheral, peripheral-to-memory)`,
        );
      const list = [];
      for (let i = 0; i < n; i++) {
        const b = blocks + 12 * i;
        list.push({ src: addr(ctx.mem.u32(b)), dst: addr(ctx.mem.u32(b + 4)), size: ctx.mem.u32(b + 8) });
      }
      c.config(ch >>> 0, {
        direction: dir,
        blocks: list,
        burstLength: burst > 0 ? burst : undefined,
        priority,
        completeCallbackEn: (flags & 1) !== 0,
        errorCallbackDis: (flags & 2) !== 0,
        cyclic: (flags & 4) !== 0,
        callback:
          cb === 0
            ? undefined
            : (channel, status) => {
                ctx.runner.callIsr(cb, devPtr, user, channel, status);
              },
      });
    }),
    __sf_dma_op: zephyrCall(ctx, (dev, ch, op) => {
      const c = ctl(dev, ['dma_start', 'dma_stop', 'dma_suspend', 'dma_resume', 'dma_release_channel'][op] ?? 'dma');
      if (op === 0) c.start(ch);
      else if (op === 1) c.stop(ch);
      else if (op === 2) c.suspend(ch);
      else if (op === 3) c.resume(ch);
      else c.releaseChannel(ch);
    }),
    __sf_dma_reload: zephyrCall(ctx, (dev, ch, src, dst, size) => {
      ctl(dev, 'dma_reload').reload(ch, addr(src), addr(dst), size >>> 0);
    }),
    __sf_dma_status: zephyrCall(ctx, (dev, ch, out) => {
      const s = ctl(dev, 'dma_get_status').getStatus(ch);
      ctx.mem.setU32(out, s.busy ? 1 : 0);
      ctx.mem.setU32(out + 4, s.dir ? DIRECTION_CODES[s.dir] : 0);
      ctx.mem.setU32(out + 8, s.pendingLength);
      ctx.mem.setU32(out + 12, s.totalCopied);
    }),
    __sf_dma_request: zephyrCall(ctx, (dev) => ctl(dev, 'dma_request_channel').requestChannel()),
  };
}
