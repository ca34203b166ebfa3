import { EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import { Spi, type SpiBus, type SpiDevice, type SpiTransaction } from '../../plugins/spi/index.js';
import { type SpiHost } from '../../plugins/spi/caps.js';
import { blockingFn, espCall, logRefusal, type HostContext, type HostFunctions } from './context.js';

/** spi_host_device_t -> the kit's host names (SPI1 is the flash's). */
const HOSTS: (SpiHost | undefined)[] = [undefined, 'SPI2', 'SPI3'];

/** The C result of a driver promise: ESP_OK, or the EspError's code (logged as ESP-IDF logs it). */
function settle(ctx: HostContext, run: () => Promise<unknown>): number | Promise<number> {
  try {
    return run().then(
      () => 0,
      (e: unknown) => {
        if (e instanceof EspError) {
          logRefusal(ctx, e.message);
          return e.code;
        }
        throw e;
      },
    );
  } catch (e) {
    if (e instanceof EspError) {
      logRefusal(ctx, e.message);
      return e.code;
    }
    throw e;
  }
}

/** SPI master over the kit's Spi service; transmit and queue calls block the calling task in simulated time. */
export function spiFunctions(ctx: HostContext): HostFunctions {
  const buses = new Map<SpiHost, SpiBus>();
  const host = (id: number, fn: string): SpiHost => {
    const h = HOSTS[id];
    if (!h) throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: host ${id} is not SPI2_HOST or SPI3_HOST`);
    return h;
  };
  const dev = (x: number, fn: string): { d: SpiDevice } => ctx.handles.get<{ d: SpiDevice }>('spi_device', x, fn);
  const trans = (tx: number, rx: number, len: number, rxlen: number, user?: number): SpiTransaction => ({
    tx: ctx.mem.toSim(tx),
    rx: rx === 0 ? undefined : ctx.mem.toSim(rx),
    length: len >>> 0,
    rxLength: rxlen === 0 ? undefined : rxlen >>> 0,
    user,
  });
  return {
    __sf_spi_bus_init: espCall(ctx, (id, maxTransfer, dma, loopback) => {
      const name = host(id, 'spi_bus_initialize');
      const choice = dma === 0 ? 'disabled' : dma === 1 || dma === 2 ? dma : 'auto';
      buses.set(
        name,
        ctx.sim.get(Spi).busInitialize(name, {
          maxTransferSize: maxTransfer > 0 ? maxTransfer : undefined,
          dma: choice,
          loopback: loopback !== 0,
        }),
      );
    }),
    __sf_spi_bus_free: espCall(ctx, (id) => {
      const name = host(id, 'spi_bus_free');
      const bus = buses.get(name);
      if (!bus) throw new EspError(ESP_ERR_INVALID_ARG, `spi_bus_free: ${name} was not initialized`);
      bus.free();
      buses.delete(name);
    }),
    __sf_spi_add_device: espCall(ctx, (id, clockHz, mode, queueSize, p) => {
      const name = host(id, 'spi_bus_add_device');
      const bus = buses.get(name);
      if (!bus)
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `spi_bus_add_device: ${name} was not initialized (spi_bus_initialize first)`,
        );
      if (mode < 0 || mode > 3) throw new EspError(ESP_ERR_INVALID_ARG, `spi_bus_add_device: mode ${mode} is not 0..3`);
      const d = bus.addDevice({
        clockSpeedHz: clockHz,
        mode: mode as 0 | 1 | 2 | 3,
        queueSize: queueSize > 0 ? queueSize : undefined,
      });
      ctx.mem.setU32(p, ctx.handles.add('spi_device', { d, bus }));
    }),
    __sf_spi_remove_device: espCall(ctx, (x) => {
      const { d, bus } = ctx.handles.get<{ d: SpiDevice; bus: SpiBus }>('spi_device', x, 'spi_bus_remove_device');
      bus.removeDevice(d);
      ctx.handles.delete(x);
    }),
    __sf_spi_transmit: blockingFn(
      ctx,
      'spi_device_transmit',
      (_t, x: number, tx: number, rx: number, len: number, rxlen: number, polling: number) => {
        const fn = polling ? 'spi_device_polling_transmit' : 'spi_device_transmit';
        return settle(ctx, () => {
          const d = dev(x, fn).d;
          const t = trans(tx, rx, len, rxlen);
          return polling ? d.pollingTransmit(t) : d.transmit(t);
        });
      },
    ),
    __sf_spi_queue_trans: blockingFn(
      ctx,
      'spi_device_queue_trans',
      (_t, x: number, desc: number, tx: number, rx: number, len: number, rxlen: number) =>
        settle(ctx, () => dev(x, 'spi_device_queue_trans').d.queueTrans(trans(tx, rx, len, rxlen, desc))),
    ),
    __sf_spi_get_trans_result: blockingFn(
      ctx,
      'spi_device_get_trans_result',
      (_t, x: number, _ticks: number, out: number) =>
        settle(ctx, () =>
          dev(x, 'spi_device_get_trans_result')
            .d.getTransResult()
            .then((t) => {
              ctx.mem.setU32(out, Number(t.user ?? 0));
            }),
        ),
    ),
    __sf_spi_actual_freq_khz: (x) => {
      const e = ctx.handles.peek(x);
      if (!e || e.kind !== 'spi_device') return -1;
      return Math.floor((e.value as { d: SpiDevice }).d.actualClockHz / 1000);
    },
  };
}
