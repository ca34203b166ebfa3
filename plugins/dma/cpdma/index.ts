export { cpdma, type CpDmaOptions } from './plugin.js';
export { CpDma, CpDmaDriver } from './tokens.js';
