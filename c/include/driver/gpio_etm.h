/* soc-fabric: ESP-IDF's driver/gpio_etm.h (v5.1/v5.2 form: one edge per event, one action per task). */
#pragma once
#include "esp_err.h"
#include "esp_etm.h"
#include "driver/gpio.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    GPIO_ETM_EVENT_EDGE_POS,
    GPIO_ETM_EVENT_EDGE_NEG,
    GPIO_ETM_EVENT_EDGE_ANY,
} gpio_etm_event_edge_t;

typedef struct {
    gpio_etm_event_edge_t edge;
} gpio_etm_event_config_t;

esp_err_t gpio_new_etm_event(const gpio_etm_event_config_t *config, esp_etm_event_handle_t *ret_event, ...);
esp_err_t gpio_etm_event_bind_gpio(esp_etm_event_handle_t event, int gpio_num);

typedef enum {
    GPIO_ETM_TASK_ACTION_SET,
    GPIO_ETM_TASK_ACTION_CLR,
    GPIO_ETM_TASK_ACTION_TOG,
} gpio_etm_task_action_t;

typedef struct {
    gpio_etm_task_action_t action;
} gpio_etm_task_config_t;

esp_err_t gpio_new_etm_task(const gpio_etm_task_config_t *config, esp_etm_task_handle_t *ret_task, ...);
esp_err_t gpio_etm_task_add_gpio(esp_etm_task_handle_t task, int gpio_num);
esp_err_t gpio_etm_task_rm_gpio(esp_etm_task_handle_t task, int gpio_num);

#ifdef __cplusplus
}
#endif
