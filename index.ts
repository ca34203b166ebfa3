/**
 * soc-fabric: the public API. Everything users and plugin authors rely on is exported from here.
 * @packageDocumentation
 */
import 'reflect-metadata';

export {
  ns,
  us,
  ms,
  formatTime,
  parseTime,
  cyclesToPs,
  PS_PER_NS,
  PS_PER_US,
  PS_PER_MS,
  PS_PER_S,
} from './core/time.js';
export {
  ESP_OK,
  ESP_FAIL,
  ESP_ERR_NO_MEM,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_INVALID_SIZE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  ESP_ERR_TIMEOUT,
  EspError,
  espErrToName,
  DmaError,
  EINVAL,
  EBUSY,
  ENOSYS,
  ECANCELED,
  EIO,
  SimulationError,
} from './core/errors.js';
export { Simulation, assembleSimulation, type AssembleOptions } from './core/simulation.js';
export { createSimulation, loadDefaultConfig, type CreateSimulationOptions } from './create-simulation.js';
export { IDF_VERSIONS, DEFAULT_IDF, idfOf, type IdfVersion, type IdfInfo } from './core/idf.js';
export type { SimEvent, EventMap, EventSource, EventListener, EventBus, ObservedFlag } from './core/bus/event-bus.js';
export type { SimFault } from './core/bus/faults.js';
export type { Memory, AllocCap, MemoryMap, Region } from './core/memory/memory.js';
export type { Lease, LeaseAccess, LeaseTable } from './core/memory/leases.js';
export {
  Cache,
  ESP_CACHE_MSYNC_FLAG_INVALIDATE,
  ESP_CACHE_MSYNC_FLAG_UNALIGNED,
  ESP_CACHE_MSYNC_FLAG_DIR_C2M,
  ESP_CACHE_MSYNC_FLAG_DIR_M2C,
  ESP_CACHE_MSYNC_FLAG_TYPE_DATA,
  ESP_CACHE_MSYNC_FLAG_TYPE_INST,
  CACHE_RULES,
  DataCache,
  dataCacheCapsSchema,
  type CacheService,
  type DmaObserver,
  type CpuCachePath,
  type Dropped,
  type DataCacheCaps,
} from './core/memory/cache/index.js';
export type { MemoryRegion, RegionDefinition, RegionKind, AccessCost } from './core/memory/region.js';
export type { Cpu } from './core/cpu.js';
export type { DelayLine, Kernel, KernelOptions, ScheduledEvent } from './core/kernel/kernel.js';
export type { Random } from './core/random.js';
export { Core, type TargetInfo } from './core/tokens.js';
export { defineToken, defineContributionPoint, tokenName, type ServiceIdentifier } from './core/plugin/tokens.js';
export { definePlugin, type Plugin, type PluginFactory, type DmaTriggerDeclaration } from './core/plugin/plugin.js';
export { Lifecycle, TraceSinks, type LifecycleContribution, type TraceSink } from './core/plugin/lifecycle.js';
export {
  defineTarget,
  extendTarget,
  type TargetDefinition,
  type TargetCaps,
  type TargetChanges,
  type CpuDefinition,
} from './core/target/target.js';
export { defineCapsSection, type CapsSection, type DmaTriggerTable } from './core/target/caps.js';
export { capsSectionOf } from './core/target/caps-of.js';
export { defineConfig, type SimConfig, type Scenario, type ScenarioContext } from './core/config/config.js';
export { loadConfigFile } from './core/config/load-config.js';
export type {
  SweepDefinition,
  SweepValue,
  SweepPointParams,
  SweepMetrics,
  SweepPointContext,
  SweepAxes,
} from './core/config/sweep.js';
export {
  defineSweep,
  runSweep,
  pointSeed,
  pointKey,
  parseShard,
  shardFromEnv,
  mergeResults,
  type RunSweepOptions,
  type SweepRunSummary,
  type SweepRecord,
  type Shard,
  type SweepRequest,
  type MergedResults,
} from './sweep/index.js';
export { esp32, esp32s2, esp32s3, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4 } from './targets/index.js';

