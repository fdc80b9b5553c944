/*
 * The NVMe controller (nvme.h): bring-up, admin commands, I/O commands.
 *
 * Memory: one DMA buffer `ctrl` of eight pages (admin SQ, admin CQ, I/O
 * SQ, I/O CQ, the IDENTIFY page, the DSM ranges of every slot) and one
 * `prp` holding a PRP list of NVME_PRP_LIST bytes per slot. The I/O SQ
 * has depth entries and at most depth - 1 commands are in flight (one
 * per slot), so it never overflows and needs no head tracking.
 *
 * Admin commands are rare (bring-up only) and polled with a timeout; the
 * I/O completion queue raises its own MSI-X vector (1), or the only
 * interrupt the platform gives (MSI or the legacy line, vector 0).
 */
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include "nvme.h"

#define CTRL_PAGES 8
enum { PG_ASQ, PG_ACQ, PG_IOSQ, PG_IOCQ, PG_IDENTIFY, PG_DSM };
#define ADMIN_TIMEOUT_MS 5000
#define POLL_US 100

/* The stores to queue memory are done before the doorbell's store (x86
 * keeps stores in order; the compiler must too), and a completion's
 * phase is read before its other words. */
#define compiler_barrier() __asm__ volatile("" ::: "memory")

static void *ctrl_page(struct nvme *c, unsigned i)
{
	return c->ctrl.virt + i * NVME_PAGE;
}

static uint64_t ctrl_dev(struct nvme *c, unsigned i)
{
	return c->ctrl.dev + i * NVME_PAGE;
}

static void doorbell(struct nvme *c, unsigned index, uint16_t v)
{
	REG_WRITE_AT(&c->bar.io, NVME_DOORBELL, index * c->stride, v);
}

static uint32_t csts(struct nvme *c)
{
	return REG_READ(&c->bar.io, NVME_CSTS);
}

/* Wait until CSTS.RDY is rdy, up to CAP.TO; false on timeout or a fatal
 * status. */
static bool wait_ready(struct nvme *c, unsigned rdy)
{
	uint64_t waited = 0;

	for (;;) {
		uint32_t s = csts(c);
		if (s == 0xffffffffu) {
			c->error = "the controller's registers read all ones";
			return false;
		}
		if (FIELD_GET(NVME_CSTS, CFS, s) && rdy) {
			c->error = "controller fatal status while enabling";
			return false;
		}
		if (FIELD_GET(NVME_CSTS, RDY, s) == rdy)
			return true;
		if (waited >= (uint64_t)c->ready_ms * 1000) {
			c->error = rdy ? "timeout waiting for CSTS.RDY = 1 (CAP.TO)"
				       : "timeout waiting for CSTS.RDY = 0 (CAP.TO)";
			return false;
		}
		sleep_us(c->timer, POLL_US);
		waited += POLL_US;
	}
}

/* ---- queues ---- */

static void queue_init(struct nvme_queue *q, uint16_t id, uint16_t depth, void *sq, uint64_t sq_dev,
		       void *cq, uint64_t cq_dev)
{
	memset(q, 0, sizeof(*q));
	q->id = id;
	q->depth = depth;
	q->sq = sq;
	q->cq = cq;
	q->sq_dev = sq_dev;
	q->cq_dev = cq_dev;
	q->phase = 1;
	memset(sq, 0, (size_t)depth << NVME_SQE_SHIFT);
	memset(cq, 0, (size_t)depth << NVME_CQE_SHIFT);
}

/* The entry into q's next slot; the doorbell is rung by sq_ring (a burst
 * of commands costs one doorbell write, which traps in a VM). */
static void sq_put(struct nvme_queue *q, const struct nvme_sqe *e)
{
	/* copied as dwords: the entry is read through another type than it
	 * was written with (prp1/prp2 are 64-bit), so the dword type must
	 * be allowed to alias it */
	typedef uint32_t __attribute__((may_alias)) dword_t;
	volatile struct nvme_sqe *slot = &q->sq[q->sq_tail];
	const dword_t *from = (const dword_t *)e;
	volatile dword_t *to = (volatile dword_t *)slot;

	for (unsigned i = 0; i < sizeof(*e) / 4; i++)
		to[i] = from[i];
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->depth);
}

