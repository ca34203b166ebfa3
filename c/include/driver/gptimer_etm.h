/* soc-fabric: ESP-IDF's driver/gptimer_etm.h. */
#pragma once
#include "esp_err.h"
#include "esp_etm.h"
#include "driver/gptimer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    GPTIMER_ETM_EVENT_ALARM_MATCH,
    GPTIMER_ETM_EVENT_MAX,
} gptimer_etm_event_type_t;

typedef enum {
    GPTIMER_ETM_TASK_START_COUNT,
    GPTIMER_ETM_TASK_STOP_COUNT,
    GPTIMER_ETM_TASK_EN_ALARM,
    GPTIMER_ETM_TASK_RELOAD,
    GPTIMER_ETM_TASK_CAPTURE,
    GPTIMER_ETM_TASK_MAX,
} gptimer_etm_task_type_t;

typedef struct {
    gptimer_etm_event_type_t event_type;
} gptimer_etm_event_config_t;

typedef struct {
    gptimer_etm_task_type_t task_type;
} gptimer_etm_task_config_t;

esp_err_t gptimer_new_etm_event(gptimer_handle_t timer, const gptimer_etm_event_config_t *config, esp_etm_event_handle_t *out_event);
esp_err_t gptimer_new_etm_task(gptimer_handle_t timer, const gptimer_etm_task_config_t *config, esp_etm_task_handle_t *out_task);

#ifdef __cplusplus
}
#endif
