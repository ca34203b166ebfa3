/* soc-fabric: ESP-IDF's esp_etm.h (components/esp_hw_support/include/esp_etm.h). */
#pragma once
#include <stdbool.h>
#include <stdio.h>
#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct esp_etm_channel_t *esp_etm_channel_handle_t;
typedef struct esp_etm_event_t *esp_etm_event_handle_t;
typedef struct esp_etm_task_t *esp_etm_task_handle_t;

typedef struct {
    struct {
        uint32_t allow_pd : 1;
    } flags;
} esp_etm_channel_config_t;

/** ESP_ERR_NOT_FOUND when every channel is taken; ESP_ERR_NOT_SUPPORTED on a target without ETM. */
esp_err_t esp_etm_new_channel(const esp_etm_channel_config_t *config, esp_etm_channel_handle_t *ret_chan);
esp_err_t esp_etm_del_channel(esp_etm_channel_handle_t chan);
esp_err_t esp_etm_channel_enable(esp_etm_channel_handle_t chan);
esp_err_t esp_etm_channel_disable(esp_etm_channel_handle_t chan);
esp_err_t esp_etm_channel_connect(esp_etm_channel_handle_t chan, esp_etm_event_handle_t event, esp_etm_task_handle_t task);
esp_err_t esp_etm_del_event(esp_etm_event_handle_t event);
esp_err_t esp_etm_del_task(esp_etm_task_handle_t task);
/** Prints the channels' state to `out_stream` (stdout here). */
esp_err_t esp_etm_dump(FILE *out_stream);

#ifdef __cplusplus
}
#endif
