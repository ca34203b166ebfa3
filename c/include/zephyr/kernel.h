/* soc-fabric: the Zephyr kernel calls a DMA test needs: sleeping and semaphores in simulated time, printk. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "zephyr/sys/errno.h"
#include "zephyr/device.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { int64_t ticks; } k_timeout_t; /* in microseconds here */
#define K_NO_WAIT ((k_timeout_t){ 0 })
#define K_FOREVER ((k_timeout_t){ -1 })
#define K_USEC(us) ((k_timeout_t){ (int64_t)(us) })
#define K_MSEC(ms) ((k_timeout_t){ (int64_t)(ms) * 1000 })
#define K_SECONDS(s) ((k_timeout_t){ (int64_t)(s) * 1000000 })

struct k_sem { void *handle; unsigned int limit; };

int k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit);
/** 0, or -EBUSY (K_NO_WAIT and not available), or -EAGAIN (timed out). */
int k_sem_take(struct k_sem *sem, k_timeout_t timeout);
void k_sem_give(struct k_sem *sem);
unsigned int k_sem_count_get(struct k_sem *sem);
int32_t k_sleep(k_timeout_t timeout);
int32_t k_msleep(int32_t ms);
int32_t k_usleep(int32_t us);
void k_busy_wait(uint32_t usec_to_wait);
int64_t k_uptime_get(void);

#define printk printf

#ifdef __cplusplus
}
#endif
