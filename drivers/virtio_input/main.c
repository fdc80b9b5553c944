/*
 * virtio_input: QEMU's virtio-keyboard-pci, virtio-mouse-pci and
 * virtio-tablet-pci (virtio device type 18, OASIS virtio v1.1, 5.8)
 * through the driver kit's virtio transport, feeding one Event session
 * (event_session.h) labelled "input". One instance drives every
 * virtio-input device its Platform session offers when it starts (a
 * keyboard and a tablet are two PCI functions): each has its event queue
 * filled with buffers of one event; every used buffer is decoded
 * (virtio_input_decode.c) and given back, and the events are submitted at
 * each EV_SYN. The status queue (LEDs) is not used.
 *
 * Trusts its parent, core and the platform driver; the devices for
 * nothing: the used ring is checked by the virtqueue code, an event of
 * the wrong length or an unknown code is counted and dropped, absolute
 * values are clamped to the axis' range. Config: <config verbose="yes"/>
 * logs every device event as it comes.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/config.h>
#include <argil/log.h>
#include <argil/string.h>
#include <driver.h>
#include <event_session.h>
#include <virtio_pci.h>
#include "virtio_input_decode.h"

#define DEVICES_MAX 4
#define QUEUE_MAX 64
#define EVENT_SIZE 8             /* le16 type, le16 code, le32 value */
#define PLATFORM_RAM (64 * 1024)

/* the device configuration (5.8.4) */
REG(VI_CFG_SELECT, 0, 8);
REG(VI_CFG_SUBSEL, 1, 8);
REG(VI_CFG_SIZE, 2, 8);
#define VI_CFG_U 8               /* the union: string, bitmap or abs info */
enum {
	VI_CFG_ID_NAME = 0x01,
	VI_CFG_EV_BITS = 0x11,
	VI_CFG_ABS_INFO = 0x12,
};

static const struct drv_id input_ids[] = {
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + 18 },
};
static const struct virtio_pci_want input_want = {
	.kind = "virtio-input", .ids = input_ids, .nids = 1, .config_min = 1,
};

struct input_dev {
	struct drv_device dev;
	struct virtio_pci vio;
	struct virtio_queue eq;
	struct signal_handler sig;
	struct dma_buf bufs;     /* QUEUE_MAX events */
	struct vi_decoder dec;
	char name[64];           /* the device's ID_NAME */
	unsigned index;
	bool broken;
};

static struct component_env *env;
static struct platform_connection plat;
static struct input_dev devs[DEVICES_MAX];
static unsigned ndevs;
static struct event_connection events;
static bool verbose;

/* Read a configuration item into out (at most size bytes); its size. */
static unsigned cfg_item(struct input_dev *d, uint8_t select, uint8_t subsel, uint8_t *out,
			 unsigned size)
{
	unsigned n;

	REG_WRITE(&d->vio.device, VI_CFG_SELECT, select);
	REG_WRITE(&d->vio.device, VI_CFG_SUBSEL, subsel);
	n = REG_READ(&d->vio.device, VI_CFG_SIZE);
	if (n > size)
		n = size;
	if (VI_CFG_U + n > d->vio.device_len)
		return 0;
	for (unsigned i = 0; i < n; i++)
		out[i] = (uint8_t)reg_io_read(&d->vio.device, VI_CFG_U + i, 1);
	return n;
}

static void give_buffer(struct input_dev *d, unsigned slot)
{
	struct vq_buf b = { d->bufs.dev + slot * EVENT_SIZE, EVENT_SIZE, true };
	vq_error_t e = vq_add(&d->eq.vq, &b, 1, (void *)(uintptr_t)(slot + 1));

	if (e != VQ_OK) {
		log("error: %s: queue: %s", d->dev.name, vq_error_name(e));
		d->broken = true;
	}
}

/* An event the device wrote (a vq_reap_fn): its buffer given back, the
 * event decoded, the events submitted at EV_SYN. */
static bool event(void *arg, void *cookie, uint32_t len)
{
	struct input_dev *d = arg;
	struct input_event out[VI_OUT_MAX];
	uintptr_t slot = (uintptr_t)cookie;
	rpc_status_t st;

	if (slot < 1 || slot > QUEUE_MAX) {
		log("error: %s: device: a used element of no buffer", d->dev.name);
		d->broken = true;
		virtio_pci_fail(&d->vio);
		return false;
	}
	slot--;
	const uint8_t *p = (const uint8_t *)d->bufs.virt + slot * EVENT_SIZE;
	uint16_t type = (uint16_t)(p[0] | p[1] << 8), code = (uint16_t)(p[2] | p[3] << 8);
	uint32_t value = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
			 (uint32_t)p[7] << 24;
	give_buffer(d, slot);
	if (len != EVENT_SIZE) {
		d->dec.unknown++;
		return !d->broken;
	}
	if (verbose)
		log("%s: type %u code %u value %d", d->dev.name, type, code, (int)value);
	unsigned n = vi_feed(&d->dec, type, code, value, out);
	for (unsigned i = 0; i < n; i++)
		event_put(&events, &out[i]);
	if (type == VI_EV_SYN) {
		st = event_flush(&events);
		if (st != RPC_OK)
			log("error: events not taken: %s", rpc_status_name(st));
	}
	return !d->broken;
}

