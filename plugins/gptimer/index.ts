export { gptimer } from './plugin.js';
export { GpTimer } from './tokens.js';
export {
  GpTimers, C6_GPTIMER_ETM_IDS, DEFAULT_GPTIMER_CLOCK_HZ,
  type GpTimerService, type GpTimerHandle, type GpTimerConfig, type GpTimerAlarmConfig, type GpTimerAlarmEventData,
  type GpTimerCallbacks, type GpTimerEtmEventKind, type GpTimerEtmTaskKind, type GpTimerAlarm, type GpTimerBusEvents,
} from './gptimer-driver.js';
export { gptimerCaps, gptimerCapsSchema, type GpTimerCaps } from './caps.js';
export { TimerUnit } from './timer-unit.js';
