/* soc-fabric runtime: the ESP-IDF driver calls, read out of their C structs and passed to the host. */
#include <stdio.h>
#include "esp_async_memcpy.h"
#include "esp_etm.h"
#include "driver/gpio.h"
#include "driver/gpio_etm.h"
#include "driver/gptimer.h"
#include "driver/gptimer_etm.h"
#include "driver/spi_master.h"
#include "sf_host.h"

/* ---- esp_async_memcpy ---- */

static esp_err_t amcp_install(int backend, const async_memcpy_config_t *config, async_memcpy_handle_t *mcp) {
    if (!config || !mcp) return ESP_ERR_INVALID_ARG;
    *mcp = NULL;
    return __sf_amcp_install(backend, config->backlog, config->dma_burst_size, config->weight, mcp);
}
esp_err_t esp_async_memcpy_install(const async_memcpy_config_t *c, async_memcpy_handle_t *m) { return amcp_install(0, c, m); }
esp_err_t esp_async_memcpy_install_gdma_ahb(const async_memcpy_config_t *c, async_memcpy_handle_t *m) { return amcp_install(1, c, m); }
esp_err_t esp_async_memcpy_install_gdma_axi(const async_memcpy_config_t *c, async_memcpy_handle_t *m) { return amcp_install(2, c, m); }
esp_err_t esp_async_memcpy_install_cpdma(const async_memcpy_config_t *c, async_memcpy_handle_t *m) { return amcp_install(3, c, m); }
esp_err_t esp_async_memcpy_uninstall(async_memcpy_handle_t mcp) { return __sf_amcp_uninstall(mcp); }
esp_err_t esp_async_memcpy(async_memcpy_handle_t mcp, void *dst, void *src, size_t n, async_memcpy_isr_cb_t cb, void *args) {
    return __sf_amcp_memcpy(mcp, dst, src, n, (void *)cb, args);
}
esp_err_t esp_async_memcpy_new_etm_event(async_memcpy_handle_t mcp, async_memcpy_etm_event_t event_type,
                                         esp_etm_event_handle_t *out_event) {
    if (!out_event) return ESP_ERR_INVALID_ARG;
    return __sf_amcp_new_etm_event(mcp, event_type, out_event);
}

/* ---- esp_etm ---- */

esp_err_t esp_etm_new_channel(const esp_etm_channel_config_t *config, esp_etm_channel_handle_t *ret_chan) {
    if (!config || !ret_chan) return ESP_ERR_INVALID_ARG;
    return __sf_etm_new_channel(ret_chan);
}
esp_err_t esp_etm_channel_enable(esp_etm_channel_handle_t chan) { return __sf_etm_channel_op(chan, 0); }
esp_err_t esp_etm_channel_disable(esp_etm_channel_handle_t chan) { return __sf_etm_channel_op(chan, 1); }
esp_err_t esp_etm_del_channel(esp_etm_channel_handle_t chan) { return __sf_etm_channel_op(chan, 2); }
esp_err_t esp_etm_channel_connect(esp_etm_channel_handle_t chan, esp_etm_event_handle_t event, esp_etm_task_handle_t task) {
    return __sf_etm_connect(chan, event, task);
}
esp_err_t esp_etm_del_event(esp_etm_event_handle_t event) { return __sf_etm_del_event(event); }
esp_err_t esp_etm_del_task(esp_etm_task_handle_t task) { return __sf_etm_del_task(task); }
esp_err_t esp_etm_dump(FILE *out_stream) { (void)out_stream; return __sf_etm_dump(); }

/* ---- GPIO ---- */

esp_err_t gpio_config(const gpio_config_t *cfg) {
    if (!cfg || cfg->pin_bit_mask == 0) return ESP_ERR_INVALID_ARG;
    for (int pin = 0; pin < 64; pin++) {
        if ((cfg->pin_bit_mask >> pin) & 1) {
            esp_err_t rc = __sf_gpio_check(pin);
            if (rc != ESP_OK) return rc;
        }
    }
    return ESP_OK;
}
esp_err_t gpio_reset_pin(gpio_num_t gpio_num) { return __sf_gpio_check(gpio_num); }
esp_err_t gpio_set_direction(gpio_num_t gpio_num, gpio_mode_t mode) { (void)mode; return __sf_gpio_check(gpio_num); }
esp_err_t gpio_set_level(gpio_num_t gpio_num, uint32_t level) { return __sf_gpio_set_level(gpio_num, level ? 1 : 0); }
int gpio_get_level(gpio_num_t gpio_num) { return __sf_gpio_get_level(gpio_num); }

