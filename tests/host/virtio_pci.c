// sources: lib/driver/virtio_pci.c lib/driver/virtqueue.c lib/driver/reg_io.c base/src/rpc_msg.c
// cflags: -Ilib/driver/include -Idrivers/platform/session/include -Ibase/arch/x86_64/include -fno-builtin-log
/*
 * Host unit tests of the driver kit's virtio PCI transport
 * (lib/driver/virtio_pci.c) against a model of a modern virtio device:
 * its configuration space with the vendor capabilities, BAR 4 holding
 * the common, ISR, device and notify structures, and a model that answers
 * writes to the common configuration (feature select, status, queue
 * select, MSI-X vectors) through reg_io's host_mmio_written. The Platform
 * session's calls are this file's (a device acquired, BARs mapped,
 * interrupts and DMA buffers in host memory).
 *
 * A good device is brought up to DRIVER_OK; a device that refuses
 * FEATURES_OK, lacks VERSION_1, offers a queue of size 0, refuses the
 * MSI-X vector, names a BAR beyond 5 or a range beyond its BAR, loops its
 * capability list, puts a queue's notify offset past the notify
 * structure or has too small a device configuration each gives its
 * error (and FAILED where the driver gives up) without a crash.
 *
 * Area: DRV (0009..0012).
 */
#include <harness.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <virtio_pci.h>

#define BAR 4
#define BAR_SIZE 0x4000
#define COMMON 0x0000
#define ISR 0x1000
#define DEVCFG 0x2000
#define NOTIFY 0x3000
#define NOTIFY_MULT 4
#define NOTIFY_LEN 0x100

/* ---- the model device ---- */

static struct model {
	uint8_t cfg[256];            /* PCI configuration space */
	uint8_t *bar;                /* BAR 4 */
	uint64_t features;           /* offered */
	uint16_t queues, qsize, notify_off;
	bool refuse_features, refuse_vector, msix, acquire_fails;
	uint64_t driver_features;    /* what the driver wrote */
	unsigned irqs_open;
	char log[8][160];            /* the last lines logged */
	unsigned nlog;
} m;

static jmp_buf exited;
static int exit_value;

static void cap(unsigned at, unsigned next, unsigned type, unsigned len, unsigned bar, uint32_t off,
		uint32_t length)
{
	m.cfg[at] = 0x09;
	m.cfg[at + 1] = (uint8_t)next;
	m.cfg[at + 2] = (uint8_t)len;
	m.cfg[at + 3] = (uint8_t)type;
	m.cfg[at + 4] = (uint8_t)bar;
	memcpy(&m.cfg[at + 8], &off, 4);
	memcpy(&m.cfg[at + 12], &length, 4);
}

/* A good device: VERSION_1 and feature bit 5 offered, two queues of 256,
 * MSI-X. Tests change what they need afterwards. */
static void model_reset(void)
{
	uint32_t mult = NOTIFY_MULT;

	memset(&m, 0, sizeof(m));
	m.bar = test_alloc(4096, BAR_SIZE);
	memset(m.bar, 0, BAR_SIZE);
	m.cfg[0] = 0xf4;
	m.cfg[1] = 0x1a;             /* vendor 0x1af4 */
	m.cfg[0x06] = 0x10;          /* status: capability list */
	m.cfg[0x34] = 0x40;
	cap(0x40, 0x50, VIRTIO_CAP_COMMON, 16, BAR, COMMON, 0x38);
	cap(0x50, 0x64, VIRTIO_CAP_NOTIFY, 20, BAR, NOTIFY, NOTIFY_LEN);
	memcpy(&m.cfg[0x50 + 16], &mult, 4);
	cap(0x64, 0x74, VIRTIO_CAP_ISR, 16, BAR, ISR, 4);
	cap(0x74, 0x00, VIRTIO_CAP_DEVICE, 16, BAR, DEVCFG, 0x40);
	m.features = VIRTIO_F_VERSION_1 | (1ull << 5);
	m.queues = 2;
	m.qsize = 256;
	m.notify_off = 3;
	m.msix = true;
}

#define AT(reg) (m.bar + COMMON + reg##_OFF)
#define SET(reg, v) (*(reg##_t *)AT(reg) = (reg##_t)(v))
#define GET(reg) (*(reg##_t *)AT(reg))

