/* soc-fabric: ESP-IDF's driver/spi_master.h subset: full-duplex transactions in whole bytes. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "driver/spi_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SPI_MASTER_FREQ_8M (80 * 1000 * 1000 / 10)
#define SPI_MASTER_FREQ_10M (80 * 1000 * 1000 / 8)
#define SPI_MASTER_FREQ_20M (80 * 1000 * 1000 / 4)
#define SPI_MASTER_FREQ_40M (80 * 1000 * 1000 / 2)
#define SPI_MASTER_FREQ_80M (80 * 1000 * 1000 / 1)

#define SPI_TRANS_MODE_DIO (1 << 0)
#define SPI_TRANS_MODE_QIO (1 << 1)
#define SPI_TRANS_USE_RXDATA (1 << 2)
#define SPI_TRANS_USE_TXDATA (1 << 3)

typedef struct spi_device_t *spi_device_handle_t;
typedef struct spi_transaction_t spi_transaction_t;
typedef void (*transaction_cb_t)(spi_transaction_t *trans);

typedef struct {
    uint8_t command_bits;
    uint8_t address_bits;
    uint8_t dummy_bits;
    uint8_t mode;
    int clock_source;
    uint16_t duty_cycle_pos;
    uint16_t cs_ena_pretrans;
    uint8_t cs_ena_posttrans;
    int clock_speed_hz;
    int input_delay_ns;
    int spics_io_num;
    uint32_t flags;
    int queue_size;
    transaction_cb_t pre_cb;
    transaction_cb_t post_cb;
} spi_device_interface_config_t;

struct spi_transaction_t {
    uint32_t flags;
    uint16_t cmd;
    uint64_t addr;
    size_t length;   /* bits; a whole number of bytes in the model */
    size_t rxlength; /* bits; 0: same as length */
    void *user;
    union {
        const void *tx_buffer;
        uint8_t tx_data[4];
    };
    union {
        void *rx_buffer;
        uint8_t rx_data[4];
    };
};

esp_err_t spi_bus_add_device(spi_host_device_t host_id, const spi_device_interface_config_t *dev_config, spi_device_handle_t *handle);
esp_err_t spi_bus_remove_device(spi_device_handle_t handle);
/** Queues the transaction and blocks (in simulated time) until it is done. */
esp_err_t spi_device_transmit(spi_device_handle_t handle, spi_transaction_t *trans_desc);
/** The CPU spins until the transaction is done. */
esp_err_t spi_device_polling_transmit(spi_device_handle_t handle, spi_transaction_t *trans_desc);
/** Queues the transaction; ticks_to_wait other than 0 is not modelled (a full queue returns ESP_ERR_TIMEOUT at once). */
esp_err_t spi_device_queue_trans(spi_device_handle_t handle, spi_transaction_t *trans_desc, TickType_t ticks_to_wait);
/** Blocks until the oldest queued transaction is done; ESP_ERR_TIMEOUT after ticks_to_wait. */
esp_err_t spi_device_get_trans_result(spi_device_handle_t handle, spi_transaction_t **trans_desc, TickType_t ticks_to_wait);
esp_err_t spi_device_get_actual_freq(spi_device_handle_t handle, int *freq_khz);

#ifdef __cplusplus
}
#endif
