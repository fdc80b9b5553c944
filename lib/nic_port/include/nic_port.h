/*
 * The driver side of a NIC's frame streams (library nic_port): what
 * virtio_net, e1000 and e1000e share between their hardware and the
 * Uplink session of nic_router (nic_session.h).
 *
 * The port allocates both packet streams as DMA buffers of the driver's
 * Platform session and formats them, so that the device moves frames
 * straight into and out of their payload areas:
 *
 *   NIC_UP    the driver is the source: receive buffers (rx_buf bytes each)
 *             are allocated from its payload once and cycle between the
 *             device, the router and the port's free list
 *   NIC_DOWN  the driver is the sink: each frame the router submits is
 *             checked (14..NIC_FRAME_MAX bytes) and handed to the device;
 *             acknowledged when the device has sent it (acks the ring has
 *             no room for wait here, in order)
 *
 * The port trusts the router for nothing it writes into the streams: the
 * packet stream checks every descriptor and index.
 */
#ifndef NIC_PORT_H
#define NIC_PORT_H

#include <argil/parent.h>
#include <driver.h>
#include <nic_session.h>

#define NIC_PORT_RX_MAX 512      /* receive buffers */
#define NIC_PORT_PENDING 512     /* transmit acks waiting for room */

struct nic_port_args {
	size_t up_size, down_size;   /* bytes of each stream (DMA buffers) */
	uint32_t slots;              /* per ring, a power of two */
	uint32_t rx_buf;             /* bytes of a receive buffer */
	uint32_t rx_count;           /* receive buffers (<= NIC_PORT_RX_MAX) */
};

struct nic_port {
	struct platform_connection *plat;
	struct dma_buf up, down;
	struct ps_source rx;         /* NIC_UP */
	struct ps_sink tx;           /* NIC_DOWN */
	uint64_t up_payload_dev, down_payload_dev;
	uint32_t rx_buf;
	struct ps_desc free_rx[NIC_PORT_RX_MAX];
	unsigned nfree;
	struct ps_desc pending[NIC_PORT_PENDING];
	unsigned phead, npending;
	unsigned tx_taken;           /* frames with the device */
	struct ps_caps peer;         /* the router's notifications */
	struct parent_conn pc;       /* the Uplink session */
	bool dead;                   /* a stream broke */
	/* counters */
	uint64_t rx_frames, rx_dropped, tx_frames, tx_bad;
};

/* Allocate and format both streams, allocate the receive buffers. */
rpc_status_t nic_port_init(struct nic_port *p, struct platform_connection *plat,
			   const struct nic_port_args *a);

/* Open the Uplink session (label), announce mac/mtu/link, register sigh
 * (a signal handler's notification) for every condition the driver waits
 * for, and hand over both streams. */
rpc_status_t nic_port_connect(struct nic_port *p, const char *label, const uint8_t mac[6],
			      bool link, cptr_t sigh);
/* Tell the router the link state changed. */
rpc_status_t nic_port_link(struct nic_port *p, bool up);

/* ---- receive (NIC_UP) ---- */

/* A free receive buffer for the device: its descriptor (kept by the
 * driver with the device's descriptor) and device address. */
bool nic_port_rx_get(struct nic_port *p, struct ps_desc *d, uint64_t *dev);
/* The device filled d with len bytes: submitted to the router, or back on
 * the free list when it is no frame or the submit ring is full (dropped). */
void nic_port_rx_done(struct nic_port *p, struct ps_desc *d, uint32_t len, bool good);
void *nic_port_rx_data(struct nic_port *p, const struct ps_desc *d);

/* ---- transmit (NIC_DOWN) ---- */

/* The next frame to send (bad ones are acknowledged here with
 * NIC_STATUS_BAD_FRAME): its descriptor and device address. */
bool nic_port_tx_next(struct nic_port *p, struct ps_desc *d, uint64_t *dev);
void *nic_port_tx_data(struct nic_port *p, const struct ps_desc *d);
/* The device is done with d. */
void nic_port_tx_done(struct nic_port *p, const struct ps_desc *d, unsigned status);

/* Take the router's acknowledgements (receive buffers back to the free
 * list) and put waiting transmit acks into the ring. Call on every signal. */
void nic_port_collect(struct nic_port *p);

#endif
