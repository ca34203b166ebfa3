import type { EtmEvent, EtmTask } from '../contracts/etm.js';

/** Which edges a GPIO ETM event reacts to. */
export type GpioEdge = 'pos' | 'neg' | 'any';
/** What a GPIO ETM task does to its pins. */
export type GpioAction = 'set' | 'clear' | 'toggle';

/** A GPIO ETM event (gpio_new_etm_event): one edge of one pin, on one of the GPIO's ETM event channels. */
export interface GpioEtmEvent extends EtmEvent {
  readonly edge: GpioEdge;
  /** The GPIO ETM event channel it occupies. */
  readonly channel: number;
  /** The bound pin, or -1 before bindGpio. */
  readonly pin: number;
  /** gpio_etm_event_bind_gpio: ESP_ERR_INVALID_ARG for a bad pin or when already bound to another pin. */
  bindGpio(pin: number): void;
  /** esp_etm_del_event: frees the event channel. */
  delete(): void;
}

/** A GPIO ETM task (gpio_new_etm_task): one action on the pins added to one of the GPIO's ETM task channels. */
export interface GpioEtmTask extends EtmTask {
  readonly action: GpioAction;
  readonly channel: number;
  readonly pins: readonly number[];
  /** gpio_etm_task_add_gpio: another task channel owns the pin: ESP_ERR_INVALID_ARG (v5.2+), ESP_ERR_INVALID_STATE (v5.1). */
  addGpio(pin: number): void;
  /** gpio_etm_task_rm_gpio: ESP_ERR_INVALID_ARG when the pin was not added to this task. */
  removeGpio(pin: number): void;
  /** esp_etm_del_task: ESP_ERR_INVALID_STATE while pins are still added. */
  delete(): void;
}

/**
 * The hardware event IDs of GPIO ETM channel 0 per edge (channel n is base + n): ESP32-C6
 * (components/soc/esp32c6/include/soc/soc_etm_source.h). The ESP32-H2 uses this table too (its caps.estimates
 * say so: its own soc_etm_source.h was not checked); the C5, C61 and P4 have the same IDs (their
 * soc_etm_source.h: GPIO_EVT_CH0_RISE_EDGE 1 ..., 8 event and 8 task channels).
 */
export const C6_GPIO_EVENT_IDS = { pos: 1, neg: 9, any: 17 } as const;
/** The hardware task IDs of GPIO ETM task channel 0 per action (channel n is base + n): ESP32-C6, as above. */
export const C6_GPIO_TASK_IDS = { set: 1, clear: 9, toggle: 17 } as const;
/** The ESP32-C6's GPIO ETM as caps.gpio.etm gives it: 8 event and 8 task channels (SOC_GPIO_ETM_*_PER_GROUP). */
export const C6_GPIO_ETM_CAPS = {
  eventChannels: 8,
  taskChannels: 8,
  eventIds: C6_GPIO_EVENT_IDS,
  taskIds: C6_GPIO_TASK_IDS,
};

export const EDGE_NAMES: Record<GpioEdge, string> = { pos: 'RISE_EDGE', neg: 'FALL_EDGE', any: 'ANY_EDGE' };
export const ACTION_NAMES: Record<GpioAction, string> = { set: 'SET', clear: 'CLEAR', toggle: 'TOGGLE' };
