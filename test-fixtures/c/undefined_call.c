/* A call the kit does not implement fails to link, naming the function. */
#include "esp_err.h"
esp_err_t esp_wifi_start(void);
void app_main(void) { esp_wifi_start(); }
