import type { DmaEtmIds } from '../engine/etm-ids.js';

// GDMA ETM IDs of pair 0 per chip (pair n is base + n): IN_SUC_EOF and OUT_EOF events, IN/OUT START tasks, from
// each chip's components/soc/<chip>/include/soc/soc_etm_source.h.

/**
 * ESP32-C6: GDMA_EVT_IN_SUC_EOF_CH0 141, GDMA_EVT_OUT_EOF_CH0 153, GDMA_TASK_IN_START_CH0 159,
 * GDMA_TASK_OUT_START_CH0 162. The ESP32-H2 takes the same table (listed in its caps.estimates).
 */
export const C6_GDMA_ETM_IDS: DmaEtmIds = {
  inSucEofBase: 141,
  outEofBase: 153,
  inStartTaskBase: 159,
  outStartTaskBase: 162,
};

/** ESP32-C5: GDMA_EVT_IN_SUC_EOF_CH0 109, GDMA_EVT_OUT_EOF_CH0 121, GDMA_TASK_IN_START_CH0 131, GDMA_TASK_OUT_START_CH0 134. */
export const C5_GDMA_ETM_IDS: DmaEtmIds = {
  inSucEofBase: 109,
  outEofBase: 121,
  inStartTaskBase: 131,
  outStartTaskBase: 134,
};

/** ESP32-C61: GDMA_EVT_IN_SUC_EOF_CH0 90, GDMA_EVT_OUT_EOF_CH0 102, GDMA_TASK_IN_START_CH0 125, GDMA_TASK_OUT_START_CH0 128. */
export const C61_GDMA_ETM_IDS: DmaEtmIds = {
  inSucEofBase: 90,
  outEofBase: 102,
  inStartTaskBase: 125,
  outStartTaskBase: 128,
};

/**
 * ESP32-P4 AHB GDMA: GDMA_AHB_EVT_IN_SUC_EOF_CH0 202, GDMA_AHB_EVT_OUT_EOF_CH0 214, GDMA_AHB_TASK_IN_START_CH0 212,
 * GDMA_AHB_TASK_OUT_START_CH0 215.
 */
export const P4_AHB_GDMA_ETM_IDS: DmaEtmIds = {
  inSucEofBase: 202,
  outEofBase: 214,
  inStartTaskBase: 212,
  outStartTaskBase: 215,
};

/**
 * ESP32-P4 AXI GDMA: GDMA_AXI_EVT_IN_SUC_EOF_CH0 231, GDMA_AXI_EVT_OUT_EOF_CH0 251, GDMA_AXI_TASK_IN_START_CH0 218,
 * GDMA_AXI_TASK_OUT_START_CH0 223.
 */
export const P4_AXI_GDMA_ETM_IDS: DmaEtmIds = {
  inSucEofBase: 231,
  outEofBase: 251,
  inStartTaskBase: 218,
  outStartTaskBase: 223,
};
