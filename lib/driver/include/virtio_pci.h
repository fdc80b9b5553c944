/*
 * The virtio 1.0 transport over PCI (OASIS virtio v1.0, 4.1), modern
 * devices only: the vendor capabilities name where the common, notify,
 * ISR and device configuration structures are (read through the Platform
 * session's PLATFORM_CONFIG_READ), feature negotiation (VIRTIO_F_VERSION_1
 * required; VIRTIO_F_ACCESS_PLATFORM accepted whenever the device offers
 * it, as QEMU's iommu_platform=on devices do and require), split
 * virtqueues in DMA buffers (virtqueue.h), MSI-X vectors (vector 0 for
 * configuration changes, vector 1 + i for queue i) with the legacy line
 * and the ISR register as the fallback.
 *
 * Use: virtio_pci_open (a driver of one device: the Platform session,
 * the device found and acquired, then virtio_pci_start: virtio_pci_init
 * for reset, ACKNOWLEDGE and DRIVER, the device configuration's size
 * checked, virtio_pci_negotiate), virtio_queue_setup for each queue,
 * virtio_pci_on_config for configuration changes, virtio_pci_ready
 * (DRIVER_OK); then vq_add + virtio_queue_notify, and on the queue's
 * interrupt vq_reap (or vq_get_used) and virtio_queue_irq_ack; or
 * virtio_queue_call for one request at a time.
 */
#ifndef DRIVER_VIRTIO_PCI_H
#define DRIVER_VIRTIO_PCI_H

#include <argil/entrypoint.h>
#include <driver.h>
#include <virtqueue.h>

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_F_ACCESS_PLATFORM (1ull << 33)

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_MODERN_BASE 0x1040    /* device ID = 0x1040 + virtio device type */

/* The common configuration structure (4.1.4.3), one register a field. */
REG(VIRTIO_DEVICE_FEATURE_SELECT, 0x00, 32);
REG(VIRTIO_DEVICE_FEATURE, 0x04, 32);
REG(VIRTIO_DRIVER_FEATURE_SELECT, 0x08, 32);
REG(VIRTIO_DRIVER_FEATURE, 0x0c, 32);
REG(VIRTIO_MSIX_CONFIG, 0x10, 16);
REG(VIRTIO_NUM_QUEUES, 0x12, 16);
REG(VIRTIO_DEVICE_STATUS, 0x14, 8);
FIELD(VIRTIO_DEVICE_STATUS, ACKNOWLEDGE, 0, 1);
FIELD(VIRTIO_DEVICE_STATUS, DRIVER, 1, 1);
FIELD(VIRTIO_DEVICE_STATUS, DRIVER_OK, 2, 1);
FIELD(VIRTIO_DEVICE_STATUS, FEATURES_OK, 3, 1);
FIELD(VIRTIO_DEVICE_STATUS, NEEDS_RESET, 6, 1);
FIELD(VIRTIO_DEVICE_STATUS, FAILED, 7, 1);
REG(VIRTIO_CONFIG_GENERATION, 0x15, 8);
REG(VIRTIO_QUEUE_SELECT, 0x16, 16);
REG(VIRTIO_QUEUE_SIZE, 0x18, 16);
REG(VIRTIO_QUEUE_MSIX_VECTOR, 0x1a, 16);
REG(VIRTIO_QUEUE_ENABLE, 0x1c, 16);
REG(VIRTIO_QUEUE_NOTIFY_OFF, 0x1e, 16);
REG(VIRTIO_QUEUE_DESC, 0x20, 64);
REG(VIRTIO_QUEUE_DRIVER, 0x28, 64);
REG(VIRTIO_QUEUE_DEVICE, 0x30, 64);
REG(VIRTIO_ISR, 0x0, 8);
FIELD(VIRTIO_ISR, QUEUE, 0, 1);
FIELD(VIRTIO_ISR, CONFIG, 1, 1);
REG(VIRTIO_NOTIFY, 0x0, 16);
#define VIRTIO_NO_VECTOR 0xffff

/* The vendor capability (4.1.4): where a structure is. */
REG(VIRTIO_CAP_VNDR, 0, 8);
REG(VIRTIO_CAP_NEXT, 1, 8);
REG(VIRTIO_CAP_LEN, 2, 8);
REG(VIRTIO_CAP_CFG_TYPE, 3, 8);
REG(VIRTIO_CAP_BAR, 4, 8);
REG(VIRTIO_CAP_OFFSET, 8, 32);
REG(VIRTIO_CAP_LENGTH, 12, 32);
REG(VIRTIO_CAP_NOTIFY_MULT, 16, 32);
enum virtio_cfg_type {
	VIRTIO_CAP_COMMON = 1,
	VIRTIO_CAP_NOTIFY = 2,
	VIRTIO_CAP_ISR = 3,
	VIRTIO_CAP_DEVICE = 4,
	VIRTIO_CAP_PCI = 5,
};

#define VIRTIO_MAX_BARS 6

struct virtio_pci {
	struct drv_device *dev;
	struct drv_mmio bar[VIRTIO_MAX_BARS];
	struct reg_io common, isr, device, notify;
	word_t notify_len, device_len;
	uint32_t notify_mult;
	uint64_t offered, features;  /* offered by the device, negotiated */
	bool msix;                   /* vectors in use (else the legacy line + ISR) */
	struct drv_irq config_irq;
	struct signal_handler config_sig;    /* virtio_pci_on_config's */
	void (*config_fn)(void *);
	void *config_arg;
	const char *error;           /* what went wrong, for the log */
};

