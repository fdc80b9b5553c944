/*
 * virtio_net: QEMU's virtio-net-pci (virtio device type 1, OASIS virtio
 * v1.1 5.1), modern devices only, through the driver kit's virtio
 * transport, an Uplink client of nic_router (nic_connection.h).
 *
 *   queue 0  receive: each buffer a chain of the 12-byte virtio-net header
 *            (our own DMA buffer) and NIC_FRAME_MAX bytes of the Uplink's
 *            NIC_UP payload, so frames land where the router reads them
 *   queue 1  transmit: the header (zero: no offload asked) and the frame
 *            straight from NIC_DOWN's payload
 *   MSI-X    vector 1 + queue; vector 0 for configuration changes: the
 *            link state (VIRTIO_NET_F_STATUS) goes to the router
 *   MAC      from the device configuration (VIRTIO_NET_F_MAC), else
 *            refused (the router needs one that the wire knows)
 *
 * Checksum offload (docs/network.md, "Checksum offload"): on receive
 * VIRTIO_NET_F_GUEST_CSUM when the device offers it (QEMU does only with a
 * backend that has a virtio-net header, e.g. tap; not with the user
 * network). Then a frame whose header says DATA_VALID goes to the router
 * with NIC_ARG_CSUM_VALID (it does not compare the TCP/UDP checksum
 * again), and one that says NEEDS_CSUM (a partial checksum from a local
 * sender on the host) gets its checksum completed here and the flag too
 * (vnet_hdr.c: the range checked to lie inside the frame, else the frame
 * is dropped, the first such logged). No GSO is negotiated, so a header
 * with a gso_type is a broken device's: dropped. Transmit offload (VIRTIO_NET_F_CSUM) is not asked
 * for: every frame on the Uplink carries complete checksums (the stacks
 * and the router write them), so there is nothing to leave to the device.
 * Without VIRTIO_NET_F_MRG_RXBUF each receive buffer holds a whole frame.
 *
 * Trusts its parent, core, the platform driver; the device for the data
 * and the lengths (cut to the chain by the virtqueue code, checked here);
 * the router for nothing (the session library and the packet stream).
 */
#include <argil/component.h>
#include <argil/log.h>
#include <argil/string.h>
#include <nic_connection.h>
#include <uplink_dma.h>
#include <virtio_pci.h>
#include "vnet_hdr.h"

#define QUEUE_MAX 128
#define RX_SLOTS 64              /* two descriptors each */
#define TX_SLOTS 64
#define HDR VNET_HDR_LEN
#define UP_SIZE (1ul << 20)
#define DOWN_SIZE (512ul << 10)
#define STREAM_SLOTS 256u
#define PLATFORM_RAM (64 * 1024)

#define VIRTIO_NET_F_GUEST_CSUM (1ull << 1)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)
#define VIRTIO_NET_S_LINK_UP 1u

/* The device configuration (5.1.4). */
REG(VNET_MAC0, 0x00, 8);
REG(VNET_STATUS, 0x06, 16);
#define VNET_CONFIG_MIN 8

struct slot {
	bool used;
	struct uplink_buf b;
	uint8_t *hdr;            /* HDR bytes in hdr_mem */
	uint64_t hdr_dev;
};

static const struct drv_id net_ids[] = {
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + 1 },
};

static struct component_env *env;
static struct platform_connection plat;
static struct drv_device dev;
static struct virtio_pci vio;
static struct virtio_queue rxq, txq;
static struct signal_handler sig;
static struct dma_buf stream[NIC_STREAMS], hdr_mem;
static struct uplink_connection up;
static struct slot rx[RX_SLOTS], tx[TX_SLOTS];
static bool link_up, has_status, rx_csum;
static uint64_t rx_bad_hdr;
static char devname[PLATFORM_NAME_MAX];

static bool read_link(void)
{
	if (!has_status)
		return true;
	return REG_READ(&vio.device, VNET_STATUS) & VIRTIO_NET_S_LINK_UP;
}

static void rx_fill(void)
{
	bool added = false;

	uplink_rx_reclaim(&up);
	for (unsigned i = 0; i < RX_SLOTS; i++) {
		struct slot *s = &rx[i];
		if (s->used)
			continue;
		if (uplink_rx_alloc(&up, &s->b) != PS_OK)
			break;
		struct vq_buf b[2] = {
			{ s->hdr_dev, HDR, true },
			{ s->b.dev, (uint32_t)s->b.len, true },
		};
		if (vq_add(&rxq.vq, b, 2, s) != VQ_OK) {
			uplink_rx_drop(&up, &s->b);
			break;
		}
		s->used = true;
		added = true;
	}
	if (added)
		virtio_queue_notify(&rxq);
}

/* A frame received (a vq_reap_fn). */
static bool rx_done(void *arg, void *cookie, uint32_t written)
{
	struct slot *s = cookie;
	int flags = -1;

	(void)arg;
	s->used = false;
	if (written >= HDR + NIC_FRAME_MIN && written - HDR <= s->b.len) {
		flags = vnet_rx_flags(s->hdr, s->b.data, written - HDR, rx_csum);
		if (flags < 0 && !rx_bad_hdr++)
			log("device: a receive header with a gso_type or a checksum range "
			    "outside the frame: dropped (later ones silently)");
	}
	if (flags < 0 || uplink_rx_submit_flags(&up, &s->b, written - HDR,
						flags ? NIC_ARG_CSUM_VALID : 0) != PS_OK)
		uplink_rx_drop(&up, &s->b);
	return true;
}