static void sq_ring(struct nvme *c, struct nvme_queue *q)
{
	compiler_barrier();
	doorbell(c, 2u * q->id, q->sq_tail);
}

/* The next completion of q, if the device has posted one. */
static bool cq_peek(struct nvme_queue *q, struct nvme_cqe *out)
{
	volatile struct nvme_cqe *e = &q->cq[q->cq_head];
	uint32_t dw3 = e->dw3;

	if (FIELD_GET(NVME_CQE_DW3, P, dw3) != q->phase)
		return false;
	compiler_barrier();
	out->dw0 = e->dw0;
	out->dw1 = e->dw1;
	out->dw2 = e->dw2;
	out->dw3 = dw3;
	return true;
}

static void cq_pop(struct nvme_queue *q)
{
	q->cq_head = (uint16_t)(q->cq_head + 1);
	if (q->cq_head == q->depth) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
}

static void log_status(const char *what, uint32_t dw3)
{
	log("error: %s failed: status type %u code 0x%02x%s%s", what,
	    (unsigned)FIELD_GET(NVME_CQE_DW3, SCT, dw3), (unsigned)FIELD_GET(NVME_CQE_DW3, SC, dw3),
	    FIELD_GET(NVME_CQE_DW3, DNR, dw3) ? ", do not retry" : "",
	    FIELD_GET(NVME_CQE_DW3, MORE, dw3) ? ", more in the error log" : "");
}

/* One admin command, polled: its status (0 success, 0xffff timeout or a
 * completion of another command); *dw0 the completion's dword 0. */
static uint16_t admin(struct nvme *c, struct nvme_sqe *e, const char *what, uint32_t *dw0)
{
	struct nvme_queue *q = &c->admin;
	struct nvme_cqe cqe;
	uint16_t cid = c->admin_cid++;
	uint64_t waited = 0;

	e->cdw0 = FIELD_INSERT(NVME_SQE_CDW0, CID, e->cdw0, cid);
	sq_put(q, e);
	sq_ring(c, q);
	while (!cq_peek(q, &cqe)) {
		if (waited >= ADMIN_TIMEOUT_MS * 1000ull || FIELD_GET(NVME_CSTS, CFS, csts(c))) {
			log("error: %s: no completion after %u ms%s", what, ADMIN_TIMEOUT_MS,
			    FIELD_GET(NVME_CSTS, CFS, csts(c)) ? " (controller fatal status)" : "");
			c->error = "an admin command did not complete";
			return 0xffff;
		}
		/* QEMU completes admin commands from its main loop: a short
		 * sleep is the common case */
		sleep_us(c->timer, waited < 1000 ? 10 : POLL_US);
		waited += waited < 1000 ? 10 : POLL_US;
	}
	cq_pop(q);
	doorbell(c, 2u * q->id + 1, q->cq_head);
	if (FIELD_GET(NVME_CQE_DW3, CID, cqe.dw3) != cid) {
		log("error: %s: the completion names command %u, not %u", what,
		    (unsigned)FIELD_GET(NVME_CQE_DW3, CID, cqe.dw3), cid);
		c->error = "admin completion for the wrong command";
		return 0xffff;
	}
	if (dw0)
		*dw0 = cqe.dw0;
	uint16_t status = (uint16_t)FIELD_GET(NVME_CQE_DW3, STATUS, cqe.dw3);
	if (status)
		log_status(what, cqe.dw3);
	return status;
}

