/* soc-fabric runtime: Zephyr's DMA API and the few kernel calls its tests use. */
#include <string.h>
#include "zephyr/kernel.h"
#include "zephyr/drivers/dma.h"
#include "freertos/FreeRTOS.h"
#include "sf_host.h"

const struct device __sf_device_dma = { "dma", 0 };
const struct device __sf_device_cpdma = { "cpdma", 1 };

static int dev_id(const struct device *dev) { return dev ? dev->id : -1; }

bool device_is_ready(const struct device *dev) { return dev && __sf_dma_ready(dev->id); }

#define SF_DMA_MAX_BLOCKS 64

int dma_config(const struct device *dev, uint32_t channel, struct dma_config *cfg) {
    if (!dev || !cfg) return -EINVAL;
    if (cfg->source_burst_length != cfg->dest_burst_length) return -EINVAL;
    uint32_t blocks[SF_DMA_MAX_BLOCKS * 3];
    uint32_t n = 0;
    for (struct dma_block_config *b = cfg->head_block; b && n < cfg->block_count; b = b->next_block, n++) {
        if (n == SF_DMA_MAX_BLOCKS) return -EINVAL;
        blocks[3 * n] = b->source_address;
        blocks[3 * n + 1] = b->dest_address;
        blocks[3 * n + 2] = b->block_size;
    }
    if (n != cfg->block_count) return -EINVAL;
    int flags = (cfg->complete_callback_en ? 1 : 0) | (cfg->error_callback_dis ? 2 : 0) | (cfg->cyclic ? 4 : 0);
    return __sf_dma_config(dev->id, channel, cfg->channel_direction, flags, cfg->source_burst_length, cfg->channel_priority,
                           blocks, n, (void *)cfg->dma_callback, cfg->user_data, dev);
}
int dma_start(const struct device *dev, uint32_t channel) { return __sf_dma_op(dev_id(dev), channel, 0); }
int dma_stop(const struct device *dev, uint32_t channel) { return __sf_dma_op(dev_id(dev), channel, 1); }
int dma_suspend(const struct device *dev, uint32_t channel) { return __sf_dma_op(dev_id(dev), channel, 2); }
int dma_resume(const struct device *dev, uint32_t channel) { return __sf_dma_op(dev_id(dev), channel, 3); }
void dma_release_channel(const struct device *dev, uint32_t channel) { (void)__sf_dma_op(dev_id(dev), channel, 4); }
int dma_reload(const struct device *dev, uint32_t channel, uint32_t src, uint32_t dst, size_t size) {
    return __sf_dma_reload(dev_id(dev), channel, src, dst, size);
}
int dma_request_channel(const struct device *dev, void *filter_param) { (void)filter_param; return __sf_dma_request(dev_id(dev)); }
int dma_get_status(const struct device *dev, uint32_t channel, struct dma_status *stat) {
    if (!stat) return -EINVAL;
    uint32_t s[4];
    int rc = __sf_dma_status(dev_id(dev), channel, s);
    if (rc != 0) return rc;
    memset(stat, 0, sizeof *stat);
    stat->busy = s[0] != 0;
    stat->dir = (enum dma_channel_direction)s[1];
    stat->pending_length = s[2];
    stat->total_copied = s[3];
    return 0;
}

/* ---- kernel: timeouts in microseconds, semaphores on the host's ---- */

static uint32_t us_to_ticks_ceil(int64_t us) {
    int64_t per_tick = 1000000 / configTICK_RATE_HZ;
    return (uint32_t)((us + per_tick - 1) / per_tick);
}

int k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit) {
    if (!sem || limit == 0 || initial_count > limit) return -EINVAL;
    sem->handle = (void *)(uintptr_t)__sf_sem_create(limit, initial_count);
    sem->limit = limit;
    return sem->handle ? 0 : -ENOMEM;
}
int k_sem_take(struct k_sem *sem, k_timeout_t timeout) {
    uint32_t h = (uint32_t)(uintptr_t)sem->handle;
    if (timeout.ticks == 0) return __sf_sem_take_isr(h) ? 0 : -EBUSY;
    uint32_t ticks = timeout.ticks < 0 ? portMAX_DELAY : us_to_ticks_ceil(timeout.ticks);
    return __sf_sem_take(h, ticks) ? 0 : -EAGAIN;
}
void k_sem_give(struct k_sem *sem) { (void)__sf_sem_give((uint32_t)(uintptr_t)sem->handle); }
unsigned int k_sem_count_get(struct k_sem *sem) { return __sf_sem_count((uint32_t)(uintptr_t)sem->handle); }
int32_t k_sleep(k_timeout_t timeout) {
    if (timeout.ticks > 0) __sf_busy_wait_us((uint32_t)timeout.ticks);
    return 0;
}
int32_t k_msleep(int32_t ms) { return k_sleep(K_MSEC(ms)); }
int32_t k_usleep(int32_t us) { return k_sleep(K_USEC(us)); }
void k_busy_wait(uint32_t usec_to_wait) { __sf_busy_wait_us(usec_to_wait); }
int64_t k_uptime_get(void) { return (int64_t)(__sf_now_us() / 1000.0); }
