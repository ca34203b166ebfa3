/*
 * Zephyr's DMA loop transfer test, in its style (tests/drivers/dma/loop_transfer): a memory-to-memory channel
 * copies one block, and its callback reloads and restarts it until every destination has been filled.
 * Static buffers: they are in the program's SRAM, which the DMA reaches.
 */
#include <string.h>
#include "unity.h"
#include "zephyr/kernel.h"
#include "zephyr/device.h"
#include "zephyr/drivers/dma.h"

#define XFERS 4
#define XFER_SIZE 64

static const char tx_data[XFER_SIZE] __attribute__((aligned(4))) = "It is harder to be kind than to be wise........................";
static char rx_data[XFERS][XFER_SIZE] __attribute__((aligned(4)));
static volatile uint32_t transfer_count;
static volatile int last_status;
static struct k_sem done;

static void dma_user_callback(const struct device *dma_dev, void *user_data, uint32_t id, int status)
{
    (void)user_data;
    last_status = status;
    if (status < 0) {
        k_sem_give(&done);
        return;
    }
    if (++transfer_count < XFERS) {
        dma_reload(dma_dev, id, (uint32_t)tx_data, (uint32_t)rx_data[transfer_count], sizeof(tx_data));
        dma_start(dma_dev, id);
    } else {
        k_sem_give(&done);
    }
}

TEST_CASE("test_dma_m2m_loop", "[zephyr][dma]")
{
    const struct device *dma = DEVICE_DT_GET(DT_NODELABEL(dma));
    if (!device_is_ready(dma)) TEST_IGNORE_MESSAGE("the target has no GDMA");
    k_sem_init(&done, 0, 1);
    memset(rx_data, 0, sizeof(rx_data));
    transfer_count = 0;

    int chan_id = dma_request_channel(dma, NULL);
    TEST_ASSERT_GREATER_OR_EQUAL(0, chan_id);

    struct dma_block_config block = {
        .source_address = (uint32_t)tx_data,
        .dest_address = (uint32_t)rx_data[0],
        .block_size = sizeof(tx_data),
    };
    struct dma_config cfg = {
        .channel_direction = MEMORY_TO_MEMORY,
        .source_data_size = 1,
        .dest_data_size = 1,
        .source_burst_length = 1,
        .dest_burst_length = 1,
        .dma_callback = dma_user_callback,
        .block_count = 1,
        .head_block = &block,
    };
    TEST_ASSERT_EQUAL(0, dma_config(dma, chan_id, &cfg));
    int64_t t0 = k_uptime_get();
    TEST_ASSERT_EQUAL(0, dma_start(dma, chan_id));
    TEST_ASSERT_EQUAL(0, k_sem_take(&done, K_MSEC(100)));
    TEST_ASSERT_EQUAL(0, last_status);
    TEST_ASSERT_EQUAL(XFERS, transfer_count);
    for (int i = 0; i < XFERS; i++) {
        TEST_ASSERT_EQUAL_MEMORY(tx_data, rx_data[i], XFER_SIZE);
    }
    struct dma_status stat;
    TEST_ASSERT_EQUAL(0, dma_get_status(dma, chan_id, &stat));
    TEST_ASSERT_FALSE(stat.busy);
    printk("%d transfers of %d bytes done, %lld ms\n", XFERS, XFER_SIZE, (long long)(k_uptime_get() - t0));
    TEST_ASSERT_EQUAL(0, dma_stop(dma, chan_id));
    dma_release_channel(dma, chan_id);
}

TEST_CASE("dma_config refuses mismatched burst lengths with -EINVAL", "[zephyr][dma]")
{
    const struct device *dma = DEVICE_DT_GET(DT_NODELABEL(dma));
    if (!device_is_ready(dma)) TEST_IGNORE_MESSAGE("the target has no GDMA");
    struct dma_block_config block = { .source_address = (uint32_t)tx_data, .dest_address = (uint32_t)rx_data[0], .block_size = 16 };
    struct dma_config cfg = { .channel_direction = MEMORY_TO_MEMORY, .source_burst_length = 1, .dest_burst_length = 4,
                              .block_count = 1, .head_block = &block };
    TEST_ASSERT_EQUAL(-EINVAL, dma_config(dma, 0, &cfg));
    cfg.dest_burst_length = 1;
    cfg.channel_direction = PERIPHERAL_TO_PERIPHERAL;
    TEST_ASSERT_EQUAL(-EINVAL, dma_config(dma, 0, &cfg));
}
