/*
 * A NIC driver's two Uplink streams (nic_connection.h) as DMA buffers of
 * its Platform session, so that the device moves frames straight between
 * the wire and the router's payload areas (virtio_net, e1000, e1000e),
 * and link changes told to the router.
 */
#ifndef UPLINK_DMA_H
#define UPLINK_DMA_H

#include <driver.h>
#include <nic_connection.h>

/* Allocate NIC_UP (up_size bytes) and NIC_DOWN (down_size) into stream[]
 * and enter them into a (ds, mem, size, dev) for uplink_start. */
rpc_status_t uplink_dma_streams(struct platform_connection *p, size_t up_size, size_t down_size,
				struct dma_buf stream[NIC_STREAMS], struct uplink_args *a);

/* The link is now up or down: when that differs from *known, log it
 * ("<dev>: link up") and tell the router. */
void uplink_dma_link(struct uplink_connection *c, const char *dev, bool *known, bool now);

#endif
