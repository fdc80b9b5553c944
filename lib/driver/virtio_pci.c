/*
 * The virtio 1.0 PCI transport (virtio_pci.h). Trusts the platform
 * driver; the device's capability list is walked with a bound (a looping
 * list ends the walk), each structure's range is checked against its BAR,
 * and what the device reads back (status, vectors) is checked before it
 * is believed.
 */
#include <argil/component.h>
#include <argil/log.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include <virtio_pci.h>

REG(PCI_STATUS, 0x06, 16);
FIELD(PCI_STATUS, CAP_LIST, 4, 1);
REG(PCI_CAP_PTR, 0x34, 8);
#define PCI_CAP_VENDOR 0x09
#define CAP_WALK_MAX 48
#define RESET_POLLS 100000

static rpc_status_t fail(struct virtio_pci *v, const char *why)
{
	v->error = why;
	return RPC_E_UNAVAILABLE;
}

static uint32_t cfg(struct virtio_pci *v, unsigned off, unsigned width)
{
	return drv_config_read(v->dev, off, width);
}

/* The structure a capability at cap names, mapped: its BAR attached
 * once, the range checked against it. */
static rpc_status_t map_struct(struct virtio_pci *v, unsigned cap, struct reg_io *io, word_t *len)
{
	unsigned bar = cfg(v, cap + VIRTIO_CAP_BAR_OFF, 1);
	uint32_t off = cfg(v, cap + VIRTIO_CAP_OFFSET_OFF, 4);
	uint32_t length = cfg(v, cap + VIRTIO_CAP_LENGTH_OFF, 4);
	rpc_status_t st;

	if (bar >= VIRTIO_MAX_BARS)
		return fail(v, "a capability names a BAR beyond 5");
	if (!v->bar[bar].attached) {
		st = drv_mmio_map(v->dev, bar, 0, &v->bar[bar]);
		if (st != RPC_OK)
			return fail(v, "a capability's BAR cannot be mapped");
	}
	if (off > v->bar[bar].size || length > v->bar[bar].size - off)
		return fail(v, "a capability's range leaves its BAR");
	*io = reg_io_mmio(v->bar[bar].io.mmio + off);
	if (len)
		*len = length;
	return RPC_OK;
}

void virtio_pci_reset(struct virtio_pci *v)
{
	if (!v->common.mmio)
		return;
	REG_WRITE(&v->common, VIRTIO_DEVICE_STATUS, 0);
	/* the device is reset when it reads 0 again (4.1.4.3.2) */
	for (int i = 0; i < RESET_POLLS && REG_READ(&v->common, VIRTIO_DEVICE_STATUS); i++)
		sys_yield();
}

static void status_set(struct virtio_pci *v, uint8_t bits)
{
	REG_WRITE(&v->common, VIRTIO_DEVICE_STATUS, REG_READ(&v->common, VIRTIO_DEVICE_STATUS) | bits);
}