static void on_irq(void *arg)
{
	struct input_dev *d = arg;
	uint16_t avail = d->eq.vq.avail_idx;
	vq_error_t e = d->broken ? VQ_OK : vq_reap(&d->eq.vq, event, d);

	if (e != VQ_OK) {
		log("error: %s: device: %s", d->dev.name, vq_error_name(e));
		d->broken = true;
		virtio_pci_fail(&d->vio);
	}
	if (d->eq.vq.avail_idx != avail)       /* buffers given back */
		virtio_queue_notify(&d->eq);
	virtio_queue_irq_ack(&d->eq);
}

static rpc_status_t setup(struct input_dev *d, const char *name)
{
	uint8_t info[20];
	rpc_status_t st;

	st = virtio_pci_start(&d->vio, &d->dev, &plat, name, &input_want);
	if (st != RPC_OK)
		return st;
	unsigned n = cfg_item(d, VI_CFG_ID_NAME, 0, (uint8_t *)d->name, sizeof(d->name) - 1);
	d->name[n] = 0;
	for (unsigned i = 0; i < n && d->name[i]; i++)   /* up to a NUL, if the device sends one */
		if (d->name[i] < 0x20 || d->name[i] > 0x7e)
			d->name[i] = '?';
	vi_init(&d->dec);
	for (unsigned axis = VI_ABS_X; axis <= VI_ABS_Y; axis++) {
		if (cfg_item(d, VI_CFG_ABS_INFO, (uint8_t)axis, info, sizeof(info)) < 8)
			continue;
		int32_t min = (int32_t)(info[0] | info[1] << 8 | info[2] << 16 | (uint32_t)info[3] << 24);
		int32_t max = (int32_t)(info[4] | info[5] << 8 | info[6] << 16 | (uint32_t)info[7] << 24);
		if (!vi_set_axis(&d->dec, axis, min, max))
			log("error: %s: absolute axis %u has the empty range %d..%d", name, axis, min, max);
	}
	st = signal_handler_init(&env->ep, &d->sig, on_irq, d);
	if (st == RPC_OK)
		st = virtio_queue_setup(&d->vio, &d->eq, 0, QUEUE_MAX, d->sig.cap);
	if (st == RPC_OK)
		st = dma_buf_alloc(&plat, QUEUE_MAX * EVENT_SIZE, 0, &d->bufs);
	if (st != RPC_OK)
		return st;
	memset(d->bufs.virt, 0, QUEUE_MAX * EVENT_SIZE);
	for (unsigned i = 0; i < d->eq.vq.size && i < QUEUE_MAX; i++)
		give_buffer(d, i);
	virtio_pci_ready(&d->vio);
	virtio_queue_notify(&d->eq);
	log("%s: virtio-input \"%s\", %s, queue of %u%s", name, d->name,
	    d->vio.msix ? "MSI-X" : "legacy interrupt", d->eq.vq.size,
	    d->dec.axis[0].present && d->dec.axis[1].present ? ", absolute pointer" : "");
	return RPC_OK;
}

void component_construct(struct component_env *e)
{
	static char names[DEVICES_MAX][PLATFORM_NAME_MAX];
	struct config_rom cfg;
	char first[PLATFORM_NAME_MAX];
	unsigned n = 0;
	rpc_status_t st;

	env = e;
	if (config_rom_open(&cfg, "config", 0, 0, 0) == RPC_OK) {
		if (cfg.node && cfg_attr_bool(cfg.node, "verbose", false, &verbose) < 0)
			log("error: config: verbose must be yes or no");
		config_rom_close(&cfg, 0);
	}
	st = platform_connect(&plat, "", PLATFORM_RAM);
	if (st != RPC_OK) {
		log("error: no Platform session: %s", rpc_status_name(st));
		component_exit(1);
	}
	st = drv_device_find_wait(&plat, input_ids, 1, first, sizeof(first));
	if (st != RPC_OK) {
		log("error: no virtio-input device: %s", rpc_status_name(st));
		component_exit(1);
	}
	st = event_connect(&events, "input");
	if (st != RPC_OK) {
		log("error: no Event session: %s", rpc_status_name(st));
		component_exit(1);
	}
	st = drv_device_find_all(&plat, input_ids, 1, names, DEVICES_MAX, &n);
	if (st != RPC_OK)
		log("error: the devices report: %s", rpc_status_name(st));
	for (unsigned i = 0; i < n; i++) {
		struct input_dev *d = &devs[ndevs];
		d->index = ndevs;
		st = setup(d, names[i]);
		if (st != RPC_OK) {
			virtio_pci_error(&d->vio, names[i], st);
			continue;
		}
		ndevs++;
	}
	if (!ndevs) {
		log("error: no virtio-input device could be set up");
		component_exit(1);
	}
	log("%u virtio-input device%s", ndevs, ndevs == 1 ? "" : "s");
}
