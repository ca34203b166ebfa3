import { z } from 'zod';
import { defineCapsSection } from 'soc-fabric';

const cycles = z.number().int().nonnegative();

/**
 * The ADC's section of a target's caps (`caps.adc`). ESP32-C6 values: soc_caps.h SOC_ADC_SAMPLE_FREQ_THRES_LOW
 * 611 Hz / _HIGH 83333 Hz, SOC_ADC_DIGI_RESULT_BYTES 4. The driver cycle counts and the DMA ring depth are
 * estimates (listed in the example target's caps.estimates).
 */
export const adcCapsSchema = z
  .object({
    minSampleHz: z.number().int().positive(),
    maxSampleHz: z.number().int().positive(),
    /** Bytes per conversion result (adc_digi_output_data_t type2: 4). */
    bytesPerConversion: z.literal(4),
    /** Conversion frames in the driver's DMA ring (the pool behind it is max_store_buf_size). */
    dmaFrames: z.number().int().min(2).max(16),
    /** CPU cycles of adc_continuous_start (descriptor ring, registers) and of the EOF interrupt handler. */
    driverCycles: z.object({ start: cycles, isr: cycles }).strict(),
    /** ADC ETM (ADC_TASK_START0/STOP0, ADC_EVT_CONV_CMPLT0) where the target has an ETM. */
    etm: z.boolean(),
  })
  .strict()
  .refine((c) => c.minSampleHz <= c.maxSampleHz, {
    message: 'minSampleHz must not exceed maxSampleHz',
    path: ['minSampleHz'],
  });

/** `caps.adc`, typed from its schema. */
export type AdcCaps = z.infer<typeof adcCapsSchema>;

/** The section, owned by the adcContinuous() plugin: every target listing it must have caps.adc, checked. */
export const adcCaps = defineCapsSection('adc', adcCapsSchema);

declare module 'soc-fabric' {
  interface TargetCaps {
    /** The continuous-mode ADC (examples/adc-continuous). */
    adc?: AdcCaps;
  }
}

/** The ESP32-C6's figures (and the example's estimates). */
export const C6_ADC_CAPS: AdcCaps = {
  minSampleHz: 611,
  maxSampleHz: 83_333,
  bytesPerConversion: 4,
  dmaFrames: 4,
  driverCycles: { start: 2000, isr: 400 },
  etm: true,
};

/** caps.estimates entry of a target with this ADC. */
export const ADC_DRIVER_ESTIMATE =
  'ADC continuous driver: start and ISR cycle counts and the 4-frame DMA ring are estimates';