rpc_status_t virtio_pci_init(struct virtio_pci *v, struct drv_device *dev)
{
	unsigned cap, n = 0;
	bool have_common = false, have_notify = false, have_isr = false;
	rpc_status_t st;

	memset(v, 0, sizeof(*v));
	v->dev = dev;
	if (cfg(v, 0, 2) != VIRTIO_PCI_VENDOR)
		return fail(v, "not a virtio vendor ID");
	if (!FIELD_GET(PCI_STATUS, CAP_LIST, cfg(v, PCI_STATUS_OFF, 2)))
		return fail(v, "no capability list (a legacy-only device)");
	for (cap = cfg(v, PCI_CAP_PTR_OFF, 1) & 0xfc; cap && n < CAP_WALK_MAX;
	     cap = cfg(v, cap + VIRTIO_CAP_NEXT_OFF, 1) & 0xfc, n++) {
		if (cap < 0x40)
			return fail(v, "capability pointer into the header");
		if (cfg(v, cap + VIRTIO_CAP_VNDR_OFF, 1) != PCI_CAP_VENDOR)
			continue;
		unsigned type = cfg(v, cap + VIRTIO_CAP_CFG_TYPE_OFF, 1);
		unsigned clen = cfg(v, cap + VIRTIO_CAP_LEN_OFF, 1);
		/* the first capability of each type is the one to use (4.1.4) */
		if (type == VIRTIO_CAP_COMMON && !have_common) {
			st = map_struct(v, cap, &v->common, 0);
			have_common = st == RPC_OK;
		} else if (type == VIRTIO_CAP_NOTIFY && !have_notify) {
			if (clen < 20)
				return fail(v, "notify capability too short");
			st = map_struct(v, cap, &v->notify, &v->notify_len);
			v->notify_mult = cfg(v, cap + VIRTIO_CAP_NOTIFY_MULT_OFF, 4);
			have_notify = st == RPC_OK;
		} else if (type == VIRTIO_CAP_ISR && !have_isr) {
			st = map_struct(v, cap, &v->isr, 0);
			have_isr = st == RPC_OK;
		} else if (type == VIRTIO_CAP_DEVICE && !v->device.mmio) {
			st = map_struct(v, cap, &v->device, &v->device_len);
		} else {
			st = RPC_OK;
		}
		if (st != RPC_OK)
			return st;
	}
	if (n == CAP_WALK_MAX)
		return fail(v, "capability list loops");
	if (!have_common || !have_notify || !have_isr)
		return fail(v, "common, notify or ISR structure missing");
	virtio_pci_reset(v);
	if (REG_READ(&v->common, VIRTIO_DEVICE_STATUS))
		return fail(v, "device does not reset");
	status_set(v, FIELD_SET(VIRTIO_DEVICE_STATUS, ACKNOWLEDGE, 1));
	status_set(v, FIELD_SET(VIRTIO_DEVICE_STATUS, DRIVER, 1));
	return RPC_OK;
}

rpc_status_t virtio_pci_negotiate(struct virtio_pci *v, uint64_t wanted, uint64_t required)
{
	uint64_t accept;

	REG_WRITE(&v->common, VIRTIO_DEVICE_FEATURE_SELECT, 0);
	v->offered = REG_READ(&v->common, VIRTIO_DEVICE_FEATURE);
	REG_WRITE(&v->common, VIRTIO_DEVICE_FEATURE_SELECT, 1);
	v->offered |= (uint64_t)REG_READ(&v->common, VIRTIO_DEVICE_FEATURE) << 32;
	required |= VIRTIO_F_VERSION_1;
	if ((v->offered & required) != required) {
		virtio_pci_fail(v);
		return fail(v, (v->offered & VIRTIO_F_VERSION_1) ? "a required feature is not offered"
								  : "no VIRTIO_F_VERSION_1");
	}
	/* ACCESS_PLATFORM: the device's DMA goes through the platform (the
	 * IOMMU); a device that offers it must be accepted with it */
	accept = (v->offered & (wanted | required)) | (v->offered & VIRTIO_F_ACCESS_PLATFORM);
	REG_WRITE(&v->common, VIRTIO_DRIVER_FEATURE_SELECT, 0);
	REG_WRITE(&v->common, VIRTIO_DRIVER_FEATURE, (uint32_t)accept);
	REG_WRITE(&v->common, VIRTIO_DRIVER_FEATURE_SELECT, 1);
	REG_WRITE(&v->common, VIRTIO_DRIVER_FEATURE, (uint32_t)(accept >> 32));
	status_set(v, FIELD_SET(VIRTIO_DEVICE_STATUS, FEATURES_OK, 1));
	if (!FIELD_GET(VIRTIO_DEVICE_STATUS, FEATURES_OK, REG_READ(&v->common, VIRTIO_DEVICE_STATUS))) {
		virtio_pci_fail(v);
		return fail(v, "the device refused the features");
	}
	v->features = accept;
	return RPC_OK;
}

