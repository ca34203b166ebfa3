import { esp32c3, etm, extendTarget } from 'soc-fabric';
import { pcnt } from '../pcnt/index.js';

/**
 * A custom target: the ESP32-C3 given five GDMA pairs, an ETM matrix (with GPIO and GPTimer ETM) and the
 * example PCNT plugin. Every one of these goes beyond the C3 silicon, and `beyondSilicon` says so.
 */
export const esp32c3Lab = extendTarget(esp32c3, {
  name: 'esp32c3-lab',
  description: 'ESP32-C3 with 5 GDMA pairs, a 50-channel ETM and a pulse counter: beyond silicon',
  plugins: (base) => [...base, etm(), pcnt()],
  caps: {
    gdma: { ahbPairs: 5, m2mPairMask: 0x1f },
    etm: { channels: 50, latencyCycles: 2, clockHz: 80_000_000 },
    gpio: { etm: { eventChannels: 8, taskChannels: 8 } },
    gptimer: { etm: true },
    pcnt: { units: 4, channelsPerUnit: 2, clockHz: 80_000_000 },
  },
  beyondSilicon: [
    '5 GDMA pairs (the ESP32-C3 has 3)',
    'ETM matrix with 50 channels, GPIO and GPTimer ETM with the ESP32-C6 IDs (the ESP32-C3 has no ETM)',
    'PCNT with 4 units and ESP32-C6 ETM IDs (the ESP32-C3 has no pulse counter)',
  ],
});
