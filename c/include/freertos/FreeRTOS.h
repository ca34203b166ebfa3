/* soc-fabric: the FreeRTOS types and constants ESP-IDF programs use. Ticks are simulated time:
 * configTICK_RATE_HZ defaults to ESP-IDF's CONFIG_FREERTOS_HZ default, 100 (define it to 1000 before any
 * include, or with -DconfigTICK_RATE_HZ=1000, for 1 ms ticks). */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef configTICK_RATE_HZ
#define configTICK_RATE_HZ 100
#endif
#define CONFIG_FREERTOS_HZ configTICK_RATE_HZ

typedef uint32_t TickType_t;
typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef uint32_t StackType_t;

#define pdFALSE ((BaseType_t)0)
#define pdTRUE ((BaseType_t)1)
#define pdPASS pdTRUE
#define pdFAIL pdFALSE
#define errQUEUE_EMPTY ((BaseType_t)0)
#define errQUEUE_FULL ((BaseType_t)0)
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#define portTICK_PERIOD_MS ((TickType_t)1000 / configTICK_RATE_HZ)
#define portTICK_RATE_MS portTICK_PERIOD_MS
#define pdMS_TO_TICKS(xTimeInMs) ((TickType_t)(((uint64_t)(xTimeInMs) * (uint64_t)configTICK_RATE_HZ) / (uint64_t)1000U))
#define pdTICKS_TO_MS(xTicks) ((uint32_t)(((uint64_t)(xTicks) * (uint64_t)1000U) / (uint64_t)configTICK_RATE_HZ))
#define configMAX_PRIORITIES 25
#define tskNO_AFFINITY 0x7FFFFFFF
#define portNUM_PROCESSORS 1

/* One simulated CPU and no preemption inside C code: critical sections have nothing to exclude. */
typedef struct { uint32_t owner; uint32_t count; } portMUX_TYPE;
#define portMUX_INITIALIZER_UNLOCKED { 0, 0 }
#define portENTER_CRITICAL(mux) ((void)(mux))
#define portEXIT_CRITICAL(mux) ((void)(mux))
#define portENTER_CRITICAL_ISR(mux) ((void)(mux))
#define portEXIT_CRITICAL_ISR(mux) ((void)(mux))
#define taskENTER_CRITICAL(mux) ((void)(mux))
#define taskEXIT_CRITICAL(mux) ((void)(mux))
#define taskENTER_CRITICAL_ISR(mux) ((void)(mux))
#define taskEXIT_CRITICAL_ISR(mux) ((void)(mux))
#define portYIELD_FROM_ISR(...) ((void)0)
#define portEND_SWITCHING_ISR(x) ((void)(x))

#ifdef __cplusplus
}
#endif