rpc_status_t virtio_queue_setup(struct virtio_pci *v, struct virtio_queue *q, uint16_t index,
				uint16_t max, cptr_t sigh)
{
	uint16_t size, noff;
	rpc_status_t st;

	memset(q, 0, sizeof(*q));
	q->v = v;
	q->index = index;
	if (!max)
		return RPC_E_INVALID_ARGUMENT;
	if (index >= REG_READ(&v->common, VIRTIO_NUM_QUEUES))
		return fail(v, "no such queue");
	REG_WRITE(&v->common, VIRTIO_QUEUE_SELECT, index);
	size = REG_READ(&v->common, VIRTIO_QUEUE_SIZE);
	if (!size)
		return fail(v, "queue not available");
	/* the largest power of two within the device's and our limits */
	if (max > VQ_MAX_SIZE)
		max = VQ_MAX_SIZE;
	while (size > max || (size & (size - 1)))
		size = (uint16_t)(1u << (31 - __builtin_clz(size > max ? max : size)));
	st = dma_buf_alloc(v->dev->plat, vq_layout_size(size), 0, &q->mem);
	if (st != RPC_OK)
		return st;
	if (vq_init(&q->vq, size, q->mem.virt, q->mem.dev) != VQ_OK) {
		dma_buf_free(v->dev->plat, &q->mem);
		return fail(v, "queue memory misaligned");
	}
	/* interrupts: vector 0 is the configuration's, 1 + i queue i's. The
	 * first queue finds out whether the platform gives MSI-X. */
	st = drv_irq_open(&q->irq, v->dev, index + 1u, sigh);
	if (st == RPC_OK && q->irq.kind != PLATFORM_IRQ_MSIX) {
		drv_irq_close(&q->irq);
		st = RPC_E_UNAVAILABLE;
	}
	if (st == RPC_OK) {
		v->msix = true;
		REG_WRITE(&v->common, VIRTIO_QUEUE_MSIX_VECTOR, index + 1u);
		if (REG_READ(&v->common, VIRTIO_QUEUE_MSIX_VECTOR) != index + 1u) {
			virtio_queue_free(q);
			return fail(v, "the device refused the queue's MSI-X vector");
		}
	} else {
		/* the legacy line (index 0) with the ISR */
		st = drv_irq_open(&q->irq, v->dev, 0, sigh);
		if (st != RPC_OK) {
			dma_buf_free(v->dev->plat, &q->mem);
			return st;
		}
		REG_WRITE(&v->common, VIRTIO_QUEUE_MSIX_VECTOR, VIRTIO_NO_VECTOR);
	}
	REG_WRITE(&v->common, VIRTIO_QUEUE_SIZE, size);
	REG_WRITE(&v->common, VIRTIO_QUEUE_DESC, q->vq.desc_addr);
	REG_WRITE(&v->common, VIRTIO_QUEUE_DRIVER, q->vq.avail_addr);
	REG_WRITE(&v->common, VIRTIO_QUEUE_DEVICE, q->vq.used_addr);
	noff = REG_READ(&v->common, VIRTIO_QUEUE_NOTIFY_OFF);
	if ((uint64_t)noff * v->notify_mult + 2 > v->notify_len) {
		virtio_queue_free(q);
		return fail(v, "queue notify offset beyond the notify structure");
	}
	q->notify = reg_io_mmio(v->notify.mmio + (uint64_t)noff * v->notify_mult);
	REG_WRITE(&v->common, VIRTIO_QUEUE_ENABLE, 1);
	return RPC_OK;
}

rpc_status_t virtio_pci_config_irq(struct virtio_pci *v, cptr_t sigh)
{
	rpc_status_t st = drv_irq_open(&v->config_irq, v->dev, 0, sigh);

	if (st == RPC_OK && v->config_irq.kind != PLATFORM_IRQ_MSIX) {
		drv_irq_close(&v->config_irq);
		return fail(v, "no MSI-X for configuration changes");
	}
	if (st != RPC_OK)
		return st;
	REG_WRITE(&v->common, VIRTIO_MSIX_CONFIG, 0);
	if (REG_READ(&v->common, VIRTIO_MSIX_CONFIG) != 0)
		return fail(v, "the device refused the configuration vector");
	return RPC_OK;
}

void virtio_pci_ready(struct virtio_pci *v)
{
	status_set(v, FIELD_SET(VIRTIO_DEVICE_STATUS, DRIVER_OK, 1));
}

void virtio_pci_fail(struct virtio_pci *v)
{
	if (v->common.mmio)
		status_set(v, FIELD_SET(VIRTIO_DEVICE_STATUS, FAILED, 1));
}

void virtio_queue_notify(struct virtio_queue *q)
{
	if (vq_notify_wanted(&q->vq))
		REG_WRITE(&q->notify, VIRTIO_NOTIFY, q->index);
}

