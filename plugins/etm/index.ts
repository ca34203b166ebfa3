export * from '../contracts/etm.js';
export { etm } from './plugin.js';
export { etmCaps, etmCapsSchema, type EtmCaps } from './caps.js';
export { EtmMatrix, type EtmFire, type EtmBusEvents, type EtmConfigEvents } from './etm-matrix.js';
export { etmLatencyPs, DEFAULT_ETM_LATENCY_CYCLES, DEFAULT_ETM_CLOCK_HZ, ETM_LATENCY_ESTIMATE } from './latency.js';
export { targetHasEtm } from './has-etm.js';
