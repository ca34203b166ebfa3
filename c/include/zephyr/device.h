/* soc-fabric: the devicetree and device handles a Zephyr DMA program names. DEVICE_DT_GET(DT_NODELABEL(dma))
 * is the target's GDMA (or the ESP32-S2's copy DMA for DT_NODELABEL(cpdma)). */
#pragma once
#include <stdbool.h>
#include "zephyr/sys/errno.h"

#ifdef __cplusplus
extern "C" {
#endif

struct device {
    const char *name;
    int id; /* the kit's controller number */
};

extern const struct device __sf_device_dma;
extern const struct device __sf_device_cpdma;

#define DT_NODELABEL(label) label
#define DT_ALIAS(alias) alias
#define DT_CHOSEN(x) x
#define SF_DEVICE_(node) (&__sf_device_##node)
#define DEVICE_DT_GET(node) SF_DEVICE_(node)
#define __sf_device_dma0 __sf_device_dma

/** Whether the target has the controller (false for a GDMA on the ESP32-S2, say). */
bool device_is_ready(const struct device *dev);

#ifdef __cplusplus
}
#endif
