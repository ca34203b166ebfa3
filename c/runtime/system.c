/* soc-fabric runtime: heap (malloc goes to the simulated heap, as ESP-IDF's malloc is heap_caps_malloc with
 * MALLOC_CAP_DEFAULT), errors, logging, time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "esp_err.h"
#include "esp_heap_caps.h"
#include "esp_cache.h"
#include "esp_log.h"
#include "esp_timer.h"
#include "esp_rom_sys.h"
#include "freertos/FreeRTOS.h"
#include "sf_host.h"

/* printf output goes out at once, so each line gets the simulated time it was printed at. */
__attribute__((constructor(101))) static void sf_unbuffered_stdout(void) { setvbuf(stdout, NULL, _IONBF, 0); }

__attribute__((export_name("__sf_tick_rate_hz"))) uint32_t sf_tick_rate_hz(void) { return configTICK_RATE_HZ; }

/* ---- heap ---- */

void *heap_caps_malloc(size_t size, uint32_t caps) { return size ? __sf_malloc(size, caps, 4) : NULL; }
void *heap_caps_aligned_alloc(size_t alignment, size_t size, uint32_t caps) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || size == 0) return NULL;
    return __sf_malloc(size, caps, alignment < 4 ? 4 : alignment);
}
void *heap_caps_calloc(size_t n, size_t size, uint32_t caps) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = heap_caps_malloc(n * size, caps);
    if (p) memset(p, 0, n * size);
    return p;
}
void *heap_caps_aligned_calloc(size_t alignment, size_t n, size_t size, uint32_t caps) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = heap_caps_aligned_alloc(alignment, n * size, caps);
    if (p) memset(p, 0, n * size);
    return p;
}
void heap_caps_free(void *ptr) { if (ptr) __sf_free(ptr); }
void heap_caps_aligned_free(void *ptr) { heap_caps_free(ptr); }
void *heap_caps_realloc(void *ptr, size_t size, uint32_t caps) {
    if (!ptr) return heap_caps_malloc(size, caps);
    if (size == 0) { heap_caps_free(ptr); return NULL; }
    void *q = heap_caps_malloc(size, caps);
    if (!q) return NULL;
    size_t old = __sf_block_size(ptr);
    memcpy(q, ptr, old < size ? old : size);
    heap_caps_free(ptr);
    return q;
}
size_t heap_caps_get_free_size(uint32_t caps) { return __sf_free_size(caps); }

/* The C library's allocator, replaced: every byte the program owns lives in the simulated memory. */
void *malloc(size_t size) { void *p = heap_caps_malloc(size ? size : 1, MALLOC_CAP_DEFAULT); if (!p) errno = ENOMEM; return p; }
void free(void *ptr) { heap_caps_free(ptr); }
void *calloc(size_t n, size_t size) { return heap_caps_calloc(n, size ? size : 1, MALLOC_CAP_DEFAULT); }
void *realloc(void *ptr, size_t size) { return heap_caps_realloc(ptr, size, MALLOC_CAP_DEFAULT); }
void *aligned_alloc(size_t alignment, size_t size) { return heap_caps_aligned_alloc(alignment, size, MALLOC_CAP_DEFAULT); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    void *p = heap_caps_aligned_alloc(alignment, size ? size : 1, MALLOC_CAP_DEFAULT);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
size_t malloc_usable_size(void *ptr) { return ptr ? __sf_block_size(ptr) : 0; }

esp_err_t esp_cache_msync(void *addr, size_t size, int flags) { return __sf_cache_msync(addr, size, flags); }

/* ---- errors ---- */

const char *esp_err_to_name(esp_err_t code) {
    switch (code) {
    case ESP_OK: return "ESP_OK";
    case ESP_FAIL: return "ESP_FAIL";
    case ESP_ERR_NO_MEM: return "ESP_ERR_NO_MEM";
    case ESP_ERR_INVALID_ARG: return "ESP_ERR_INVALID_ARG";
    case ESP_ERR_INVALID_STATE: return "ESP_ERR_INVALID_STATE";
    case ESP_ERR_INVALID_SIZE: return "ESP_ERR_INVALID_SIZE";
    case ESP_ERR_NOT_FOUND: return "ESP_ERR_NOT_FOUND";
    case ESP_ERR_NOT_SUPPORTED: return "ESP_ERR_NOT_SUPPORTED";
    case ESP_ERR_TIMEOUT: return "ESP_ERR_TIMEOUT";
    case ESP_ERR_INVALID_RESPONSE: return "ESP_ERR_INVALID_RESPONSE";
    case ESP_ERR_INVALID_CRC: return "ESP_ERR_INVALID_CRC";
    case ESP_ERR_INVALID_VERSION: return "ESP_ERR_INVALID_VERSION";
    case ESP_ERR_INVALID_MAC: return "ESP_ERR_INVALID_MAC";
    case ESP_ERR_NOT_FINISHED: return "ESP_ERR_NOT_FINISHED";
    case ESP_ERR_NOT_ALLOWED: return "ESP_ERR_NOT_ALLOWED";
    default: return "UNKNOWN ERROR";
    }
}

void _esp_error_check_failed(esp_err_t rc, const char *file, int line, const char *function, const char *expression) {
    __sf_error_check_failed(rc, file, line, function, expression);
}

void abort(void) { __sf_abort("abort() was called"); }

/* ---- logging: a default level and a few per-tag levels, as esp_log_level_set keeps them ---- */

#define SF_LOG_TAGS 16
static struct { const char *tag; esp_log_level_t level; } sf_log_tags[SF_LOG_TAGS];
static esp_log_level_t sf_log_default = ESP_LOG_INFO;

void esp_log_level_set(const char *tag, esp_log_level_t level) {
    if (strcmp(tag, "*") == 0) { sf_log_default = level; return; }
    for (int i = 0; i < SF_LOG_TAGS; i++) {
        if (sf_log_tags[i].tag == NULL || strcmp(sf_log_tags[i].tag, tag) == 0) {
            sf_log_tags[i].tag = tag;
            sf_log_tags[i].level = level;
            return;
        }
    }
}

esp_log_level_t esp_log_level_get(const char *tag) {
    for (int i = 0; i < SF_LOG_TAGS && sf_log_tags[i].tag; i++) {
        if (strcmp(sf_log_tags[i].tag, tag) == 0) return sf_log_tags[i].level;
    }
    return sf_log_default;
}

void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...) {
    if (level > esp_log_level_get(tag)) return;
    va_list ap;
    va_start(ap, format);
    vprintf(format, ap);
    va_end(ap);
}

uint32_t esp_log_timestamp(void) { return (uint32_t)(__sf_now_us() / 1000.0); }
int64_t esp_timer_get_time(void) { return (int64_t)__sf_now_us(); }
void esp_rom_delay_us(uint32_t us) { __sf_busy_wait_us(us); }

int esp_rom_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