/* the device's side of a write to its common configuration */
void host_mmio_written(volatile void *p, unsigned size)
{
	(void)size;
	if (p == AT(VIRTIO_DEVICE_FEATURE_SELECT)) {
		SET(VIRTIO_DEVICE_FEATURE, GET(VIRTIO_DEVICE_FEATURE_SELECT) == 0 ? m.features
			   : GET(VIRTIO_DEVICE_FEATURE_SELECT) == 1 ? m.features >> 32 : 0);
	} else if (p == AT(VIRTIO_DRIVER_FEATURE)) {
		unsigned half = GET(VIRTIO_DRIVER_FEATURE_SELECT) & 1;
		m.driver_features &= half ? 0xffffffffull : ~0xffffffffull;
		m.driver_features |= (uint64_t)GET(VIRTIO_DRIVER_FEATURE) << (32 * half);
	} else if (p == AT(VIRTIO_DEVICE_STATUS)) {
		uint8_t s = GET(VIRTIO_DEVICE_STATUS);
		if (m.refuse_features)
			SET(VIRTIO_DEVICE_STATUS, s & ~FIELD_SET(VIRTIO_DEVICE_STATUS, FEATURES_OK, 1));
	} else if (p == AT(VIRTIO_QUEUE_SELECT)) {
		bool there = GET(VIRTIO_QUEUE_SELECT) < m.queues;
		SET(VIRTIO_QUEUE_SIZE, there ? m.qsize : 0);
		SET(VIRTIO_QUEUE_NOTIFY_OFF, m.notify_off);
		SET(VIRTIO_QUEUE_MSIX_VECTOR, VIRTIO_NO_VECTOR);
	} else if (p == AT(VIRTIO_QUEUE_MSIX_VECTOR) && m.refuse_vector) {
		SET(VIRTIO_QUEUE_MSIX_VECTOR, VIRTIO_NO_VECTOR);
	}
}

static void model_start(void)
{
	SET(VIRTIO_NUM_QUEUES, m.queues);
}

/* ---- the Platform session and the runtime, as the transport sees them ---- */

uint32_t drv_config_read(struct drv_device *d, unsigned offset, unsigned width)
{
	uint32_t v = 0;

	(void)d;
	if (offset + width <= sizeof(m.cfg))
		memcpy(&v, &m.cfg[offset], width);
	return v;
}

rpc_status_t drv_mmio_map(struct drv_device *d, unsigned bar, unsigned flags, struct drv_mmio *mm)
{
	(void)d;
	(void)flags;
	memset(mm, 0, sizeof(*mm));
	if (bar != BAR)
		return RPC_E_INVALID_ARGUMENT;
	mm->io = reg_io_mmio(m.bar);
	mm->attached = (word_t)(uintptr_t)m.bar;
	mm->size = BAR_SIZE;
	return RPC_OK;
}

rpc_status_t drv_irq_open(struct drv_irq *irq, struct drv_device *d, unsigned index, cptr_t sigh)
{
	(void)sigh;
	memset(irq, 0, sizeof(*irq));
	irq->dev = d;
	irq->index = index;
	irq->kind = m.msix ? PLATFORM_IRQ_MSIX : PLATFORM_IRQ_LEGACY;
	m.irqs_open++;
	return RPC_OK;
}

void drv_irq_close(struct drv_irq *irq)
{
	if (irq->dev)
		m.irqs_open--;
	memset(irq, 0, sizeof(*irq));
}

rpc_status_t drv_irq_ack(struct drv_irq *irq)
{
	(void)irq;
	return RPC_OK;
}

/* The device completes what was made available: every buffer written in
 * full (a model for virtio_queue_call's wait). */
static struct virtio_queue *waiting;

void drv_irq_wait(struct drv_irq *irq)
{
	struct virtq *q = &waiting->vq;
	uint16_t head = q->avail->ring[(q->avail->idx - 1) & (q->size - 1)];

	(void)irq;
	q->used->ring[q->used->idx & (q->size - 1)].id = head;
	q->used->ring[q->used->idx & (q->size - 1)].len = q->desc[head].len;
	q->used->idx++;
}

