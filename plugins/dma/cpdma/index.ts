export { cpdma, type CpDmaOptions } from './plugin.js';
export { CpDma, CpDmaDriver } from './tokens.js';
export { cpdmaCaps, cpdmaCapsSchema, type CpDmaCaps } from './caps.js';
