import type { PcntEtmEventKind, PcntEtmTaskKind } from './pcnt-types.js';

/**
 * ETM IDs of the ESP32-C6 PCNT (components/soc/esp32c6/include/soc/soc_etm_source.h): one ID per event and
 * per task for the whole controller.
 */
export const C6_PCNT_ETM_EVENTS: Readonly<Record<PcntEtmEventKind, { id: number; name: string }>> = {
  threshold: { id: 45, name: 'PCNT_EVT_CNT_EQ_THRESH' },
  limit: { id: 46, name: 'PCNT_EVT_CNT_EQ_LMT' },
  zero: { id: 47, name: 'PCNT_EVT_CNT_EQ_ZERO' },
};

/** ETM task IDs of the ESP32-C6 PCNT. */
export const C6_PCNT_ETM_TASKS: Readonly<Record<PcntEtmTaskKind, { id: number; name: string }>> = {
  start: { id: 83, name: 'PCNT_TASK_START' },
  stop: { id: 84, name: 'PCNT_TASK_STOP' },
  increase: { id: 85, name: 'PCNT_TASK_CNT_INC' },
  decrease: { id: 86, name: 'PCNT_TASK_CNT_DEC' },
  reset: { id: 87, name: 'PCNT_TASK_CNT_RST' },
};

export const EVENT_KINDS = Object.keys(C6_PCNT_ETM_EVENTS) as PcntEtmEventKind[];
export const TASK_KINDS = Object.keys(C6_PCNT_ETM_TASKS) as PcntEtmTaskKind[];