struct virtio_queue {
	struct virtio_pci *v;
	uint16_t index;
	struct virtq vq;
	struct dma_buf mem;
	struct reg_io notify;        /* this queue's notify register */
	struct drv_irq irq;
};

/* What a driver asks of its device. */
struct virtio_pci_want {
	const char *kind;            /* "virtio-rng": for the log */
	const struct drv_id *ids;    /* the devices it drives */
	unsigned nids;
	uint64_t wanted, required;   /* features (virtio_pci_negotiate) */
	word_t config_min;           /* bytes of device configuration it reads (0: none) */
};

/* For a driver of one device: the Platform session plat (platform_ram
 * of quota), the first device of w->ids (waiting until platform offers
 * one; its name into name), virtio_pci_start. Any failure is logged as
 * an error line and ends the component. */
void virtio_pci_open(struct virtio_pci *v, struct drv_device *dev, struct platform_connection *plat,
		     word_t platform_ram, const struct virtio_pci_want *w,
		     char name[PLATFORM_NAME_MAX]);
/* Acquire the device name, virtio_pci_init, check that the device
 * configuration has w->config_min bytes, virtio_pci_negotiate. On
 * failure the status (v->error says why the device does not do; the
 * device is then marked FAILED). */
rpc_status_t virtio_pci_start(struct virtio_pci *v, struct drv_device *dev,
			      struct platform_connection *plat, const char *name,
			      const struct virtio_pci_want *w);
/* Log "error: what: <status>[: v->error]"; the _exit one then ends the
 * component. */
void virtio_pci_error(const struct virtio_pci *v, const char *what, rpc_status_t st);
void virtio_pci_exit(const struct virtio_pci *v, const char *what, rpc_status_t st)
	__attribute__((noreturn));
/* A queue the device broke (e from vq_reap or vq_get_used): logged, the
 * device marked FAILED, the component ended. */
void virtio_pci_broken(struct virtio_pci *v, vq_error_t e) __attribute__((noreturn));

/* Find the structures, map their BARs, reset the device, set ACKNOWLEDGE
 * and DRIVER. RPC_E_UNAVAILABLE (v->error says which) when the device is
 * no modern virtio device. */
rpc_status_t virtio_pci_init(struct virtio_pci *v, struct drv_device *dev);
/* Accept wanted & offered plus VERSION_1 (required) and ACCESS_PLATFORM
 * (when offered); FEATURES_OK and its check. RPC_E_UNAVAILABLE when the
 * device lacks VERSION_1 or something of required, or refuses. */
rpc_status_t virtio_pci_negotiate(struct virtio_pci *v, uint64_t wanted, uint64_t required);
/* Set up queue index with at most max entries: a DMA buffer for its
 * rings, its MSI-X vector (1 + index) or the shared legacy line, signalled
 * to sigh (0: a notification of the queue's own, for drv_irq_wait). */
rpc_status_t virtio_queue_setup(struct virtio_pci *v, struct virtio_queue *q, uint16_t index,
				uint16_t max, cptr_t sigh);
/* Configuration-change interrupts on MSI-X vector 0, signalled to sigh
 * (0: v->config_irq's own notification); RPC_E_UNAVAILABLE without MSI-X
 * (then the ISR's CONFIG bit tells on the legacy line). */
rpc_status_t virtio_pci_config_irq(struct virtio_pci *v, cptr_t sigh);
/* Configuration changes where the queues have MSI-X: fn(arg) on ep for
 * each (vector 0), the vector acknowledged after it. RPC_OK and nothing
 * set up without MSI-X (the legacy line then tells of changes too). */
rpc_status_t virtio_pci_on_config(struct virtio_pci *v, struct entrypoint *ep, void (*fn)(void *),
				  void *arg);
/* Whether the device asks for a reset (NEEDS_RESET; logged as an error). */
bool virtio_pci_needs_reset(struct virtio_pci *v);
/* DRIVER_OK: the device may now use the queues. */
void virtio_pci_ready(struct virtio_pci *v);
/* Tell the device about new buffers in q (if it wants to hear). */
void virtio_queue_notify(struct virtio_queue *q);
/* One request at a time on a queue set up with sigh 0: the chain of n
 * buffers made available, the device told, its completion waited for
 * (the queue's interrupt acknowledged); *written the bytes the device
 * wrote. VQ_E_DEVICE for a completion of anything else. */
vq_error_t virtio_queue_call(struct virtio_queue *q, const struct vq_buf *bufs, unsigned n,
			     uint32_t *written);
/* After handling the queue's interrupt: read the ISR on the legacy line
 * (that deasserts it) and acknowledge at the platform. */
rpc_status_t virtio_queue_irq_ack(struct virtio_queue *q);
/* Reset the device (it stops using every queue) and free the queue. */
void virtio_queue_free(struct virtio_queue *q);
void virtio_pci_reset(struct virtio_pci *v);
/* Mark the device FAILED (a driver that gives up). */
void virtio_pci_fail(struct virtio_pci *v);

#endif
