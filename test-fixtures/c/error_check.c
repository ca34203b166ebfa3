/* ESP_ERROR_CHECK on a refused call stops the program, naming the call, the function and the time. */
#include "esp_err.h"
#include "esp_async_memcpy.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"

static void uninstall_twice(void)
{
    async_memcpy_config_t config = ASYNC_MEMCPY_DEFAULT_CONFIG();
    async_memcpy_handle_t driver = NULL;
    ESP_ERROR_CHECK(esp_async_memcpy_install(&config, &driver));
    ESP_ERROR_CHECK(esp_async_memcpy_uninstall(driver));
    ESP_ERROR_CHECK(esp_async_memcpy_uninstall(driver));
}

void app_main(void)
{
    vTaskDelay(3);
    uninstall_twice();
}
