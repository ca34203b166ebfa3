import type { DmaChannel, EtmEvent, EtmTask } from 'soc-fabric';

/** adc_continuous_handle_cfg_t + adc_continuous_config_t, reduced to what the model uses. */
export interface AdcContinuousConfig {
  /** Bytes the driver's pool holds before frames are dropped (max_store_buf_size). */
  maxStoreBufSize: number;
  /** Bytes per conversion frame (conv_frame_size): a multiple of 4 up to 4092. */
  convFrameSize: number;
  /** Conversions per second (sample_freq_hz), within caps.adc. */
  sampleFreqHz: number;
  /** The conversion pattern: ADC1 channels converted in turn (adc_pattern). */
  channels: number[];
}

/** One conversion frame, as on_conv_done receives it. */
export interface AdcConvFrame {
  /** The frame's bytes (type2 results: data bits 0-11, channel bits 13-16). */
  data: Uint8Array;
  size: number;
}

/** adc_continuous_evt_cbs_t: run in "ISR context", after the interrupt latency and the ISR's cycles. */
export interface AdcContinuousCallbacks {
  onConvDone?(frame: AdcConvFrame): void;
  onPoolOvf?(): void;
}

/** adc_continuous_handle_t. */
export interface AdcContinuousHandle {
  registerEventCallbacks(cbs: AdcContinuousCallbacks): void;
  /** adc_continuous_start: ESP_ERR_INVALID_STATE when running. */
  start(): void;
  /** adc_continuous_stop: ESP_ERR_INVALID_STATE when not running. */
  stop(): void;
  /** adc_continuous_read with timeout 0: up to `max` bytes of whole frames; ESP_ERR_TIMEOUT when none. */
  read(max: number): Uint8Array;
  /** adc_new_continuous_etm_event('conv-done') / adc_new_continuous_etm_task('start' | 'stop'). */
  newEtmEvent(kind: 'conv-done'): EtmEvent;
  newEtmTask(kind: 'start' | 'stop'): EtmTask;
  /** Frames the converter could not hand to the DMA (its list had stopped), and frames the pool dropped. */
  readonly dmaOverruns: number;
  readonly poolOverflows: number;
  /** The GDMA RX channel it streams through (connected to the ADC trigger), for tests and tools. */
  readonly dmaChannel: DmaChannel;
  /** adc_continuous_deinit. */
  deinit(): void;
}

/** The ADC service (`AdcContinuous` token). */
export interface AdcContinuousService {
  /** adc_continuous_new_handle + adc_continuous_config. ESP_ERR_INVALID_ARG / ESP_ERR_NOT_FOUND (one handle). */
  newHandle(config: AdcContinuousConfig): AdcContinuousHandle;
  /** The analog input: the 12-bit raw value of `channel` at simulated time `t` (ps). Default 0. */
  setInput(input: (t: number, channel: number) => number): void;
}
