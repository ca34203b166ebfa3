export { gdma, gdmaAxi, type GdmaOptions } from './plugin.js';
export { Gdma, GdmaDriver, GdmaAxiDriver, GdmaZephyrEsp32 } from './tokens.js';
export {
  C6_GDMA_ETM_IDS,
  C5_GDMA_ETM_IDS,
  C61_GDMA_ETM_IDS,
  P4_AHB_GDMA_ETM_IDS,
  P4_AXI_GDMA_ETM_IDS,
} from './etm-ids.js';
export {
  GDMA_LL_EVENT_RX_DESC_ERROR,
  GDMA_LL_EVENT_TX_DESC_ERROR,
  type Esp32GdmaConfig,
  type Esp32GdmaStatus,
  type Esp32GdmaZephyrController,
} from '../zephyr/esp32-gdma.js';
export { gdmaCaps, gdmaCapsSchema, axiGdmaCapsSchema, type GdmaCaps, type AxiGdmaCaps } from './caps.js';
export type {
  DmaChannel,
  DmaChannelDriver,
  DmaChannelCallbacks,
  DmaTrigger,
  DmaDir,
  DmaTransferConfig,
  DmaStrategy,
  DmaChannelState,
} from '../engine/channel-api.js';
