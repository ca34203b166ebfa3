import type { Scenario } from '../../core/config/config.js';
import { fieldAsyncMemcpyBeforeSpi, fieldAsyncMemcpyBeforeSpiFixed } from './async-memcpy-before-spi.js';
import { fieldDescriptorAppendRunning, fieldDescriptorAppendRunningFixed } from './descriptor-append-running.js';
import { fieldDescriptorOwnerCpu, fieldDescriptorOwnerCpuFixed } from './descriptor-owner-cpu.js';
import { fieldDescriptorTooLong, fieldDescriptorTooLongFixed } from './descriptor-too-long.js';
import { fieldDmaFromFlash, fieldDmaFromFlashFixed } from './dma-from-flash.js';
import { fieldEtmTaskId, fieldEtmTaskIdFixed } from './etm-task-id.js';
import { fieldLcdPsramDrawBuffer, fieldLcdPsramDrawBufferFixed } from './lcd-psram-draw-buffer.js';
import { fieldSpiPsramBounce, fieldSpiPsramBounceFixed } from './spi-psram-bounce.js';
import { fieldSpiPsramStack, fieldSpiPsramStackFixed } from './spi-psram-stack.js';
import { fieldZephyrStaleInterrupt, fieldZephyrStaleInterruptFixed } from './zephyr-stale-interrupt.js';

/** Failures reported in public threads, each with its corrected version (README: "Field scenarios"). */
export const fieldScenarioList: Scenario[] = [
  fieldAsyncMemcpyBeforeSpi,
  fieldAsyncMemcpyBeforeSpiFixed,
  fieldDescriptorAppendRunning,
  fieldDescriptorAppendRunningFixed,
  fieldDescriptorOwnerCpu,
  fieldDescriptorOwnerCpuFixed,
  fieldDescriptorTooLong,
  fieldDescriptorTooLongFixed,
  fieldEtmTaskId,
  fieldEtmTaskIdFixed,
  fieldSpiPsramBounce,
  fieldSpiPsramBounceFixed,
  fieldDmaFromFlash,
  fieldDmaFromFlashFixed,
  fieldSpiPsramStack,
  fieldSpiPsramStackFixed,
  fieldLcdPsramDrawBuffer,
  fieldLcdPsramDrawBufferFixed,
  fieldZephyrStaleInterrupt,
  fieldZephyrStaleInterruptFixed,
];
