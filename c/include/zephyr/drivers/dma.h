/* soc-fabric: Zephyr's include/zephyr/drivers/dma.h subset, over the kit's DMA controllers. The channel numbers
 * and the errors are those of the kit's controller (its Zephyr face: -EINVAL, -EBUSY, -ENOSYS, ...). */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include "zephyr/sys/errno.h"
#include "zephyr/device.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dma_channel_direction {
    MEMORY_TO_MEMORY = 0x0,
    MEMORY_TO_PERIPHERAL,
    PERIPHERAL_TO_MEMORY,
    PERIPHERAL_TO_PERIPHERAL,
    HOST_TO_MEMORY,
    MEMORY_TO_HOST,
};

enum dma_addr_adj { DMA_ADDR_ADJ_INCREMENT, DMA_ADDR_ADJ_DECREMENT, DMA_ADDR_ADJ_NO_CHANGE };

#define DMA_STATUS_COMPLETE 0
#define DMA_STATUS_BLOCK 1
#define DMA_STATUS_HALF_COMPLETE 2

struct dma_block_config {
    uint32_t source_address;
    uint32_t dest_address;
    uint32_t source_gather_interval;
    uint32_t dest_scatter_interval;
    uint16_t dest_scatter_count;
    uint16_t source_gather_count;
    uint32_t block_size;
    struct dma_block_config *next_block;
    uint16_t source_gather_en : 1;
    uint16_t dest_scatter_en : 1;
    uint16_t source_addr_adj : 2;
    uint16_t dest_addr_adj : 2;
    uint16_t source_reload_en : 1;
    uint16_t dest_reload_en : 1;
    uint16_t fifo_mode_control : 4;
    uint16_t flow_control_mode : 1;
    uint16_t _reserved : 3;
};

/** Runs in ISR context: status 0 COMPLETE, 1 BLOCK, a negative errno on error. */
typedef void (*dma_callback_t)(const struct device *dev, void *user_data, uint32_t channel, int status);

struct dma_config {
    uint32_t dma_slot : 8;
    uint32_t channel_direction : 3;
    uint32_t complete_callback_en : 1;
    uint32_t error_callback_dis : 1;
    uint32_t source_handshake : 1;
    uint32_t dest_handshake : 1;
    uint32_t channel_priority : 4;
    uint32_t source_chaining_en : 1;
    uint32_t dest_chaining_en : 1;
    uint32_t linked_channel : 7;
    uint32_t cyclic : 1;
    uint32_t _reserved : 3;
    uint32_t source_data_size : 16;
    uint32_t dest_data_size : 16;
    uint32_t source_burst_length : 16;
    uint32_t dest_burst_length : 16;
    uint32_t block_count;
    struct dma_block_config *head_block;
    void *user_data;
    dma_callback_t dma_callback;
};

struct dma_status {
    bool busy;
    enum dma_channel_direction dir;
    uint32_t pending_length;
    uint32_t free;
    uint32_t write_position;
    uint32_t read_position;
    uint64_t total_copied;
};

int dma_config(const struct device *dev, uint32_t channel, struct dma_config *config);
int dma_start(const struct device *dev, uint32_t channel);
int dma_stop(const struct device *dev, uint32_t channel);
int dma_suspend(const struct device *dev, uint32_t channel);
int dma_resume(const struct device *dev, uint32_t channel);
int dma_reload(const struct device *dev, uint32_t channel, uint32_t src, uint32_t dst, size_t size);
int dma_get_status(const struct device *dev, uint32_t channel, struct dma_status *stat);
/** A free channel, or a negative errno. */
int dma_request_channel(const struct device *dev, void *filter_param);
void dma_release_channel(const struct device *dev, uint32_t channel);

#ifdef __cplusplus
}
#endif
