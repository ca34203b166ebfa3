import { defineCapsSection, z, type EtmEvent, type EtmTask } from 'soc-fabric';

/** pcnt_unit_config_t: the counter's range. The hardware counter is 16-bit signed. */
export interface PcntUnitConfig {
  /** Negative, at least -32768. Reaching it raises the low-limit watch point and clears the count. */
  lowLimit: number;
  /** Positive, at most 32767. Reaching it raises the high-limit watch point and clears the count. */
  highLimit: number;
  /** Keep the count across limit clears in software (flags.accum_count): `getCount()` then keeps growing. */
  accumCount?: boolean;
}

/** pcnt_chan_config_t: the GPIOs of one channel. */
export interface PcntChannelConfig {
  /** The GPIO whose edges are counted. */
  edgeGpio: number;
  /** The GPIO whose level modifies the edge action (-1 or absent: a constant low level). */
  levelGpio?: number;
}

/** pcnt_channel_edge_action_t: what an edge does to the count. */
export type PcntEdgeAction = 'hold' | 'increase' | 'decrease';
/** pcnt_channel_level_action_t: how the control level modifies the edge action. */
export type PcntLevelAction = 'keep' | 'inverse' | 'hold';

/** Which watch point a count reached. */
export type PcntWatchKind = 'threshold' | 'limit' | 'zero';

/** pcnt_watch_event_data_t. */
export interface PcntWatchEventData {
  /** The watch point reached (for a limit: the limit, although the counter is already back at 0). */
  watchPointValue: number;
  /** For the zero watch point: whether the count came down from positive or up from negative. */
  zeroCrossMode?: 'positive-to-zero' | 'negative-to-zero';
}

/** pcnt_event_callbacks_t. */
export interface PcntCallbacks {
  /** Runs in "ISR context" at the instant a watch point is reached; returns whether it woke a task. */
  onReach?: ((unit: PcntUnit, edata: PcntWatchEventData) => boolean | void) | null;
}

/** The PCNT's ETM events (ESP32-C6: one ID each for the whole controller). */
export type PcntEtmEventKind = 'threshold' | 'limit' | 'zero';
/** The PCNT's ETM tasks (ESP32-C6: one ID each for the whole controller). */
export type PcntEtmTaskKind = 'start' | 'stop' | 'increase' | 'decrease' | 'reset';

/** A PCNT channel (pcnt_channel_handle_t). */
export interface PcntChannel {
  /** Which channel of its unit it is. */
  readonly index: number;
  /** pcnt_channel_set_edge_action: on a rising (`pos`) and a falling (`neg`) edge of the edge GPIO. */
  setEdgeAction(pos: PcntEdgeAction, neg: PcntEdgeAction): void;
  /** pcnt_channel_set_level_action: while the level GPIO is high and while it is low. */
  setLevelAction(high: PcntLevelAction, low: PcntLevelAction): void;
  /** pcnt_del_channel. */
  delete(): void;
}

/** A PCNT unit (pcnt_unit_handle_t); one method per pcnt_unit_* function. */
export interface PcntUnit {
  /** Which hardware unit it is. */
  readonly index: number;
  /** pcnt_new_channel: only in the init state; ESP_ERR_NOT_FOUND when the unit's channels are taken. */
  newChannel(config: PcntChannelConfig): PcntChannel;
  /** pcnt_unit_set_glitch_filter: pulses shorter than `maxGlitchNs` are ignored (null: no filter). Init state only. */
  setGlitchFilter(config: { maxGlitchNs: number } | null): void;
  /** pcnt_unit_register_event_callbacks. */
  registerEventCallbacks(cbs: PcntCallbacks): void;
  /** pcnt_unit_add_watch_point: a limit, zero, or one of two thresholds. */
  addWatchPoint(value: number): void;
  /** pcnt_unit_remove_watch_point. */
  removeWatchPoint(value: number): void;
  /** pcnt_unit_enable: init -> enable. */
  enable(): void;
  /** pcnt_unit_disable: enable -> init. */
  disable(): void;
  /** pcnt_unit_start: counting on (enable state). */
  start(): void;
  /** pcnt_unit_stop: counting paused (enable state). */
  stop(): void;
  /** pcnt_unit_clear_count: the count (and the accumulated part) back to 0. */
  clearCount(): void;
  /** pcnt_unit_get_count. */
  getCount(): number;
  /** pcnt_del_unit: init state, and its channels deleted first. */
  delete(): void;
  /** This unit raises the PCNT's ETM event `kind` (ESP_ERR_NOT_SUPPORTED where the target's PCNT has no ETM). */
  newEtmEvent(kind: PcntEtmEventKind): EtmEvent;
  /** This unit performs the PCNT's ETM task `kind` (ESP_ERR_NOT_SUPPORTED where the target's PCNT has no ETM). */
  newEtmTask(kind: PcntEtmTaskKind): EtmTask;
}

/** The pulse_cnt driver: `newUnit` is pcnt_new_unit. */
export interface PcntService {
  /** pcnt_new_unit: ESP_ERR_INVALID_ARG for a bad range, ESP_ERR_NOT_FOUND when every unit is taken. */
  newUnit(config: PcntUnitConfig): PcntUnit;
}

/** Data of the bus event `pcnt`/`watch`: a unit's count reached a watch point. */
export interface PcntWatch {
  unit: number;
  kind: PcntWatchKind;
  value: number;
}
/** The PCNT's bus events (source `pcnt`). */
export type PcntBusEvents = { watch: PcntWatch };

const positive = z.number().int().positive();

/**
 * The PCNT's section of a target's caps (`caps.pcnt`), checked when a target is defined; the section and each
 * field may be absent (the ESP32-C6 values then).
 */
export const pcntCapsSchema = z
  .object({
    /** Units (ESP32-C6: 4). */
    units: positive.optional(),
    /** Channels per unit (ESP32-C6: 2). */
    channelsPerUnit: positive.optional(),
    /** The clock the glitch filter counts (ESP32-C6: APB, 40 MHz). */
    clockHz: positive.optional(),
    /** Whether the PCNT has ETM events and tasks (default: whether the target has an ETM). */
    etm: z.boolean().optional(),
  })
  .strict()
  .optional();
/** `caps.pcnt` (pcntCapsSchema's type). */
export type PcntCaps = NonNullable<z.infer<typeof pcntCapsSchema>>;

/** `caps.pcnt`, owned by the pcnt plugin (definePlugin({ caps: pcntCaps })). */
export const pcntCaps = defineCapsSection('pcnt', pcntCapsSchema);

declare module 'soc-fabric' {
  interface TargetCaps {
    /** The pulse counter (examples/pcnt). */
    pcnt?: PcntCaps;
  }
}
