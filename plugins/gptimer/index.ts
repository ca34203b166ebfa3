export { gptimer } from './plugin.js';
export { GpTimer } from './tokens.js';
export {
  GpTimers,
  DEFAULT_GPTIMER_CLOCK_HZ,
  type GpTimerService,
  type GpTimerHandle,
  type GpTimerConfig,
  type GpTimerAlarmConfig,
  type GpTimerAlarmEventData,
  type GpTimerCallbacks,
  type GpTimerEtmEventKind,
  type GpTimerEtmTaskKind,
  type GpTimerAlarm,
  type GpTimerBusEvents,
} from './gptimer-driver.js';
export { gptimerCaps, gptimerCapsSchema, type GpTimerCaps } from './caps.js';
export {
  C6_GPTIMER_ETM_IDS,
  C5_GPTIMER_ETM_IDS,
  C61_GPTIMER_ETM_IDS,
  P4_GPTIMER_ETM_IDS,
  type GpTimerEtmIds,
} from './etm-ids.js';
export { TimerUnit } from './timer-unit.js';
