/*
 * SPI master loopback with DMA, as ESP-IDF's SPI tests wire it: MOSI and MISO on the same pin, so every byte
 * sent comes back. Full-duplex transactions through spi_device_transmit (interrupt) and
 * spi_device_polling_transmit, DMA buffers from heap_caps_malloc(MALLOC_CAP_DMA), and inline tx_data/rx_data.
 */
#include <stdio.h>
#include <string.h>
#include "unity.h"
#include "esp_heap_caps.h"
#include "esp_timer.h"
#include "driver/spi_master.h"

#define LOOP_PIN 7
#define TRANS_BYTES 256

static spi_device_handle_t setup_loopback(void)
{
    spi_bus_config_t bus_cfg = {
        .mosi_io_num = LOOP_PIN,
        .miso_io_num = LOOP_PIN, /* wired to MOSI */
        .sclk_io_num = 6,
        .quadwp_io_num = -1,
        .quadhd_io_num = -1,
        .max_transfer_sz = 4096,
    };
    TEST_ESP_OK(spi_bus_initialize(SPI2_HOST, &bus_cfg, SPI_DMA_CH_AUTO));
    spi_device_interface_config_t dev_cfg = {
        .clock_speed_hz = SPI_MASTER_FREQ_10M,
        .mode = 0,
        .spics_io_num = 10,
        .queue_size = 4,
    };
    spi_device_handle_t dev = NULL;
    TEST_ESP_OK(spi_bus_add_device(SPI2_HOST, &dev_cfg, &dev));
    return dev;
}

static void teardown(spi_device_handle_t dev)
{
    TEST_ESP_OK(spi_bus_remove_device(dev));
    TEST_ESP_OK(spi_bus_free(SPI2_HOST));
}

TEST_CASE("SPI loopback with DMA: every byte sent comes back", "[spi]")
{
    spi_device_handle_t dev = setup_loopback();
    uint8_t *tx = heap_caps_malloc(TRANS_BYTES, MALLOC_CAP_DMA);
    uint8_t *rx = heap_caps_calloc(1, TRANS_BYTES, MALLOC_CAP_DMA);
    for (int i = 0; i < TRANS_BYTES; i++) tx[i] = (uint8_t)(i * 13 + 1);
    spi_transaction_t t = { .length = TRANS_BYTES * 8, .tx_buffer = tx, .rx_buffer = rx };
    int64_t t0 = esp_timer_get_time();
    TEST_ESP_OK(spi_device_transmit(dev, &t));
    int64_t took = esp_timer_get_time() - t0;
    printf("%d bytes at 10 MHz took %lld us\n", TRANS_BYTES, (long long)took);
    TEST_ASSERT_EQUAL_MEMORY(tx, rx, TRANS_BYTES);
    /* 256 bytes at 10 MHz are 204.8 us on the wire; the driver adds its own time */
    TEST_ASSERT_GREATER_OR_EQUAL(204, took);

    memset(rx, 0, TRANS_BYTES);
    TEST_ESP_OK(spi_device_polling_transmit(dev, &t));
    TEST_ASSERT_EQUAL_MEMORY(tx, rx, TRANS_BYTES);
    heap_caps_free(tx);
    heap_caps_free(rx);
    teardown(dev);
}

TEST_CASE("SPI loopback with inline tx_data and rx_data", "[spi]")
{
    spi_device_handle_t dev = setup_loopback();
    spi_transaction_t t = {
        .flags = SPI_TRANS_USE_TXDATA | SPI_TRANS_USE_RXDATA,
        .length = 32,
        .tx_data = { 0xde, 0xad, 0xbe, 0xef },
    };
    TEST_ESP_OK(spi_device_polling_transmit(dev, &t));
    TEST_ASSERT_EQUAL_HEX8(0xde, t.rx_data[0]);
    TEST_ASSERT_EQUAL_HEX8(0xef, t.rx_data[3]);
    teardown(dev);
}

TEST_CASE("SPI queued transactions come back in order", "[spi]")
{
    spi_device_handle_t dev = setup_loopback();
    static spi_transaction_t trans[3];
    uint8_t *rx = heap_caps_calloc(3, 16, MALLOC_CAP_DMA);
    uint8_t *tx = heap_caps_malloc(3 * 16, MALLOC_CAP_DMA);
    for (int i = 0; i < 3 * 16; i++) tx[i] = (uint8_t)i;
    for (int i = 0; i < 3; i++) {
        trans[i] = (spi_transaction_t){ .length = 16 * 8, .tx_buffer = tx + 16 * i, .rx_buffer = rx + 16 * i };
        TEST_ESP_OK(spi_device_queue_trans(dev, &trans[i], portMAX_DELAY));
    }
    for (int i = 0; i < 3; i++) {
        spi_transaction_t *done = NULL;
        TEST_ESP_OK(spi_device_get_trans_result(dev, &done, portMAX_DELAY));
        TEST_ASSERT_EQUAL_PTR(&trans[i], done);
    }
    TEST_ASSERT_EQUAL_MEMORY(tx, rx, 3 * 16);
    TEST_ESP_ERR(ESP_ERR_INVALID_ARG, spi_bus_initialize(SPI1_HOST, &(spi_bus_config_t){ .mosi_io_num = -1 }, SPI_DMA_CH_AUTO));
    teardown(dev);
}
