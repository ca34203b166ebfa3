import { Core, defineToken, definePlugin, EtmEventSources, EtmTaskSinks, GdmaDriver, type Plugin } from 'soc-fabric';
import { adcCaps } from './adc-caps.js';
import { AdcContinuousController, C6_ADC_DMA_TRIGGER } from './adc-driver.js';
import type { AdcContinuousService } from './adc-types.js';

export * from './adc-types.js';
export { adcCaps, adcCapsSchema, C6_ADC_CAPS, ADC_DRIVER_ESTIMATE, type AdcCaps } from './adc-caps.js';
export { C6_ADC_ETM, C6_ADC_DMA_TRIGGER } from './adc-driver.js';

/** The continuous-mode ADC service. */
export const AdcContinuous = defineToken<AdcContinuousService>('AdcContinuous');

/**
 * The ESP32-C6 ADC in continuous mode: conversion frames streamed through a GDMA RX channel on the ADC's own
 * trigger (declared here, checked by the target), ETM START/STOP tasks and a conv-done event. Reads caps.adc.
 */
export const adcContinuous = (): Plugin =>
  definePlugin({
    name: 'adc-continuous',
    caps: adcCaps,
    dmaTriggers: [{ dma: 'gdma', peripheral: 'ADC', id: C6_ADC_DMA_TRIGGER }],
    requires: [Core.Kernel, Core.Memory, Core.Cpu, Core.Target, Core.Faults, GdmaDriver],
    load: ({ bind }) => {
      bind(AdcContinuousController).toSelf();
      bind(AdcContinuous).toService(AdcContinuousController);
      bind(EtmEventSources).toDynamicValue((ctx) => ctx.get(AdcContinuousController).etmEvents);
      bind(EtmTaskSinks).toDynamicValue((ctx) => ctx.get(AdcContinuousController).etmTasks);
    },
  });