rpc_status_t virtio_queue_irq_ack(struct virtio_queue *q)
{
	if (!q->v->msix)
		(void)REG_READ(&q->v->isr, VIRTIO_ISR);
	return drv_irq_ack(&q->irq);
}

void virtio_queue_free(struct virtio_queue *q)
{
	if (!q->v)
		return;
	virtio_pci_reset(q->v);
	drv_irq_close(&q->irq);
	dma_buf_free(q->v->dev->plat, &q->mem);
	memset(q, 0, sizeof(*q));
}

rpc_status_t virtio_pci_start(struct virtio_pci *v, struct drv_device *dev,
			      struct platform_connection *plat, const char *name,
			      const struct virtio_pci_want *w)
{
	rpc_status_t st;

	memset(v, 0, sizeof(*v));
	st = drv_device_acquire(dev, plat, name);
	if (st != RPC_OK) {
		v->error = "cannot acquire the device";
		return st;
	}
	st = virtio_pci_init(v, dev);
	if (st == RPC_OK && v->device_len < w->config_min) {
		virtio_pci_fail(v);
		st = fail(v, v->device_len ? "device configuration too small"
					   : "no device configuration");
	}
	if (st == RPC_OK)
		st = virtio_pci_negotiate(v, w->wanted, w->required);
	return st;
}

void virtio_pci_open(struct virtio_pci *v, struct drv_device *dev, struct platform_connection *plat,
		     word_t platform_ram, const struct virtio_pci_want *w,
		     char name[PLATFORM_NAME_MAX])
{
	rpc_status_t st;

	memset(v, 0, sizeof(*v));
	st = platform_connect(plat, "", platform_ram);
	if (st != RPC_OK)
		virtio_pci_exit(v, "no Platform session", st);
	st = drv_device_find_wait(plat, w->ids, w->nids, name, PLATFORM_NAME_MAX);
	if (st != RPC_OK) {
		log("error: no %s device: %s", w->kind, rpc_status_name(st));
		component_exit(1);
	}
	st = virtio_pci_start(v, dev, plat, name, w);
	if (st != RPC_OK)
		virtio_pci_exit(v, name, st);
}

void virtio_pci_error(const struct virtio_pci *v, const char *what, rpc_status_t st)
{
	log("error: %s: %s%s%s", what, rpc_status_name(st), v->error ? ": " : "",
	    v->error ? v->error : "");
}

void virtio_pci_exit(const struct virtio_pci *v, const char *what, rpc_status_t st)
{
	virtio_pci_error(v, what, st);
	component_exit(1);
}

void virtio_pci_broken(struct virtio_pci *v, vq_error_t e)
{
	log("error: device: %s", vq_error_name(e));
	virtio_pci_fail(v);
	component_exit(1);
}

static void config_changed(void *arg)
{
	struct virtio_pci *v = arg;

	v->config_fn(v->config_arg);
	drv_irq_ack(&v->config_irq);
}

rpc_status_t virtio_pci_on_config(struct virtio_pci *v, struct entrypoint *ep, void (*fn)(void *),
				  void *arg)
{
	rpc_status_t st;

	if (!v->msix)
		return RPC_OK;
	v->config_fn = fn;
	v->config_arg = arg;
	st = signal_handler_init(ep, &v->config_sig, config_changed, v);
	if (st == RPC_OK)
		st = virtio_pci_config_irq(v, v->config_sig.cap);
	return st;
}

bool virtio_pci_needs_reset(struct virtio_pci *v)
{
	if (!FIELD_GET(VIRTIO_DEVICE_STATUS, NEEDS_RESET, REG_READ(&v->common, VIRTIO_DEVICE_STATUS)))
		return false;
	log("error: the device needs a reset");
	return true;
}

vq_error_t virtio_queue_call(struct virtio_queue *q, const struct vq_buf *bufs, unsigned n,
			     uint32_t *written)
{
	void *cookie = 0;
	vq_error_t e = vq_add(&q->vq, bufs, n, q);

	if (e != VQ_OK)
		return e;
	virtio_queue_notify(q);
	while ((e = vq_get_used(&q->vq, &cookie, written)) == VQ_E_EMPTY) {
		drv_irq_wait(&q->irq);
		virtio_queue_irq_ack(q);
	}
	return e == VQ_OK && cookie != q ? VQ_E_DEVICE : e;
}