// ETM, GPIO and GPTimer plugins (plugins/etm, plugins/gpio, plugins/gptimer)
export {
  etm,
  targetHasEtm,
  etmCaps,
  etmCapsSchema,
  type EtmCaps,
  Etm,
  EtmEventSources,
  EtmTaskSinks,
  EtmMatrix,
  etmLatencyPs,
  ETM_LATENCY_ESTIMATE,
  DEFAULT_ETM_LATENCY_CYCLES,
  DEFAULT_ETM_CLOCK_HZ,
  type EtmEvent,
  type EtmTask,
  type EtmChannel,
  type EtmService,
  type EtmEventSourceContribution,
  type EtmTaskSinkContribution,
  type EtmFire,
  type EtmBusEvents,
  type EtmConfigEvents,
} from './plugins/etm/index.js';
export {
  gpio,
  gpioCaps,
  gpioCapsSchema,
  type GpioCaps,
  Gpio,
  GpioModel,
  C6_GPIO_EVENT_IDS,
  C6_GPIO_TASK_IDS,
  C6_GPIO_ETM_CAPS,
  type GpioService,
  type GpioLevel,
  type GpioBusEvents,
  type GpioEdge,
  type GpioAction,
  type GpioEtmEvent,
  type GpioEtmTask,
} from './plugins/gpio/index.js';
export {
  gptimer,
  gptimerCaps,
  gptimerCapsSchema,
  type GpTimerCaps,
  GpTimer,
  GpTimers,
  C6_GPTIMER_ETM_IDS,
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
  type GpTimerEtmIds,
} from './plugins/gptimer/index.js';
// DMA (plugins/dma: the shared engine and descriptor codec, the GDMA and CP DMA plugins, the Zephyr face; plugins/async-memcpy)
export {
  gdma,
  gdmaAxi,
  Gdma,
  GdmaDriver,
  GdmaAxiDriver,
  GdmaZephyrEsp32,
  C6_GDMA_ETM_IDS,
  gdmaCaps,
  gdmaCapsSchema,
  axiGdmaCapsSchema,
  type GdmaOptions,
  type GdmaCaps,
  type AxiGdmaCaps,
  GDMA_LL_EVENT_RX_DESC_ERROR,
  GDMA_LL_EVENT_TX_DESC_ERROR,
  type Esp32GdmaConfig,
  type Esp32GdmaStatus,
  type Esp32GdmaZephyrController,
} from './plugins/dma/gdma/index.js';
export {
  cpdma,
  CpDma,
  CpDmaDriver,
  cpdmaCaps,
  cpdmaCapsSchema,
  type CpDmaOptions,
  type CpDmaCaps,
} from './plugins/dma/cpdma/index.js';
export {
  asyncMemcpy,
  AsyncMemcpy,
  type AsyncMemcpyService,
  type AsyncMemcpyDriver,
  type AsyncMemcpyConfig,
  type AsyncMemcpyBackend,
  type AsyncMemcpyEvents,
} from './plugins/async-memcpy/index.js';
export {
  DMA_STATUS_COMPLETE,
  DMA_STATUS_BLOCK,
  DMA_STATUS_HALF_COMPLETE,
  type DmaController,
  type DmaConfig,
  type DmaBlock,
  type DmaStatus,
  type DmaDirection,
} from './plugins/dma/zephyr/api.js';
export type {
  DmaChannel,
  DmaChannelDriver,
  DmaChannelCallbacks,
  DmaChannelState,
  DmaDir,
  DmaTrigger,
  DmaTransferConfig,
  DmaStrategy,
  DmaEventData,
  DmaErrorEventData,
  DmaChannelInterrupts,
  DmaInterruptLayout,
  DmaRxInterruptBits,
  DmaTxInterruptBits,
} from './plugins/dma/engine/channel-api.js';
export { GDMA_INTERRUPTS, GDMA_INTERRUPTS_C3 } from './plugins/dma/engine/interrupts.js';
export {
  DescriptorMemory,
  writeLinearList,
  encodeWord0,
  DESCRIPTOR_BYTES,
  DESCRIPTOR_ALIGN,
  DESCRIPTOR_MAX_BYTES,
  DESCRIPTOR_MAX_ALIGNED_BYTES,
  OWNER_CPU,
  OWNER_DMA,
  AHB_DESCRIPTOR,
  AXI_DESCRIPTOR,
  type Descriptor,
  type DescriptorFormat,
} from './plugins/dma/engine/descriptor.js';
export {
  ESP32S3_GDMA_TIMING,
  sramTimingAt,
  dmaTimingSchema,
  dmaAccessCyclesSchema,
  type DmaTiming,
  type DmaAccessCycles,
} from './plugins/dma/engine/timing.js';
export type { DmaBusEvents, DmaConnectEvent, DmaStaleInterruptEvent } from './plugins/dma/engine/engine.js';
// one shape under both names: the engine's ETM ID bases, as caps.gdma.etmIds gives them
export { dmaEtmIdsSchema, type DmaEtmIds, type DmaEtmIds as DmaEtmIdCaps } from './plugins/dma/engine/etm-ids.js';

