import type { DmaEtmIds } from '../engine/etm-ids.js';

/**
 * ESP32-C6 GDMA ETM IDs of pair 0 (pair n is base + n): GDMA_EVT_IN_SUC_EOF_CH0 141, GDMA_EVT_OUT_EOF_CH0 153,
 * GDMA_TASK_IN_START_CH0 159, GDMA_TASK_OUT_START_CH0 162 (components/soc/esp32c6/include/soc/soc_etm_source.h).
 * The ESP32-H2 takes the same table (listed in its caps.estimates).
 */
export const C6_GDMA_ETM_IDS: DmaEtmIds = { inSucEofBase: 141, outEofBase: 153, inStartTaskBase: 159, outStartTaskBase: 162 };