rpc_status_t dma_buf_alloc(struct platform_connection *p, size_t size, unsigned flags,
			   struct dma_buf *b)
{
	(void)p;
	(void)flags;
	b->virt = test_alloc(4096, size);
	memset(b->virt, 0, size);
	b->dev = (uint64_t)(uintptr_t)b->virt;
	b->size = size;
	return RPC_OK;
}

void dma_buf_free(struct platform_connection *p, struct dma_buf *b)
{
	(void)p;
	memset(b, 0, sizeof(*b));
}

rpc_status_t drv_device_acquire(struct drv_device *d, struct platform_connection *p,
				const char *name)
{
	memset(d, 0, sizeof(*d));
	d->plat = p;
	snprintf(d->name, sizeof(d->name), "%s", name);
	return m.acquire_fails ? RPC_E_DENIED : RPC_OK;
}

rpc_status_t platform_connect(struct platform_connection *p, const char *label, word_t ram)
{
	(void)label;
	(void)ram;
	memset(p, 0, sizeof(*p));
	return RPC_OK;
}

rpc_status_t drv_device_find_wait(struct platform_connection *p, const struct drv_id *ids,
				  unsigned n, char *name, size_t size)
{
	(void)p;
	(void)ids;
	(void)n;
	snprintf(name, size, "00:04.0");
	return RPC_OK;
}

rpc_status_t signal_handler_init(struct entrypoint *e, struct signal_handler *h, signal_fn_t fn,
				 void *arg)
{
	(void)e;
	h->fn = fn;
	h->arg = arg;
	h->bit = 0;
	h->cap = 1;
	return RPC_OK;
}

void log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m.log[m.nlog % 8], sizeof(m.log[0]), fmt, ap);
	va_end(ap);
	m.nlog++;
}

void component_exit(int value)
{
	exit_value = value;
	longjmp(exited, 1);
}

static const char *last_log(void)
{
	return m.nlog ? m.log[(m.nlog - 1) % 8] : "";
}

static bool status_has(unsigned bit)
{
	return GET(VIRTIO_DEVICE_STATUS) & bit;
}

#define FAILED_BIT FIELD_SET(VIRTIO_DEVICE_STATUS, FAILED, 1)

/* ---- tests ---- */

static struct drv_device dev;
static struct platform_connection plat;
static const struct drv_id ids[] = { { VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + 4 } };

TEST(DRV_0009, "a good device: structures found, features, queues with MSI-X, DRIVER_OK, notify")
{
	static struct virtio_pci v;
	static struct virtio_queue q0, q1;
	const struct virtio_pci_want w = { .kind = "virtio-test", .ids = ids, .nids = 1,
					   .wanted = (1ull << 5) | (1ull << 7), .config_min = 0x40 };
	uint8_t *buf = test_alloc(64, 64);
	struct vq_buf b = { (uint64_t)(uintptr_t)buf, 64, true };
	uint32_t written = 0;

	model_reset();
	model_start();
	CHECK_OK(virtio_pci_start(&v, &dev, &plat, "00:04.0", &w));
	CHECK(v.error == NULL);
	/* bit 7 is not offered: not taken */
	CHECK_EQ(v.features, VIRTIO_F_VERSION_1 | (1ull << 5));
	CHECK_EQ(m.driver_features, VIRTIO_F_VERSION_1 | (1ull << 5));
	CHECK(status_has(FIELD_SET(VIRTIO_DEVICE_STATUS, ACKNOWLEDGE, 1) |
			 FIELD_SET(VIRTIO_DEVICE_STATUS, DRIVER, 1) |
			 FIELD_SET(VIRTIO_DEVICE_STATUS, FEATURES_OK, 1)));
	CHECK_EQ(v.device_len, 0x40);
	CHECK_OK(virtio_queue_setup(&v, &q0, 0, 16, 0));
	CHECK(v.msix);
	CHECK_EQ(q0.vq.size, 16);                         /* the driver's limit */
	CHECK_EQ(GET(VIRTIO_QUEUE_SIZE), 16);
	CHECK_EQ(GET(VIRTIO_QUEUE_DESC), q0.vq.desc_addr);
	CHECK_EQ(GET(VIRTIO_QUEUE_DRIVER), q0.vq.avail_addr);
	CHECK_EQ(GET(VIRTIO_QUEUE_DEVICE), q0.vq.used_addr);
	CHECK_EQ(GET(VIRTIO_QUEUE_MSIX_VECTOR), 1);
	CHECK_EQ(GET(VIRTIO_QUEUE_ENABLE), 1);
	m.qsize = 200;                                    /* not a power of two: 128 */
	CHECK_OK(virtio_queue_setup(&v, &q1, 1, 256, 0));
	CHECK_EQ(q1.vq.size, 128);
	CHECK_EQ(GET(VIRTIO_QUEUE_MSIX_VECTOR), 2);
	CHECK(q1.notify.mmio == m.bar + NOTIFY + 3 * NOTIFY_MULT);
	virtio_pci_ready(&v);
	CHECK(status_has(FIELD_SET(VIRTIO_DEVICE_STATUS, DRIVER_OK, 1)));
	CHECK(!status_has(FAILED_BIT));
	/* one request at a time: the model completes it on the wait */
	waiting = &q1;
	CHECK_EQ(virtio_queue_call(&q1, &b, 1, &written), VQ_OK);
	CHECK_EQ(written, 64);
	CHECK_EQ(*(uint16_t *)(m.bar + NOTIFY + 3 * NOTIFY_MULT), 1);   /* queue 1 told */
	CHECK_EQ(m.irqs_open, 2);
	virtio_queue_free(&q0);
	CHECK_EQ(m.irqs_open, 1);
	CHECK_EQ(GET(VIRTIO_DEVICE_STATUS), 0);           /* reset */
}