esp_err_t gpio_new_etm_event(const gpio_etm_event_config_t *config, esp_etm_event_handle_t *ret_event, ...) {
    if (!config || !ret_event) return ESP_ERR_INVALID_ARG;
    return __sf_gpio_new_etm_event(config->edge, ret_event);
}
esp_err_t gpio_etm_event_bind_gpio(esp_etm_event_handle_t event, int gpio_num) { return __sf_gpio_etm_event_bind(event, gpio_num); }
esp_err_t gpio_new_etm_task(const gpio_etm_task_config_t *config, esp_etm_task_handle_t *ret_task, ...) {
    if (!config || !ret_task) return ESP_ERR_INVALID_ARG;
    return __sf_gpio_new_etm_task(config->action, ret_task);
}
esp_err_t gpio_etm_task_add_gpio(esp_etm_task_handle_t task, int gpio_num) { return __sf_gpio_etm_task_pin(task, gpio_num, 1); }
esp_err_t gpio_etm_task_rm_gpio(esp_etm_task_handle_t task, int gpio_num) { return __sf_gpio_etm_task_pin(task, gpio_num, 0); }

/* ---- GPTimer ---- */

esp_err_t gptimer_new_timer(const gptimer_config_t *config, gptimer_handle_t *ret_timer) {
    if (!config || !ret_timer) return ESP_ERR_INVALID_ARG;
    return __sf_gptimer_new(config->resolution_hz, config->direction == GPTIMER_COUNT_UP, ret_timer);
}
esp_err_t gptimer_del_timer(gptimer_handle_t t) { return __sf_gptimer_op(t, 0); }
esp_err_t gptimer_enable(gptimer_handle_t t) { return __sf_gptimer_op(t, 1); }
esp_err_t gptimer_disable(gptimer_handle_t t) { return __sf_gptimer_op(t, 2); }
esp_err_t gptimer_start(gptimer_handle_t t) { return __sf_gptimer_op(t, 3); }
esp_err_t gptimer_stop(gptimer_handle_t t) { return __sf_gptimer_op(t, 4); }
esp_err_t gptimer_set_raw_count(gptimer_handle_t t, uint64_t value) { return __sf_gptimer_set_count(t, (double)value); }
esp_err_t gptimer_get_raw_count(gptimer_handle_t t, uint64_t *value) {
    if (!value) return ESP_ERR_INVALID_ARG;
    return __sf_gptimer_get_count(t, 0, value);
}
esp_err_t gptimer_get_captured_count(gptimer_handle_t t, uint64_t *value) {
    if (!value) return ESP_ERR_INVALID_ARG;
    return __sf_gptimer_get_count(t, 1, value);
}
esp_err_t gptimer_get_resolution(gptimer_handle_t t, uint32_t *out) {
    if (!out) return ESP_ERR_INVALID_ARG;
    return __sf_gptimer_get_resolution(t, out);
}
esp_err_t gptimer_set_alarm_action(gptimer_handle_t t, const gptimer_alarm_config_t *c) {
    if (!c) return __sf_gptimer_set_alarm(t, 0, 0, 0, 0);
    return __sf_gptimer_set_alarm(t, 1, (double)c->alarm_count, (double)c->reload_count, c->flags.auto_reload_on_alarm);
}
esp_err_t gptimer_register_event_callbacks(gptimer_handle_t t, const gptimer_event_callbacks_t *cbs, void *user_data) {
    if (!cbs) return ESP_ERR_INVALID_ARG;
    return __sf_gptimer_register_cb(t, (void *)cbs->on_alarm, user_data);
}
esp_err_t gptimer_new_etm_event(gptimer_handle_t t, const gptimer_etm_event_config_t *config, esp_etm_event_handle_t *out_event) {
    if (!config || !out_event) return ESP_ERR_INVALID_ARG;
    return __sf_gptimer_new_etm_event(t, config->event_type, out_event);
}
esp_err_t gptimer_new_etm_task(gptimer_handle_t t, const gptimer_etm_task_config_t *config, esp_etm_task_handle_t *out_task) {
    if (!config || !out_task) return ESP_ERR_INVALID_ARG;
    return __sf_gptimer_new_etm_task(t, config->task_type, out_task);
}