/* A frame sent (a vq_reap_fn). */
static bool tx_done(void *arg, void *cookie, uint32_t written)
{
	struct slot *s = cookie;

	(void)arg;
	(void)written;
	s->used = false;
	uplink_tx_done(&up, &s->b, true);
	return true;
}

/* What the device completed on both queues. */
static void reap(void)
{
	vq_error_t e = vq_reap(&rxq.vq, rx_done, 0);

	if (e == VQ_OK)
		e = vq_reap(&txq.vq, tx_done, 0);
	if (e != VQ_OK)
		virtio_pci_broken(&vio, e);
}

static void tx_send(void)
{
	bool added = false;

	for (unsigned i = 0; i < TX_SLOTS; i++) {
		struct slot *s = &tx[i];
		if (s->used)
			continue;
		if (!uplink_tx_next(&up, &s->b))
			break;
		memset(s->hdr, 0, HDR);
		struct vq_buf b[2] = {
			{ s->hdr_dev, HDR, false },
			{ s->b.dev, (uint32_t)s->b.len, false },
		};
		if (vq_add(&txq.vq, b, 2, s) != VQ_OK) {
			/* cannot be: a slot is free only with two descriptors for it */
			uplink_tx_done(&up, &s->b, false);
			continue;
		}
		s->used = true;
		added = true;
	}
	if (added)
		virtio_queue_notify(&txq);
}

static void check_link(void)
{
	uplink_dma_link(&up, devname, &link_up, read_link());
}

/* Queue interrupts and stream signals. */
static void work(void *arg)
{
	(void)arg;
	uplink_tx_flush(&up);
	reap();
	virtio_queue_irq_ack(&rxq);
	virtio_queue_irq_ack(&txq);
	reap();         /* what came between the drain and the acks */
	rx_fill();
	tx_send();
	uplink_tx_flush(&up);
	if (!vio.msix)
		check_link();   /* no configuration vector: the line tells of changes too */
	if (up.dead) {
		log("error: the Uplink streams broke");
		component_exit(1);
	}
}

static void on_config(void *arg)
{
	(void)arg;
	if (virtio_pci_needs_reset(&vio))
		component_exit(1);
	check_link();
}

void component_construct(struct component_env *e)
{
	struct uplink_args ua = { .mtu = 1500, .slots = STREAM_SLOTS };
	const struct virtio_pci_want want = {
		.kind = "virtio-net", .ids = net_ids, .nids = 1, .config_min = VNET_CONFIG_MIN,
		.wanted = VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_GUEST_CSUM,
		.required = VIRTIO_NET_F_MAC,
	};
	rpc_status_t st;

	env = e;
	/* the router's session first: it closes before the streams' buffers go */
	st = uplink_open(&up, "");
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "no Uplink session", st);
	virtio_pci_open(&vio, &dev, &plat, PLATFORM_RAM, &want, devname);
	st = signal_handler_init(&env->ep, &sig, work, 0);
	if (st == RPC_OK)
		st = virtio_queue_setup(&vio, &rxq, 0, QUEUE_MAX, sig.cap);
	if (st == RPC_OK)
		st = virtio_queue_setup(&vio, &txq, 1, QUEUE_MAX, sig.cap);
	if (st == RPC_OK)
		st = virtio_pci_on_config(&vio, &env->ep, on_config, 0);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "virtio setup", st);
	if (rxq.vq.size < 2 * RX_SLOTS || txq.vq.size < 2 * TX_SLOTS)
		virtio_pci_exit(&vio, "queues too small", RPC_E_UNAVAILABLE);
	has_status = vio.features & VIRTIO_NET_F_STATUS;
	rx_csum = vio.features & VIRTIO_NET_F_GUEST_CSUM;
	for (unsigned i = 0; i < 6; i++)
		ua.mac[i] = (uint8_t)reg_io_read(&vio.device, VNET_MAC0_OFF + i, 1);

	st = dma_buf_alloc(&plat, 4096, 0, &hdr_mem);
	if (st == RPC_OK)
		st = uplink_dma_streams(&plat, UP_SIZE, DOWN_SIZE, stream, &ua);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "no DMA memory", st);
	for (unsigned i = 0; i < RX_SLOTS + TX_SLOTS; i++) {
		struct slot *s = i < RX_SLOTS ? &rx[i] : &tx[i - RX_SLOTS];
		s->hdr = hdr_mem.virt + i * 16;
		s->hdr_dev = hdr_mem.dev + i * 16;
	}
	virtio_pci_ready(&vio);
	link_up = read_link();
	ua.link = link_up;
	ua.sigh = sig.cap;
	st = uplink_start(&up, &ua);
	if (st != RPC_OK)
		virtio_pci_exit(&vio, "Uplink session", st);
	log("%s: virtio-net, MAC %02x:%02x:%02x:%02x:%02x:%02x, features 0x%lx%s, %s, link %s",
	    devname, ua.mac[0], ua.mac[1], ua.mac[2], ua.mac[3], ua.mac[4], ua.mac[5],
	    (unsigned long)vio.features,
	    (vio.features & VIRTIO_F_ACCESS_PLATFORM) ? " (ACCESS_PLATFORM)" : "",
	    vio.msix ? "MSI-X" : "legacy interrupt", link_up ? "up" : "down");
	log("%s: receive checksum offload %s", devname,
	    rx_csum ? "on (GUEST_CSUM)" : "not offered by the device");
	work(0);
}