/* Bring a model device up to the failing step; the error v gives. */
static rpc_status_t bring_up(struct virtio_pci *v, struct virtio_queue *q, word_t config_min)
{
	const struct virtio_pci_want w = { .kind = "virtio-test", .ids = ids, .nids = 1,
					   .config_min = config_min };
	rpc_status_t st;

	model_start();
	st = virtio_pci_start(v, &dev, &plat, "00:04.0", &w);
	if (st == RPC_OK)
		st = virtio_queue_setup(v, q, 0, 64, 0);
	return st;
}

struct bad_row {
	TEST_ROW;
	void (*spoil)(void);
	const char *error;           /* v.error */
	bool failed;                 /* FAILED set */
};

static void refuse_features(void) { m.refuse_features = true; }
static void no_version_1(void) { m.features = 1ull << 5; }
static void queue_size_0(void) { m.qsize = 0; }
static void no_queues(void) { m.queues = 0; }
static void refuse_vector(void) { m.refuse_vector = true; }
static void bar_6(void) { m.cfg[0x64 + 4] = 6; }
static void range_out(void) { uint32_t o = BAR_SIZE - 2; memcpy(&m.cfg[0x74 + 8], &o, 4); }
static void length_out(void) { uint32_t l = BAR_SIZE; memcpy(&m.cfg[0x50 + 12], &l, 4); }
static void loops(void) { m.cfg[0x74 + 1] = 0x40; }
static void no_isr(void) { m.cfg[0x64 + 3] = 9; }
static void short_notify(void) { m.cfg[0x50 + 2] = 16; }
static void notify_out(void) { m.notify_off = NOTIFY_LEN / NOTIFY_MULT; }
static void small_config(void) { uint32_t l = 8; memcpy(&m.cfg[0x74 + 12], &l, 4); }
static void no_config(void) { m.cfg[0x74 + 3] = 9; }
static void cap_in_header(void) { m.cfg[0x34] = 0x20; }
static void legacy_only(void) { m.cfg[0x06] = 0; }

