export { gdma, gdmaAxi, type GdmaOptions } from './plugin.js';
export { Gdma, GdmaDriver, GdmaAxiDriver } from './tokens.js';
export { gdmaCaps, gdmaCapsSchema, axiGdmaCapsSchema, type GdmaCaps, type AxiGdmaCaps } from './caps.js';
export type {
  DmaChannel, DmaChannelDriver, DmaChannelCallbacks, DmaTrigger, DmaDir, DmaTransferConfig, DmaStrategy, DmaChannelState,
} from '../engine/channel-api.js';