static uint16_t identify(struct nvme *c, unsigned cns, uint32_t nsid, const char *what)
{
	struct nvme_sqe e = { 0 };

	memset(ctrl_page(c, PG_IDENTIFY), 0, NVME_PAGE);
	e.cdw0 = FIELD_SET(NVME_SQE_CDW0, OPC, NVME_ADMIN_IDENTIFY);
	e.nsid = nsid;
	e.prp1 = ctrl_dev(c, PG_IDENTIFY);
	e.cdw10 = cns;
	return admin(c, &e, what, 0);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* An ASCII field of an IDENTIFY page without its padding. */
static void id_string(char *to, const uint8_t *from, size_t n)
{
	size_t len = n;

	while (len && (from[len - 1] == ' ' || from[len - 1] == 0))
		len--;
	for (size_t i = 0; i < len; i++)
		to[i] = from[i] >= 0x20 && from[i] < 0x7f ? (char)from[i] : '?';
	to[len] = 0;
}

static rpc_status_t identify_controller(struct nvme *c)
{
	const uint8_t *id = ctrl_page(c, PG_IDENTIFY);

	if (identify(c, NVME_CNS_CONTROLLER, 0, "IDENTIFY controller")) {
		c->error = "IDENTIFY controller failed";
		return RPC_E_UNAVAILABLE;
	}
	id_string(c->serial, id + NVME_IDC_SN, 20);
	id_string(c->model, id + NVME_IDC_MN, 40);
	id_string(c->firmware, id + NVME_IDC_FR, 8);
	c->nn = le32(id + NVME_IDC_NN);
	c->oncs = (uint16_t)(id[NVME_IDC_ONCS] | id[NVME_IDC_ONCS + 1] << 8);
	c->vwc = id[NVME_IDC_VWC] & 1;
	/* the entry sizes we use must be within what the controller takes */
	if ((id[NVME_IDC_SQES] & 0xf) > NVME_SQE_SHIFT || (id[NVME_IDC_SQES] >> 4) < NVME_SQE_SHIFT ||
	    (id[NVME_IDC_CQES] & 0xf) > NVME_CQE_SHIFT || (id[NVME_IDC_CQES] >> 4) < NVME_CQE_SHIFT) {
		c->error = "the controller does not take 64-byte SQ and 16-byte CQ entries";
		return RPC_E_UNAVAILABLE;
	}
	c->max_transfer = NVME_MAX_TRANSFER;
	unsigned mdts = id[NVME_IDC_MDTS];
	/* MDTS counts CAP.MPSMIN pages, which is our page (checked) */
	if (mdts && mdts < 20 && ((uint64_t)NVME_PAGE << mdts) < c->max_transfer)
		c->max_transfer = NVME_PAGE << mdts;
	return RPC_OK;
}

/* The namespace nsid into c->ns (skipped with a log line if it cannot be
 * driven). */
static void identify_namespace(struct nvme *c, uint32_t nsid)
{
	const uint8_t *id = ctrl_page(c, PG_IDENTIFY);
	char what[48];

	snprintf(what, sizeof(what), "IDENTIFY namespace %u", nsid);
	if (identify(c, NVME_CNS_NAMESPACE, nsid, what))
		return;
	uint64_t size = le64(id + NVME_IDN_NSZE);
	unsigned nlbaf = id[NVME_IDN_NLBAF] + 1u;
	unsigned fmt = FIELD_GET(NVME_FLBAS, INDEX, id[NVME_IDN_FLBAS]) |
		       FIELD_GET(NVME_FLBAS, INDEX_HIGH, id[NVME_IDN_FLBAS]) << 4;
	if (!size) {
		log("namespace %u: size 0 (inactive): skipped", nsid);
		return;
	}
	if (fmt >= nlbaf || fmt >= 64) {
		log("error: namespace %u: LBA format %u of %u", nsid, fmt, nlbaf);
		return;
	}
	uint32_t lbaf = le32(id + NVME_IDN_LBAF + 4 * fmt);
	unsigned shift = FIELD_GET(NVME_LBAF, LBADS, lbaf);
	if (FIELD_GET(NVME_LBAF, MS, lbaf)) {
		log("namespace %u: %u bytes of metadata per block: not supported, skipped", nsid,
		    (unsigned)FIELD_GET(NVME_LBAF, MS, lbaf));
		return;
	}
	if (shift < 9 || shift > 16) {
		log("error: namespace %u: block size 2^%u", nsid, shift);
		return;
	}
	if (c->nns == NVME_NS_MAX) {
		log("namespace %u: more than %u namespaces: skipped", nsid, NVME_NS_MAX);
		return;
	}
	struct nvme_ns *ns = &c->ns[c->nns++];
	ns->nsid = nsid;
	ns->blocks = size;
	ns->lba_shift = (uint8_t)shift;
	ns->block_size = 1u << shift;
}

/* Every active namespace: the active list (CNS 2, NVMe 1.1), else
 * 1..NN. */
static void identify_namespaces(struct nvme *c)
{
	uint32_t ids[1024];
	unsigned n = 0;

	if (identify(c, NVME_CNS_ACTIVE_NSIDS, 0, "IDENTIFY active namespace list") == 0) {
		const uint8_t *id = ctrl_page(c, PG_IDENTIFY);
		for (; n < 1024 && le32(id + 4 * n); n++)
			ids[n] = le32(id + 4 * n);
	} else {
		for (; n < c->nn && n < 1024; n++)
			ids[n] = n + 1;
	}
	for (unsigned i = 0; i < n; i++)
		identify_namespace(c, ids[i]);
}

static rpc_status_t create_io_queues(struct nvme *c)
{
	struct nvme_sqe e = { 0 };
	uint32_t granted = 0;
	unsigned depth = FIELD_GET(NVME_CAP, MQES, c->cap) + 1u;

	if (depth > NVME_IO_DEPTH)
		depth = NVME_IO_DEPTH;
	if (depth < 2) {
		c->error = "CAP.MQES below two entries";
		return RPC_E_UNAVAILABLE;
	}
	e.cdw0 = FIELD_SET(NVME_SQE_CDW0, OPC, NVME_ADMIN_SET_FEATURES);
	e.cdw10 = NVME_FEAT_NUM_QUEUES;
	e.cdw11 = FIELD_SET(NVME_NUM_QUEUES, NSQ, 0) | FIELD_SET(NVME_NUM_QUEUES, NCQ, 0);
	if (admin(c, &e, "SET FEATURES number of queues", &granted)) {
		c->error = "SET FEATURES number of queues failed";
		return RPC_E_UNAVAILABLE;
	}
	queue_init(&c->io, 1, (uint16_t)depth, ctrl_page(c, PG_IOSQ), ctrl_dev(c, PG_IOSQ),
		   ctrl_page(c, PG_IOCQ), ctrl_dev(c, PG_IOCQ));

	memset(&e, 0, sizeof(e));
	e.cdw0 = FIELD_SET(NVME_SQE_CDW0, OPC, NVME_ADMIN_CREATE_CQ);
	e.prp1 = c->io.cq_dev;
	e.cdw10 = FIELD_SET(NVME_CREATE_CDW10, QID, 1) | FIELD_SET(NVME_CREATE_CDW10, QSIZE, depth - 1);
	e.cdw11 = FIELD_SET(NVME_CREATE_CQ_CDW11, PC, 1) | FIELD_SET(NVME_CREATE_CQ_CDW11, IEN, 1) |
		  FIELD_SET(NVME_CREATE_CQ_CDW11, IV, c->vector);
	if (admin(c, &e, "CREATE I/O CQ", 0)) {
		c->error = "CREATE I/O CQ failed";
		return RPC_E_UNAVAILABLE;
	}
	memset(&e, 0, sizeof(e));
	e.cdw0 = FIELD_SET(NVME_SQE_CDW0, OPC, NVME_ADMIN_CREATE_SQ);
	e.prp1 = c->io.sq_dev;
	e.cdw10 = FIELD_SET(NVME_CREATE_CDW10, QID, 1) | FIELD_SET(NVME_CREATE_CDW10, QSIZE, depth - 1);
	e.cdw11 = FIELD_SET(NVME_CREATE_SQ_CDW11, PC, 1) | FIELD_SET(NVME_CREATE_SQ_CDW11, CQID, 1);
	if (admin(c, &e, "CREATE I/O SQ", 0)) {
		c->error = "CREATE I/O SQ failed";
		return RPC_E_UNAVAILABLE;
	}
	c->slots = depth - 1;
	return RPC_OK;
}

/* Reset (CC.EN 0, wait for not ready), program the admin queue, enable
 * with 4 KiB pages and the NVM command set, wait for ready. */
static rpc_status_t reset_enable(struct nvme *c)
{
	uint32_t cc = REG_READ(&c->bar.io, NVME_CC);

	if (FIELD_GET(NVME_CC, EN, cc)) {
		/* a controller enabled before us (firmware, a driver that
		 * died): it must be ready or fatal before EN may go to 0 */
		uint32_t s = csts(c);
		log("the controller is enabled (CSTS 0x%x): disabling it first", s);
		if (!FIELD_GET(NVME_CSTS, RDY, s) && !FIELD_GET(NVME_CSTS, CFS, s) && !wait_ready(c, 1))
			c->error = 0;   /* go on: clearing EN resets it anyway */
		REG_WRITE(&c->bar.io, NVME_CC, FIELD_INSERT(NVME_CC, EN, cc, 0));
	}
	if (!wait_ready(c, 0))
		return RPC_E_UNAVAILABLE;

	queue_init(&c->admin, 0, NVME_ADMIN_DEPTH, ctrl_page(c, PG_ASQ), ctrl_dev(c, PG_ASQ),
		   ctrl_page(c, PG_ACQ), ctrl_dev(c, PG_ACQ));
	REG_WRITE(&c->bar.io, NVME_AQA,
		  FIELD_SET(NVME_AQA, ASQS, NVME_ADMIN_DEPTH - 1) |
			  FIELD_SET(NVME_AQA, ACQS, NVME_ADMIN_DEPTH - 1));
	REG_WRITE(&c->bar.io, NVME_ASQ, c->admin.sq_dev);
	REG_WRITE(&c->bar.io, NVME_ACQ, c->admin.cq_dev);
	cc = FIELD_SET(NVME_CC, CSS, 0) | FIELD_SET(NVME_CC, MPS, 0) | FIELD_SET(NVME_CC, AMS, 0) |
	     FIELD_SET(NVME_CC, IOSQES, NVME_SQE_SHIFT) | FIELD_SET(NVME_CC, IOCQES, NVME_CQE_SHIFT);
	REG_WRITE(&c->bar.io, NVME_CC, cc);
	REG_WRITE(&c->bar.io, NVME_CC, FIELD_INSERT(NVME_CC, EN, cc, 1));
	if (!wait_ready(c, 1))
		return RPC_E_UNAVAILABLE;
	return RPC_OK;
}

rpc_status_t nvme_init(struct nvme *c, struct drv_device *dev, struct timer_connection *t,
		       cptr_t sigh)
{
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	c->dev = dev;
	c->timer = t;
	st = drv_mmio_map(dev, 0, 0, &c->bar);
	if (st != RPC_OK) {
		c->error = "cannot map BAR0";
		return st;
	}
	if (c->bar.size < 0x1000 + 8) {
		c->error = "BAR0 too small for the registers and the first doorbells";
		return RPC_E_UNAVAILABLE;
	}
	c->cap = REG_READ(&c->bar.io, NVME_CAP);
	c->version = REG_READ(&c->bar.io, NVME_VS);
	c->stride = 4u << FIELD_GET(NVME_CAP, DSTRD, c->cap);
	c->ready_ms = 500u * (FIELD_GET(NVME_CAP, TO, c->cap) ? FIELD_GET(NVME_CAP, TO, c->cap) : 1);
	if (!FIELD_GET(NVME_CAP, CSS_NVM, c->cap)) {
		c->error = "the controller lacks the NVM command set";
		return RPC_E_UNAVAILABLE;
	}
	if (FIELD_GET(NVME_CAP, MPSMIN, c->cap) != 0) {
		c->error = "the controller's smallest page is above 4 KiB";
		return RPC_E_UNAVAILABLE;
	}
	/* doorbells of queues 0 and 1 inside the BAR */
	if (0x1000 + 4 * c->stride > c->bar.size) {
		c->error = "BAR0 too small for the doorbells of two queues";
		return RPC_E_UNAVAILABLE;
	}
	st = dma_buf_alloc(dev->plat, CTRL_PAGES * NVME_PAGE, 0, &c->ctrl);
	if (st == RPC_OK)
		st = dma_buf_alloc(dev->plat, (NVME_IO_DEPTH - 1) * NVME_PRP_LIST, 0, &c->prp);
	if (st != RPC_OK) {
		c->error = "no DMA memory for the queues";
		return st;
	}
	/* the I/O queue's vector: 1 with MSI-X (0 stays the admin queue's),
	 * else the one interrupt there is */
	c->vector = 1;
	st = drv_irq_open(&c->irq, dev, 1, sigh);
	if (st != RPC_OK || c->irq.kind != PLATFORM_IRQ_MSIX) {
		if (st == RPC_OK)
			drv_irq_close(&c->irq);
		c->vector = 0;
		st = drv_irq_open(&c->irq, dev, 0, sigh);
	}
	if (st != RPC_OK) {
		c->error = "no interrupt";
		return st;
	}
	st = reset_enable(c);
	if (st == RPC_OK)
		st = identify_controller(c);
	if (st == RPC_OK)
		st = create_io_queues(c);
	if (st != RPC_OK)
		return st;
	identify_namespaces(c);
	return RPC_OK;
}

void nvme_shutdown(struct nvme *c)
{
	uint32_t cc = REG_READ(&c->bar.io, NVME_CC);
	uint64_t waited = 0;

	if (!c->bar.attached)
		return;
	REG_WRITE(&c->bar.io, NVME_CC, FIELD_INSERT(NVME_CC, SHN, cc, NVME_SHN_NORMAL));
	while (FIELD_GET(NVME_CSTS, SHST, csts(c)) != NVME_SHST_COMPLETE &&
	       waited < (uint64_t)c->ready_ms * 1000) {
		sleep_us(c->timer, POLL_US);
		waited += POLL_US;
	}
}

void nvme_fini(struct nvme *c)
{
	if (c->bar.attached) {
		REG_UPDATE(&c->bar.io, NVME_CC, EN, 0);
		drv_mmio_unmap(&c->bar);
	}
	drv_irq_close(&c->irq);
	if (c->dev) {
		dma_buf_free(c->dev->plat, &c->prp);
		dma_buf_free(c->dev->plat, &c->ctrl);
	}
	memset(c, 0, sizeof(*c));
}

/* ---- I/O ---- */

/* PRP1/PRP2 (and the slot's PRP list) for len bytes from dev. */
static void build_prps(struct nvme *c, unsigned slot, struct nvme_sqe *e, uint64_t dev, uint32_t len)
{
	uint32_t first = NVME_PAGE - (uint32_t)(dev & (NVME_PAGE - 1));

	e->prp1 = dev;
	if (len <= first)
		return;
	uint64_t next = dev + first;
	uint32_t rest = len - first;
	if (rest <= NVME_PAGE) {
		e->prp2 = next;
		return;
	}
	uint64_t *list = (uint64_t *)(c->prp.virt + slot * NVME_PRP_LIST);
	unsigned n = (rest + NVME_PAGE - 1) / NVME_PAGE;
	for (unsigned i = 0; i < n; i++)
		list[i] = next + (uint64_t)i * NVME_PAGE;
	e->prp2 = c->prp.dev + slot * NVME_PRP_LIST;
}

enum nvme_submit_result nvme_submit(struct nvme *c, const struct nvme_request *r)
{
	struct nvme_sqe e = { 0 };
	struct nvme_ns *ns;
	unsigned s;

	if (c->broken || r->ns >= c->nns)
		return NVME_INVALID;
	ns = &c->ns[r->ns];
	if (r->opc != NVME_IO_FLUSH) {
		if (!r->nblocks || r->lba >= ns->blocks || r->nblocks > ns->blocks - r->lba)
			return NVME_INVALID;
	}
	uint64_t bytes = (uint64_t)r->nblocks << ns->lba_shift;
	if (r->opc == NVME_IO_READ || r->opc == NVME_IO_WRITE) {
		if (bytes > c->max_transfer || r->nblocks > 0x10000 || (r->dev & 3))
			return NVME_INVALID;
	} else if (r->opc == NVME_IO_DSM) {
		if (!(c->oncs & NVME_ONCS_DSM))
			return NVME_INVALID;
	} else if (r->opc != NVME_IO_FLUSH) {
		return NVME_INVALID;
	}
	if (c->inflight == c->slots)
		return NVME_BUSY;
	for (s = 0; s < c->slots && c->slot[s].busy; s++)
		;
	e.cdw0 = FIELD_SET(NVME_SQE_CDW0, OPC, r->opc) | FIELD_SET(NVME_SQE_CDW0, CID, s);
	e.nsid = ns->nsid;
	switch (r->opc) {
	case NVME_IO_READ:
	case NVME_IO_WRITE:
		build_prps(c, s, &e, r->dev, (uint32_t)bytes);
		e.cdw10 = (uint32_t)r->lba;
		e.cdw11 = (uint32_t)(r->lba >> 32);
		e.cdw12 = FIELD_SET(NVME_RW_CDW12, NLB, r->nblocks - 1);
		break;
	case NVME_IO_DSM: {
		/* one range: the slot's 16 bytes of the DSM page */
		struct nvme_dsm_range *range =
			(struct nvme_dsm_range *)((uint8_t *)ctrl_page(c, PG_DSM) + s * sizeof(*range));
		range->attributes = 0;
		range->nlb = r->nblocks;
		range->slba = r->lba;
		e.prp1 = ctrl_dev(c, PG_DSM) + s * sizeof(*range);
		e.cdw10 = 0;
		e.cdw11 = FIELD_SET(NVME_DSM_CDW11, AD, 1);
		break;
	}
	default:
		break;
	}
	c->slot[s] = (struct nvme_slot){ true, r->opc, ns->nsid, r->lba, r->nblocks, r->cookie };
	c->inflight++;
	sq_put(&c->io, &e);
	c->unrung++;
	return NVME_SUBMITTED;
}

void nvme_kick(struct nvme *c)
{
	if (!c->unrung)
		return;
	c->unrung = 0;
	sq_ring(c, &c->io);
}

static const char *opc_name(uint8_t opc)
{
	switch (opc) {
	case NVME_IO_READ: return "READ";
	case NVME_IO_WRITE: return "WRITE";
	case NVME_IO_FLUSH: return "FLUSH";
	case NVME_IO_DSM: return "DSM deallocate";
	}
	return "?";
}

unsigned nvme_reap(struct nvme *c, nvme_done_fn done, void *arg)
{
	struct nvme_cqe cqe;
	unsigned n = 0;

	while (!c->broken && cq_peek(&c->io, &cqe)) {
		unsigned cid = FIELD_GET(NVME_CQE_DW3, CID, cqe.dw3);
		cq_pop(&c->io);
		n++;
		if (cid >= c->slots || !c->slot[cid].busy ||
		    FIELD_GET(NVME_CQE_DW2, SQID, cqe.dw2) != c->io.id) {
			log("error: the controller completed command %u of queue %u, which is not in flight: "
			    "no further I/O", cid, (unsigned)FIELD_GET(NVME_CQE_DW2, SQID, cqe.dw2));
			c->broken = true;
			break;
		}
		struct nvme_slot *s = &c->slot[cid];
		uint16_t status = (uint16_t)FIELD_GET(NVME_CQE_DW3, STATUS, cqe.dw3);
		if (status) {
			char what[80];
			snprintf(what, sizeof(what), "namespace %u: %s of %u blocks at %lu", s->nsid,
				 opc_name(s->opc), s->nblocks, (unsigned long)s->lba);
			log_status(what, cqe.dw3);
		}
		s->busy = false;
		c->inflight--;
		done(arg, s->cookie, status);
	}
	if (n)
		doorbell(c, 2u * c->io.id + 1, c->io.cq_head);
	/* an interrupt without a completion: is the controller still alive? */
	if (!n && !c->broken && FIELD_GET(NVME_CSTS, CFS, csts(c))) {
		log("error: controller fatal status: no further I/O");
		c->broken = true;
	}
	/* a broken controller completes nothing more: fail what is in flight */
	for (unsigned i = 0; c->broken && i < c->slots; i++) {
		if (!c->slot[i].busy)
			continue;
		c->slot[i].busy = false;
		c->inflight--;
		done(arg, c->slot[i].cookie, 0xffff);
	}
	return n;
}

void nvme_irq_ack(struct nvme *c)
{
	drv_irq_ack(&c->irq);
}

void nvme_wait(struct nvme *c)
{
	drv_irq_wait(&c->irq);
}
