/**
 * ETM IDs of the ESP32-C6 (components/soc/esp32c6/include/soc/soc_etm_source.h): GPIO ETM channel 0 per edge
 * and action (channel n is base + n), and the two GPTimers (timer 0 of groups 0 and 1). The ESP32-H2 uses
 * this table too: its own soc_etm_source.h was not available to check (listed in its caps.estimates). The
 * GPIO IDs are the same on the C5, C61 and P4 (their soc_etm_source.h: GPIO_EVT_CH0_RISE_EDGE 1 ... 8 event
 * and 8 task channels); their timer and GDMA IDs differ (below).
 */
export const C6_GPIO_ETM_CAPS = {
  eventChannels: 8,
  taskChannels: 8,
  eventIds: { pos: 1, neg: 9, any: 17 },
  taskIds: { set: 1, clear: 9, toggle: 17 },
};

export const C6_GPTIMER_ETM_IDS = {
  alarmMatch: [48, 49],
  startCount: [88, 89],
  enAlarm: [90, 91],
  stopCount: [92, 93],
  reload: [94, 95],
  capture: [96, 97],
};

export const ETM_LATENCY_ESTIMATE = 'ETM event-to-task latency: 2 cycles of the APB clock (no published figure)';

/**
 * GPTimer ETM IDs from a soc_etm_source.h laid out as TGn_EVT_CNT_CMP_TIMERm and five TGn_TASK_* per timer in the
 * order CNT_START, ALARM_START, CNT_STOP, CNT_RELOAD, CNT_CAP. `alarm[i]` and `taskBase[i]` are timer i's
 * (gptimer index order: group 0's timers, then group 1's).
 */
function gptimerEtmIds(alarm: number[], taskBase: number[]): typeof C6_GPTIMER_ETM_IDS {
  return {
    alarmMatch: alarm,
    startCount: taskBase.map((b) => b),
    enAlarm: taskBase.map((b) => b + 1),
    stopCount: taskBase.map((b) => b + 2),
    reload: taskBase.map((b) => b + 3),
    capture: taskBase.map((b) => b + 4),
  };
}

/**
 * ESP32-C5 (components/soc/esp32c5/include/soc/soc_etm_source.h): GPIO_EVT_CH0_RISE/FALL/ANY_EDGE 1/9/17 and
 * GPIO_TASK_CH0_SET/CLEAR/TOGGLE 1/9/17 as on the C6; one timer per group (SOC_TIMER_GROUP_TIMERS_PER_GROUP 1):
 * TG0_EVT_CNT_CMP_TIMER0 47, TG1_EVT_CNT_CMP_TIMER0 49, TG0_TASK_CNT_START_TIMER0 81, TG1_TASK_CNT_START_TIMER0 91;
 * GDMA_EVT_IN_SUC_EOF_CH0 109, GDMA_EVT_OUT_EOF_CH0 121, GDMA_TASK_IN_START_CH0 131, GDMA_TASK_OUT_START_CH0 134.
 */
export const C5_GPTIMER_ETM_IDS = gptimerEtmIds([47, 49], [81, 91]);
export const C5_GDMA_ETM_IDS = { inSucEofBase: 109, outEofBase: 121, inStartTaskBase: 131, outStartTaskBase: 134 };

/**
 * ESP32-C61 (components/soc/esp32c61/include/soc/soc_etm_source.h): GPIO IDs as on the C6; TG0_EVT_CNT_CMP_TIMER0
 * 49, TG1_EVT_CNT_CMP_TIMER0 51, TG0_TASK_CNT_START_TIMER0 81, TG1_TASK_CNT_START_TIMER0 91; GDMA_EVT_IN_SUC_EOF_CH0
 * 90, GDMA_EVT_OUT_EOF_CH0 102, GDMA_TASK_IN_START_CH0 125, GDMA_TASK_OUT_START_CH0 128.
 */
export const C61_GPTIMER_ETM_IDS = gptimerEtmIds([49, 51], [81, 91]);
export const C61_GDMA_ETM_IDS = { inSucEofBase: 90, outEofBase: 102, inStartTaskBase: 125, outStartTaskBase: 128 };

/**
 * ESP32-P4 (components/soc/esp32p4/include/soc/soc_etm_source.h): GPIO IDs as on the C6; two timers per group
 * (SOC_TIMER_GROUP_TIMERS_PER_GROUP 2): TG0_EVT_CNT_CMP_TIMER0/1 56/57, TG1_EVT_CNT_CMP_TIMER0/1 58/59,
 * TG0_TASK_CNT_START_TIMER0/1 100/105, TG1_TASK_CNT_START_TIMER0/1 110/115; GDMA_AHB_EVT_IN_SUC_EOF_CH0 202,
 * GDMA_AHB_EVT_OUT_EOF_CH0 214, GDMA_AHB_TASK_IN_START_CH0 212, GDMA_AHB_TASK_OUT_START_CH0 215;
 * GDMA_AXI_EVT_IN_SUC_EOF_CH0 231, GDMA_AXI_EVT_OUT_EOF_CH0 251, GDMA_AXI_TASK_IN_START_CH0 218,
 * GDMA_AXI_TASK_OUT_START_CH0 223.
 */
export const P4_GPTIMER_ETM_IDS = gptimerEtmIds([56, 57, 58, 59], [100, 105, 110, 115]);
export const P4_AHB_GDMA_ETM_IDS = { inSucEofBase: 202, outEofBase: 214, inStartTaskBase: 212, outStartTaskBase: 215 };
export const P4_AXI_GDMA_ETM_IDS = { inSucEofBase: 231, outEofBase: 251, inStartTaskBase: 218, outStartTaskBase: 223 };