// Plugin authoring: inversify's decorators from the kit's own instance, so a plugin imports only 'soc-fabric'
export { injectable, inject, multiInject, optional } from 'inversify';
// zod from the kit's own instance, for a plugin's caps schema (defineCapsSection)
export { z } from 'zod';
export type { ContainerModuleLoadOptions, ResolutionContext } from 'inversify';
export type { FaultLog } from './core/bus/faults.js';
export type { PluginDefinition } from './core/plugin/plugin.js';

// Diagnostics (core/diagnostics): findings of the checkers, createSimulation({ checks: true })
export {
  Checkers,
  Diagnostics,
  DiagnosticsService,
  diagnosticsTraceModel,
  formatFinding,
  type Checker,
  type CheckerContext,
  type ChecksOption,
  type DiagnosticsEvents,
  type Finding,
  type FindingReport,
  type RuleInfo,
  type Severity,
} from './core/diagnostics/index.js';
// Traces (core/trace): how a plugin's events appear in --vcd and --trace output
export { TraceModels, type TraceModel, type TraceOutput, type TraceSignalSpec } from './core/trace/trace-model.js';
export { traceOutput, type TraceOutputOptions } from './core/trace/trace-plugin.js';
export { traceRecording, type TraceSinkOptions } from './core/trace/trace-recording.js';
export type { TraceFiles } from './core/trace/trace-recorder.js';
// SPI master (plugins/spi)
export {
  spi,
  Spi,
  SpiDma,
  IDF_SPI_DRIVER_CYCLES,
  SPI_DRIVER_ESTIMATE,
  spiParams,
  type SpiService,
  type SpiBus,
  type SpiDevice,
  type SpiBusConfig,
  type SpiDeviceConfig,
  type SpiTransaction,
  type SpiTransfer,
  type SpiBusEvents,
  type SpiTransEvent,
  type SpiBounceEvent,
  type SpiParams,
} from './plugins/spi/index.js';
export {
  spiCaps,
  spiCapsSchema,
  spiDriverCyclesSchema,
  spiHostSchema,
  type SpiCaps,
  type SpiDriverCycles,
  type SpiHost,
} from './plugins/spi/caps.js';
export {
  crossoverSize,
  dmaWinRanges,
  sweepTarget,
  type SweepPoint,
  type SweepOptions,
  type TargetSweep,
} from './scenarios/dma-or-cpu.js';
// The DMA-or-CPU crossover chart (soc-fabric experiment dma-vs-cpu --svg)
export { sweepTargets } from './scenarios/dma-or-cpu.js';
export { crossoverChartSvg } from './scenarios/dma-or-cpu-chart.js';
// C programs compiled to WebAssembly by `soc-fabric cc` (wasm/): sim.loadApp, the app, the Unity runner
export { loadApp, CApp, type LoadAppOptions, type AppTest } from './wasm/app.js';
export type { AppExit } from './wasm/app-error.js';
export { runUnityTests, unityLine, unitySummary, type UnityResult, type UnityOptions } from './wasm/unity.js';
import './wasm/sim-load-app.js';
