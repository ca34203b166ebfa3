import { AsyncMemcpy, type AsyncMemcpyBackend, type AsyncMemcpyDriver } from '../../plugins/async-memcpy/index.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import { espCall, type HostContext, type HostFunctions } from './context.js';

const BACKENDS: AsyncMemcpyBackend[] = ['auto', 'gdma-ahb', 'gdma-axi', 'cpdma'];

/** esp_async_memcpy over the kit's AsyncMemcpy service; the callback runs in ISR context at the copy's EOF. */
export function asyncMemcpyFunctions(ctx: HostContext, scratch: () => number): HostFunctions {
  const drv = (h: number, fn: string): AsyncMemcpyDriver => ctx.handles.get<AsyncMemcpyDriver>('async_memcpy', h, fn);
  return {
    __sf_amcp_install: espCall(ctx, (backend, backlog, burst, weight, out) => {
      const d = ctx.sim
        .get(AsyncMemcpy)
        .install(
          { backlog: backlog >>> 0, dmaBurstSize: burst >>> 0, weight: weight >>> 0 },
          BACKENDS[backend] ?? 'auto',
        );
      ctx.mem.setU32(out, ctx.handles.add('async_memcpy', d));
    }),
    __sf_amcp_uninstall: espCall(ctx, (h) => {
      drv(h, 'esp_async_memcpy_uninstall').uninstall();
      ctx.handles.delete(h);
    }),
    __sf_amcp_memcpy: espCall(ctx, (h, dst, src, n, cb, args) => {
      const d = drv(h, 'esp_async_memcpy');
      const onDone = cb === 0 ? undefined : (): boolean => ctx.runner.callIsr(cb, h, scratch(), args) !== 0;
      // The C side learns of completion through its callback only. The promise is not awaited: the driver then
      // neither wakes the run loop for it nor lets a rejection go unhandled.
      void d.memcpy(ctx.mem.toSim(dst), ctx.mem.toSim(src), n >>> 0, onDone);
    }),
    __sf_amcp_new_etm_event: espCall(ctx, (h, type, out) => {
      if (type !== 0)
        throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy_new_etm_event: unknown event type ${type}`);
      ctx.mem.setU32(
        out,
        ctx.handles.add('etm-event', drv(h, 'esp_async_memcpy_new_etm_event').newEtmEvent('copy-done')),
      );
    }),
  };
}
