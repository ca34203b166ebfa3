/* soc-fabric: ESP-IDF's esp_err.h subset (error codes as components/esp_common/include/esp_err.h defines them). */
#pragma once
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int esp_err_t;

#define ESP_OK 0
#define ESP_FAIL -1
#define ESP_ERR_NO_MEM 0x101
#define ESP_ERR_INVALID_ARG 0x102
#define ESP_ERR_INVALID_STATE 0x103
#define ESP_ERR_INVALID_SIZE 0x104
#define ESP_ERR_NOT_FOUND 0x105
#define ESP_ERR_NOT_SUPPORTED 0x106
#define ESP_ERR_TIMEOUT 0x107
#define ESP_ERR_INVALID_RESPONSE 0x108
#define ESP_ERR_INVALID_CRC 0x109
#define ESP_ERR_INVALID_VERSION 0x10A
#define ESP_ERR_INVALID_MAC 0x10B
#define ESP_ERR_NOT_FINISHED 0x10C
#define ESP_ERR_NOT_ALLOWED 0x10D

/** The name of an error code ("ESP_ERR_INVALID_ARG"), or "UNKNOWN ERROR". */
const char *esp_err_to_name(esp_err_t code);

/** Stops the program: prints the failed expression, the code's name, the file, line and function (as ESP-IDF). */
void _esp_error_check_failed(esp_err_t rc, const char *file, int line, const char *function, const char *expression)
    __attribute__((noreturn));

#define ESP_ERROR_CHECK(x) do {                                                   \
        esp_err_t err_rc_ = (x);                                                  \
        if (err_rc_ != ESP_OK) {                                                  \
            _esp_error_check_failed(err_rc_, __FILE__, __LINE__, __func__, #x);  \
        }                                                                         \
    } while (0)

#define ESP_ERROR_CHECK_WITHOUT_ABORT(x) ({                                       \
        esp_err_t err_rc_ = (x);                                                  \
        if (err_rc_ != ESP_OK) {                                                  \
            printf("ESP_ERROR_CHECK_WITHOUT_ABORT failed: esp_err_t 0x%x (%s) at %s:%d (%s): %s\n", \
                   err_rc_, esp_err_to_name(err_rc_), __FILE__, __LINE__, __func__, #x);          \
        }                                                                         \
        err_rc_;                                                                  \
    })

#ifdef __cplusplus
}
#endif
