/* soc-fabric: esp_rom_delay_us busy-waits in simulated time. */
#pragma once
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
void esp_rom_delay_us(uint32_t us);
int esp_rom_printf(const char *fmt, ...);
#ifdef __cplusplus
}
#endif
