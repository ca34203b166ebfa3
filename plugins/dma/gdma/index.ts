export { gdma, type GdmaOptions } from './plugin.js';
export { Gdma, GdmaDriver } from './tokens.js';
export type {
  DmaChannel, DmaChannelDriver, DmaChannelCallbacks, DmaTrigger, DmaDir, DmaTransferConfig, DmaStrategy, DmaChannelState,
} from '../engine/channel-api.js';
