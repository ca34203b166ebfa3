import type { GpTimerCaps } from './caps.js';

/** GPTimer ETM IDs per timer index, as caps.gptimer.etmIds gives them. */
export type GpTimerEtmIds = NonNullable<GpTimerCaps['etmIds']>;

/**
 * ESP32-C6: TIMER0/TIMER1 (timer 0 of groups 0/1), from components/soc/esp32c6/include/soc/soc_etm_source.h.
 * The ESP32-H2 takes this table too (its own soc_etm_source.h not checked; listed in its caps.estimates).
 */
export const C6_GPTIMER_ETM_IDS: GpTimerEtmIds = {
  alarmMatch: [48, 49],
  startCount: [88, 89],
  enAlarm: [90, 91],
  stopCount: [92, 93],
  reload: [94, 95],
  capture: [96, 97],
};

/**
 * GPTimer ETM IDs from a soc_etm_source.h laid out as TGn_EVT_CNT_CMP_TIMERm and five TGn_TASK_* per timer in the
 * order CNT_START, ALARM_START, CNT_STOP, CNT_RELOAD, CNT_CAP. `alarm[i]` and `taskBase[i]` are timer i's
 * (gptimer index order: group 0's timers, then group 1's).
 */
function gptimerEtmIds(alarm: number[], taskBase: number[]): GpTimerEtmIds {
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
 * ESP32-C5 (components/soc/esp32c5/include/soc/soc_etm_source.h): one timer per group
 * (SOC_TIMER_GROUP_TIMERS_PER_GROUP 1): TG0_EVT_CNT_CMP_TIMER0 47, TG1_EVT_CNT_CMP_TIMER0 49,
 * TG0_TASK_CNT_START_TIMER0 81, TG1_TASK_CNT_START_TIMER0 91.
 */
export const C5_GPTIMER_ETM_IDS = gptimerEtmIds([47, 49], [81, 91]);

/**
 * ESP32-C61 (components/soc/esp32c61/include/soc/soc_etm_source.h): TG0_EVT_CNT_CMP_TIMER0 49,
 * TG1_EVT_CNT_CMP_TIMER0 51, TG0_TASK_CNT_START_TIMER0 81, TG1_TASK_CNT_START_TIMER0 91.
 */
export const C61_GPTIMER_ETM_IDS = gptimerEtmIds([49, 51], [81, 91]);

/**
 * ESP32-P4 (components/soc/esp32p4/include/soc/soc_etm_source.h): two timers per group
 * (SOC_TIMER_GROUP_TIMERS_PER_GROUP 2): TG0_EVT_CNT_CMP_TIMER0/1 56/57, TG1_EVT_CNT_CMP_TIMER0/1 58/59,
 * TG0_TASK_CNT_START_TIMER0/1 100/105, TG1_TASK_CNT_START_TIMER0/1 110/115.
 */
export const P4_GPTIMER_ETM_IDS = gptimerEtmIds([56, 57, 58, 59], [100, 105, 110, 115]);