/* ---- SPI master ---- */

esp_err_t spi_bus_initialize(spi_host_device_t host_id, const spi_bus_config_t *c, spi_dma_chan_t dma_chan) {
    if (!c) return ESP_ERR_INVALID_ARG;
    int loopback = c->mosi_io_num >= 0 && c->mosi_io_num == c->miso_io_num;
    return __sf_spi_bus_init(host_id, c->max_transfer_sz, dma_chan, loopback);
}
esp_err_t spi_bus_free(spi_host_device_t host_id) { return __sf_spi_bus_free(host_id); }
esp_err_t spi_bus_add_device(spi_host_device_t host_id, const spi_device_interface_config_t *c, spi_device_handle_t *handle) {
    if (!c || !handle) return ESP_ERR_INVALID_ARG;
    return __sf_spi_add_device(host_id, c->clock_speed_hz, c->mode, c->queue_size, handle);
}
esp_err_t spi_bus_remove_device(spi_device_handle_t handle) { return __sf_spi_remove_device(handle); }

/* Bytes of a transaction, and its buffers (the inline tx_data/rx_data with the USE_*DATA flags). */
static esp_err_t spi_unpack(spi_transaction_t *t, const void **tx, void **rx, uint32_t *len, uint32_t *rxlen) {
    if (!t || (t->length & 7) || (t->rxlength & 7)) return ESP_ERR_INVALID_ARG; /* whole bytes only, in the model */
    *len = t->length / 8;
    *rxlen = t->rxlength / 8;
    *tx = (t->flags & SPI_TRANS_USE_TXDATA) ? (const void *)t->tx_data : t->tx_buffer;
    *rx = (t->flags & SPI_TRANS_USE_RXDATA) ? (void *)t->rx_data : t->rx_buffer;
    return ESP_OK;
}
static esp_err_t spi_transmit(spi_device_handle_t h, spi_transaction_t *t, int polling) {
    const void *tx; void *rx; uint32_t len, rxlen;
    esp_err_t rc = spi_unpack(t, &tx, &rx, &len, &rxlen);
    return rc != ESP_OK ? rc : __sf_spi_transmit(h, tx, rx, len, rxlen, polling);
}
esp_err_t spi_device_transmit(spi_device_handle_t h, spi_transaction_t *t) { return spi_transmit(h, t, 0); }
esp_err_t spi_device_polling_transmit(spi_device_handle_t h, spi_transaction_t *t) { return spi_transmit(h, t, 1); }
esp_err_t spi_device_queue_trans(spi_device_handle_t h, spi_transaction_t *t, TickType_t ticks_to_wait) {
    (void)ticks_to_wait;
    const void *tx; void *rx; uint32_t len, rxlen;
    esp_err_t rc = spi_unpack(t, &tx, &rx, &len, &rxlen);
    return rc != ESP_OK ? rc : __sf_spi_queue_trans(h, t, tx, rx, len, rxlen);
}
esp_err_t spi_device_get_trans_result(spi_device_handle_t h, spi_transaction_t **out, TickType_t ticks_to_wait) {
    if (!out) return ESP_ERR_INVALID_ARG;
    return __sf_spi_get_trans_result(h, ticks_to_wait, out);
}
esp_err_t spi_device_get_actual_freq(spi_device_handle_t h, int *freq_khz) {
    if (!freq_khz) return ESP_ERR_INVALID_ARG;
    int khz = __sf_spi_actual_freq_khz(h);
    if (khz < 0) return ESP_ERR_INVALID_ARG;
    *freq_khz = khz;
    return ESP_OK;
}
