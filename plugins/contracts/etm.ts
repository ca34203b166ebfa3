import { defineContributionPoint, defineToken } from '../../core/plugin/tokens.js';

/**
 * The ETM's contract with the plugins that have ETM events and tasks. A plugin offers its hardware event and
 * task IDs by binding contributions to `EtmEventSources` / `EtmTaskSinks` (multi-injection); the ETM plugin
 * collects them all, so a new peripheral (the user's own included) joins the matrix without touching
 * plugins/etm. On a target without an ETM nobody collects them and nothing is routed.
 */

/** An ETM event handle (esp_etm_event_handle_t): `id` is the hardware event ID. */
export interface EtmEvent {
  readonly id: number;
}
/** An ETM task handle (esp_etm_task_handle_t): `id` is the hardware task ID. */
export interface EtmTask {
  readonly id: number;
}

/** A plugin's ETM events. */
export interface EtmEventSourceContribution {
  /** The contributing plugin, for `dump()` and messages. */
  readonly name: string;
  /** Hardware event ID -> name (e.g. 141 -> 'GDMA_EVT_IN_SUC_EOF_CH0'). */
  readonly events: ReadonlyMap<number, string>;
  /**
   * Called once by the ETM when the simulation starts, with the function to call whenever one of these
   * events happens in the hardware (a direct call on the hot path; the ETM applies its own latency).
   */
  attachEtm(raise: (eventId: number) => void): void;
  /**
   * Optional, for diagnostics: why event `eventId` cannot happen as the plugin's hardware stands now (a GPIO event
   * bound to no pin, a timer nobody created), or undefined when it can. The ETM checker asks at the end of a run
   * about enabled channels whose event never fired (etm.source-unconfigured).
   */
  unconfigured?(eventId: number): string | undefined;
}

/** A plugin's ETM tasks. */
export interface EtmTaskSinkContribution {
  readonly name: string;
  /** Hardware task ID -> name (e.g. 17 -> 'GPIO_TASK_CH0_TOGGLE'). */
  readonly tasks: ReadonlyMap<number, string>;
  /** Performs task `taskId` at the current simulated instant (called by the ETM). */
  runEtmTask(taskId: number): void;
}

/** Contribution point: plugins bind their ETM events here. */
export const EtmEventSources = defineContributionPoint<EtmEventSourceContribution>('EtmEventSource');
/** Contribution point: plugins bind their ETM tasks here. */
export const EtmTaskSinks = defineContributionPoint<EtmTaskSinkContribution>('EtmTaskSink');

/** esp_etm: channels that each connect one event to one task. */
export interface EtmChannel {
  /** esp_etm_channel_connect: `null` disconnects; an ID no plugin offers is ESP_ERR_INVALID_ARG. */
  connect(event: EtmEvent | null, task: EtmTask | null): void;
  /** esp_etm_channel_enable: only from INIT, else ESP_ERR_INVALID_STATE. */
  enable(): void;
  /** esp_etm_channel_disable: only from ENABLE, else ESP_ERR_INVALID_STATE. */
  disable(): void;
  /** esp_etm_del_channel: only when not enabled. */
  delete(): void;
}
/** The ETM service: channels connecting one event to one task. */
export interface EtmService {
  /** esp_etm_new_channel: ESP_ERR_NOT_FOUND when every channel is taken. */
  newChannel(): EtmChannel;
  /** esp_etm_dump's text. */
  dump(): string;
  /** The modelled event-to-task latency, in picoseconds (plugins/etm/README.md). */
  readonly latencyPs: number;
  /** The hardware name of an event / task ID offered by some plugin (e.g. 'GPIO_EVT_CH0_ANY_EDGE'), or undefined. */
  eventName(id: number): string | undefined;
  /** The hardware name of a task ID offered by some plugin (e.g. 'GPIO_TASK_CH0_TOGGLE'), or undefined. */
  taskName(id: number): string | undefined;
}
/** The ETM service token (esp_etm). */
export const Etm = defineToken<EtmService>('Etm');

const OWNER = Symbol('soc-fabric ETM handle owner');

/**
 * Marks an ETM event or task handle as issued by the simulation that `owner` (its kernel) runs, so that the
 * ETM of another simulation refuses it (the same ID would otherwise connect to a peripheral that never gave
 * it out). Handles a plugin does not mark are accepted by ID, as before.
 */
export function stampEtmHandle<T extends object>(owner: object, handle: T): T {
  Object.defineProperty(handle, OWNER, { value: owner, enumerable: false });
  return handle;
}

/** The owner `stampEtmHandle` gave a handle, if any. */
export function etmHandleOwner(handle: unknown): object | undefined {
  return handle !== null && typeof handle === 'object' ? (handle as { [OWNER]?: object })[OWNER] : undefined;
}
