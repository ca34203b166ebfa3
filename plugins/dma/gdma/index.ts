export { gdma, type GdmaOptions } from './plugin.js';
export { Gdma, GdmaDriver } from './tokens.js';
export { gdmaCaps, gdmaCapsSchema, type GdmaCaps } from './caps.js';
export type {
  DmaChannel, DmaChannelDriver, DmaChannelCallbacks, DmaTrigger, DmaDir, DmaTransferConfig, DmaStrategy, DmaChannelState,
} from '../engine/channel-api.js';
