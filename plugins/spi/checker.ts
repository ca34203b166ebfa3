import type { EventBus } from '../../core/bus/event-bus.js';
import type { Checker } from '../../core/diagnostics/checker.js';
import { formatTime } from '../../core/time.js';
import type { SpiBounceEvent, SpiBusEvents } from './types.js';

const SPI_MASTER_DOC =
  'esp-idf docs api-reference/peripherals/spi_master.rst ("Transactions with Data Not Allocated in DMA-capable Memory")';

/** SPI: buffers the driver bounces through DMA-capable memory, with the CPU time each transaction pays for it. */
export function spiChecker(bus: EventBus): Checker {
  const reported = new Set<string>();
  return {
    name: 'spi',
    rules: [
      {
        id: 'spi.bounce-buffer',
        summary: 'an SPI buffer is bounced through DMA-capable memory: CPU time per transaction',
      },
      {
        id: 'spi.descriptor-limit',
        summary:
          'an SPI DMA transaction refused with ESP_ERR_INVALID_ARG: longer than the descriptors max_transfer_sz allocated',
      },
    ],
    start(ctx) {
      const sub = bus
        .source<SpiBusEvents>('spi')
        .on('bounce')
        .subscribe((e) => {
          const b = e.data as SpiBounceEvent;
          const key = `${b.host}/${b.device}/${b.tx}/${b.rx}`;
          if (reported.has(key)) return; // once per device and kind: every later transaction pays the same way
          reported.add(key);
          ctx.report({
            rule: 'spi.bounce-buffer',
            severity: 'warning',
            objects: [`${b.host} device ${b.device}`],
            message:
              `${b.length}-byte transaction bounced: ${b.why.join('; ')}. The driver allocates DMA-capable copies and memcpys ` +
              `through them: ${Math.round(b.cycles)} CPU cycles (${formatTime(b.cpuPs)}) per transaction`,
            fix: 'allocate SPI buffers with heap_caps_malloc(n, MALLOC_CAP_DMA) (internal SRAM), rx buffers word aligned and a multiple of 4 bytes long',
            refs: [SPI_MASTER_DOC],
          });
        });
      const limit = bus
        .source<SpiBusEvents>('spi')
        .on('descriptor-limit')
        .subscribe((e) => {
          const d = e.data as SpiBusEvents['descriptor-limit'];
          ctx.report({
            rule: 'spi.descriptor-limit',
            severity: 'error',
            objects: [d.host],
            message:
              `spi_device_transmit refused with ESP_ERR_INVALID_ARG ("txdata transfer > host maximum"): length ${d.length} > ${d.maxTransferSize}, ` +
              `the bytes of the ${d.descriptors} DMA descriptor${d.descriptors === 1 ? '' : 's'} (${d.perDescriptor} bytes each) spi_bus_initialize allocated for max_transfer_sz`,
            fix: `set max_transfer_sz in spi_bus_config_t to at least ${d.length} (0 means ${d.perDescriptor}, one descriptor), or split the transaction`,
            refs: [
              'esp-idf components/esp_driver_spi/src/gpspi/spi_common.c (spi_bus_initialize: descriptors for max_transfer_sz)',
              'esp-idf components/esp_driver_spi/src/gpspi/spi_master.c (check_trans_valid: "txdata transfer > host maximum")',
            ],
          });
        });
      return () => {
        sub.unsubscribe();
        limit.unsubscribe();
      };
    },
  };
}
