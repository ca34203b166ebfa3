/**
 * ETM IDs of the ESP32-C6 (components/soc/esp32c6/include/soc/soc_etm_source.h): GPIO ETM channel 0 per edge
 * and action (channel n is base + n), and the two GPTimers (timer 0 of groups 0 and 1). The ESP32-H2 uses
 * this table too: its own soc_etm_source.h was not available to check (listed in its caps.estimates).
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