static const struct bad_row bad_rows[] = {
	{ "DRV_0010a", "refuses FEATURES_OK", refuse_features, "the device refused the features", true },
	{ "DRV_0010b", "no VERSION_1", no_version_1, "no VIRTIO_F_VERSION_1", true },
	{ "DRV_0010c", "queue size 0", queue_size_0, "queue not available", false },
	{ "DRV_0010d", "no such queue", no_queues, "no such queue", false },
	{ "DRV_0010e", "MSI-X vector NO_VECTOR", refuse_vector,
	  "the device refused the queue's MSI-X vector", false },
	{ "DRV_0010f", "a BAR beyond 5", bar_6, "a capability names a BAR beyond 5", false },
	{ "DRV_0010g", "an offset beyond the BAR", range_out, "a capability's range leaves its BAR",
	  false },
	{ "DRV_0010h", "a length beyond the BAR", length_out, "a capability's range leaves its BAR",
	  false },
	{ "DRV_0010i", "a looping capability list", loops, "capability list loops", false },
	{ "DRV_0010j", "no ISR structure", no_isr, "common, notify or ISR structure missing", false },
	{ "DRV_0010k", "a notify capability too short", short_notify, "notify capability too short",
	  false },
	{ "DRV_0010l", "a notify offset past the structure", notify_out,
	  "queue notify offset beyond the notify structure", false },
	{ "DRV_0010m", "a device configuration too small", small_config,
	  "device configuration too small", true },
	{ "DRV_0010n", "no device configuration", no_config, "no device configuration", true },
	{ "DRV_0010o", "a capability pointer into the header", cap_in_header,
	  "capability pointer into the header", false },
	{ "DRV_0010p", "no capability list", legacy_only, "no capability list (a legacy-only device)",
	  false },
};

TEST_TABLE(DRV_0010, bad_rows, row)
{
	static struct virtio_pci v;
	static struct virtio_queue q;

	model_reset();
	row->spoil();
	CHECK_EQ(bring_up(&v, &q, 0x10), RPC_E_UNAVAILABLE);
	CHECK(v.error != NULL && !strcmp(v.error, row->error));
	CHECK_EQ(status_has(FAILED_BIT), row->failed);
	CHECK_EQ(m.irqs_open, 0);                         /* nothing left open */
	CHECK(q.vq.size == 0 || q.v == NULL);
}

TEST(DRV_0011, "virtio_pci_open: a bad device is one error line naming it, then the exit")
{
	static struct virtio_pci v;
	const struct virtio_pci_want w = { .kind = "virtio-test", .ids = ids, .nids = 1 };
	char name[PLATFORM_NAME_MAX];

	model_reset();
	model_start();
	m.refuse_features = true;
	exit_value = 0;
	if (!setjmp(exited)) {
		virtio_pci_open(&v, &dev, &plat, 4096, &w, name);
		CHECK(!"virtio_pci_open returned");
	}
	CHECK_EQ(exit_value, 1);
	CHECK(!strcmp(last_log(), "error: 00:04.0: RPC_E_UNAVAILABLE: the device refused the features"));
	/* acquiring fails: said so */
	model_reset();
	m.acquire_fails = true;
	if (!setjmp(exited))
		virtio_pci_open(&v, &dev, &plat, 4096, &w, name);
	CHECK(!strncmp(last_log(), "error: 00:04.0: RPC_E_DENIED: cannot acquire the device", 60));
	/* a good one returns */
	model_reset();
	model_start();
	if (!setjmp(exited))
		virtio_pci_open(&v, &dev, &plat, 4096, &w, name);
	else
		CHECK(!"a good device ended the component");
	CHECK(!strcmp(name, "00:04.0"));
}

TEST(DRV_0012, "NEEDS_RESET is told and logged; without MSI-X no configuration vector is taken")
{
	static struct virtio_pci v;
	static struct virtio_queue q;

	model_reset();
	m.msix = false;
	CHECK_OK(bring_up(&v, &q, 0));
	CHECK(!v.msix);
	CHECK_EQ(GET(VIRTIO_QUEUE_MSIX_VECTOR), VIRTIO_NO_VECTOR);
	CHECK_OK(virtio_pci_on_config(&v, NULL, NULL, NULL));
	CHECK(v.config_fn == NULL);
	CHECK(!virtio_pci_needs_reset(&v));
	SET(VIRTIO_DEVICE_STATUS, GET(VIRTIO_DEVICE_STATUS) | FIELD_SET(VIRTIO_DEVICE_STATUS, NEEDS_RESET, 1));
	CHECK(virtio_pci_needs_reset(&v));
	CHECK(!strcmp(last_log(), "error: the device needs a reset"));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
