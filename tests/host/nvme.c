// sources: drivers/nvme/nvme.c lib/driver/reg_io.c
// cflags: -fno-builtin-log -Idrivers/nvme -Ilib/driver/include -Idrivers/platform/session/include -Ios/timer/session/include -Ibase/arch/x86_64/include
/*
 * Host unit tests of the NVMe driver's controller code
 * (drivers/nvme/nvme.c) against a model of a controller: BAR0 is ordinary
 * memory, device addresses are pointers, and the model acts when the
 * driver sleeps (admin commands, CSTS) or when a test lets it run the I/O
 * queue (completions in any order, errors, a hostile completion). The
 * model checks every PRP entry as a controller does (PRP1 dword aligned,
 * PRP2 and list entries page aligned) and moves data only through them.
 *
 * Area: NVME.
 */
#include <harness.h>
#include <stdarg.h>
#include "nvme.h"

#define PAGE 4096u
#define NS_MAX 4
#define TIMEOUT_SLEEPS 100000

/* ---- stubs of the kit, the timer and the LOG ---- */

static char last_log[256];
static unsigned logs;

void log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	logs++;
}

static uint8_t *bar;
static uint64_t slept_us;
static void model_step(void);

rpc_status_t drv_mmio_map(struct drv_device *d, unsigned b, unsigned flags, struct drv_mmio *m)
{
	(void)d;
	(void)flags;
	memset(m, 0, sizeof(*m));
	if (b != 0)
		return RPC_E_INVALID_ARGUMENT;
	m->io = reg_io_mmio(bar);
	m->attached = (word_t)(uintptr_t)bar;
	m->size = 0x2000;
	return RPC_OK;
}

void drv_mmio_unmap(struct drv_mmio *m)
{
	memset(m, 0, sizeof(*m));
}

rpc_status_t dma_buf_alloc(struct platform_connection *p, size_t size, unsigned flags,
			   struct dma_buf *b)
{
	(void)p;
	(void)flags;
	size = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
	b->virt = aligned_alloc(PAGE, size);
	memset(b->virt, 0, size);
	b->dev = (uint64_t)(uintptr_t)b->virt;
	b->size = size;
	b->ds = 1;
	return RPC_OK;
}

void dma_buf_free(struct platform_connection *p, struct dma_buf *b)
{
	(void)p;
	free(b->virt);
	memset(b, 0, sizeof(*b));
}

rpc_status_t drv_irq_open(struct drv_irq *irq, struct drv_device *d, unsigned index, cptr_t sigh)
{
	(void)sigh;
	memset(irq, 0, sizeof(*irq));
	irq->dev = d;
	irq->index = index;
	irq->kind = PLATFORM_IRQ_MSIX;
	return RPC_OK;
}

void drv_irq_close(struct drv_irq *irq)
{
	(void)irq;
}

rpc_status_t drv_irq_ack(struct drv_irq *irq)
{
	(void)irq;
	return RPC_OK;
}

void drv_irq_wait(struct drv_irq *irq)
{
	(void)irq;
}

rpc_status_t sleep_us(struct timer_connection *t, uint64_t us)
{
	(void)t;
	slept_us += us;
	model_step();
	return RPC_OK;
}

/* ---- the controller model ---- */

struct mns {
	uint32_t nsid;
	uint64_t blocks;
	unsigned lbaf;           /* index of the format in use */
	uint8_t *data;
};

struct mq {
	uint8_t *base;
	uint16_t depth, head, tail;  /* SQ: head ours, tail the doorbell's; CQ: tail ours */
	uint8_t phase;
};

static struct {
	bool never_ready;        /* CSTS.RDY stays 0 */
	bool oncs_dsm;
	uint8_t mdts;
	uint16_t mqes;
	struct mns ns[NS_MAX];
	unsigned nns;
	uint32_t nsid_meta;      /* a namespace whose format has metadata */
	uint32_t nsid_inactive;  /* listed, size 0 */
	/* state */
	struct mq asq, acq, iosq, iocq;
	bool io_created;
	unsigned iv;             /* the I/O CQ's vector */
	unsigned admin_cmds;
	unsigned prp_errors;
} m;

struct pending_io {
	struct nvme_sqe e;
	bool used;
};
static struct pending_io taken[256];

static uint32_t rd32(unsigned off)
{
	uint32_t v;
	memcpy(&v, bar + off, 4);
	return v;
}

static void wr32(unsigned off, uint32_t v)
{
	memcpy(bar + off, &v, 4);
}

static uint64_t rd64(unsigned off)
{
	uint64_t v;
	memcpy(&v, bar + off, 8);
	return v;
}

static void model_reset(void)
{
	memset(&m, 0, sizeof(m));
	memset(taken, 0, sizeof(taken));
	if (!bar)
		bar = aligned_alloc(PAGE, 0x2000);
	memset(bar, 0, 0x2000);
	m.mqes = 63;
	m.mdts = 5;              /* 128 KiB */
	m.oncs_dsm = true;
	slept_us = 0;
	logs = 0;
	last_log[0] = 0;
}

static void model_cap(void)
{
	uint64_t cap = FIELD_SET(NVME_CAP, MQES, m.mqes) | FIELD_SET(NVME_CAP, TO, 2) |
		       FIELD_SET(NVME_CAP, CQR, 1) | FIELD_SET(NVME_CAP, CSS_NVM, 1);
	memcpy(bar + NVME_CAP_OFF, &cap, 8);
	wr32(NVME_VS_OFF, 0x10400);
}

static struct mns *add_ns(uint32_t nsid, uint64_t blocks, unsigned lbaf)
{
	struct mns *n = &m.ns[m.nns++];
	n->nsid = nsid;
	n->blocks = blocks;
	n->lbaf = lbaf;
	n->data = calloc(blocks, lbaf ? 4096 : 512);
	return n;
}

static struct mns *find_ns(uint32_t nsid)
{
	for (unsigned i = 0; i < m.nns; i++)
		if (m.ns[i].nsid == nsid)
			return &m.ns[i];
	return 0;
}

static void post(struct mq *cq, unsigned sqid, uint16_t sqhd, uint16_t cid, uint16_t status,
		 uint32_t dw0)
{
	struct nvme_cqe e = { dw0, 0, 0, 0 };
	e.dw2 = FIELD_SET(NVME_CQE_DW2, SQHD, sqhd) | FIELD_SET(NVME_CQE_DW2, SQID, sqid);
	e.dw3 = FIELD_SET(NVME_CQE_DW3, CID, cid) | FIELD_SET(NVME_CQE_DW3, P, cq->phase) |
		FIELD_SET(NVME_CQE_DW3, STATUS, status);
	memcpy(cq->base + (size_t)cq->tail * 16, &e, 16);
	cq->tail++;
	if (cq->tail == cq->depth) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
}

static void identify(const struct nvme_sqe *e, uint8_t *page)
{
	memset(page, 0, PAGE);
	switch (e->cdw10) {
	case NVME_CNS_CONTROLLER:
		memcpy(page + NVME_IDC_SN, "argil0              ", 20);
		memcpy(page + NVME_IDC_MN, "Model Ctrl                              ", 40);
		memcpy(page + NVME_IDC_FR, "1.0     ", 8);
		page[NVME_IDC_MDTS] = m.mdts;
		page[NVME_IDC_SQES] = 0x66;
		page[NVME_IDC_CQES] = 0x44;
		page[NVME_IDC_NN] = (uint8_t)(m.nns + 2);
		page[NVME_IDC_ONCS] = m.oncs_dsm ? NVME_ONCS_DSM : 0;
		page[NVME_IDC_VWC] = 1;
		break;
	case NVME_CNS_ACTIVE_NSIDS: {
		unsigned k = 0;
		for (unsigned i = 0; i < m.nns; i++)
			memcpy(page + 4 * k++, &m.ns[i].nsid, 4);
		if (m.nsid_meta)
			memcpy(page + 4 * k++, &m.nsid_meta, 4);
		if (m.nsid_inactive)
			memcpy(page + 4 * k++, &m.nsid_inactive, 4);
		break;
	}
	case NVME_CNS_NAMESPACE: {
		struct mns *n = find_ns(e->nsid);
		uint64_t size = n ? n->blocks : e->nsid == m.nsid_meta ? 1000 : 0;
		memcpy(page + NVME_IDN_NSZE, &size, 8);
		page[NVME_IDN_NLBAF] = 2;        /* three formats */
		page[NVME_IDN_FLBAS] = (uint8_t)(n ? n->lbaf : e->nsid == m.nsid_meta ? 2 : 0);
		uint32_t f0 = FIELD_SET(NVME_LBAF, LBADS, 9), f1 = FIELD_SET(NVME_LBAF, LBADS, 12);
		uint32_t f2 = FIELD_SET(NVME_LBAF, LBADS, 9) | FIELD_SET(NVME_LBAF, MS, 8);
		memcpy(page + NVME_IDN_LBAF, &f0, 4);
		memcpy(page + NVME_IDN_LBAF + 4, &f1, 4);
		memcpy(page + NVME_IDN_LBAF + 8, &f2, 4);
		break;
	}
	}
}

static void admin_step(void)
{
	m.asq.tail = (uint16_t)rd32(0x1000);
	while (m.asq.head != m.asq.tail) {
		struct nvme_sqe e;
		memcpy(&e, m.asq.base + (size_t)m.asq.head * 64, 64);
		m.asq.head = (uint16_t)((m.asq.head + 1) % m.asq.depth);
		m.admin_cmds++;
		uint16_t cid = FIELD_GET(NVME_SQE_CDW0, CID, e.cdw0), status = 0;
		uint32_t dw0 = 0;
		switch (FIELD_GET(NVME_SQE_CDW0, OPC, e.cdw0)) {
		case NVME_ADMIN_IDENTIFY:
			identify(&e, (uint8_t *)(uintptr_t)e.prp1);
			break;
		case NVME_ADMIN_SET_FEATURES:
			dw0 = e.cdw11;
			break;
		case NVME_ADMIN_CREATE_CQ:
			m.iocq.base = (uint8_t *)(uintptr_t)e.prp1;
			m.iocq.depth = (uint16_t)(FIELD_GET(NVME_CREATE_CDW10, QSIZE, e.cdw10) + 1);
			m.iocq.phase = 1;
			m.iv = FIELD_GET(NVME_CREATE_CQ_CDW11, IV, e.cdw11);
			break;
		case NVME_ADMIN_CREATE_SQ:
			if (!m.iocq.base || FIELD_GET(NVME_CREATE_SQ_CDW11, CQID, e.cdw11) != 1) {
				status = 0x100 | 0x00;   /* completion queue invalid */
				break;
			}
			m.iosq.base = (uint8_t *)(uintptr_t)e.prp1;
			m.iosq.depth = (uint16_t)(FIELD_GET(NVME_CREATE_CDW10, QSIZE, e.cdw10) + 1);
			m.io_created = true;
			break;
		default:
			status = 0x01;                   /* invalid opcode */
		}
		post(&m.acq, 0, m.asq.head, cid, status, dw0);
	}
}

static void model_step(void)
{
	uint32_t cc = rd32(NVME_CC_OFF), csts = rd32(NVME_CSTS_OFF);

	if (!FIELD_GET(NVME_CC, EN, cc)) {
		wr32(NVME_CSTS_OFF, 0);
		return;
	}
	if (!FIELD_GET(NVME_CSTS, RDY, csts)) {
		if (m.never_ready)
			return;
		uint32_t aqa = rd32(NVME_AQA_OFF);
		m.asq = (struct mq){ (uint8_t *)(uintptr_t)rd64(NVME_ASQ_OFF),
				     (uint16_t)(FIELD_GET(NVME_AQA, ASQS, aqa) + 1), 0, 0, 0 };
		m.acq = (struct mq){ (uint8_t *)(uintptr_t)rd64(NVME_ACQ_OFF),
				     (uint16_t)(FIELD_GET(NVME_AQA, ACQS, aqa) + 1), 0, 0, 1 };
		wr32(NVME_CSTS_OFF, FIELD_SET(NVME_CSTS, RDY, 1));
		return;
	}
	if (FIELD_GET(NVME_CC, SHN, cc))
		wr32(NVME_CSTS_OFF, csts | FIELD_SET(NVME_CSTS, SHST, NVME_SHST_COMPLETE));
	admin_step();
}

/* Take every new I/O command into `taken` (by slot = CID). */
static unsigned io_take(void)
{
	unsigned n = 0;

	m.iosq.tail = (uint16_t)rd32(0x1000 + 8);
	while (m.iosq.head != m.iosq.tail) {
		struct nvme_sqe e;
		memcpy(&e, m.iosq.base + (size_t)m.iosq.head * 64, 64);
		m.iosq.head = (uint16_t)((m.iosq.head + 1) % m.iosq.depth);
		unsigned cid = FIELD_GET(NVME_SQE_CDW0, CID, e.cdw0);
		if (cid >= 256 || taken[cid].used)
			abort();             /* the driver reused a CID in flight */
		taken[cid] = (struct pending_io){ e, true };
		n++;
	}
	return n;
}

/* The PRP entries of a transfer of len bytes, as a controller walks
 * them: fn per piece; false (PRP offset invalid) on a misaligned entry. */
static bool prp_walk(const struct nvme_sqe *e, uint64_t len, uint8_t *io, bool to_mem)
{
	uint64_t p = e->prp1;
	uint64_t first = PAGE - (p & (PAGE - 1));
	uint64_t done = 0;

	if (p & 3)
		return false;
	if (first > len)
		first = len;
	if (to_mem)
		memcpy((void *)(uintptr_t)p, io, first);
	else
		memcpy(io, (void *)(uintptr_t)p, first);
	done = first;
	if (done == len)
		return true;
	if (len - done <= PAGE) {
		if (e->prp2 & (PAGE - 1))
			return false;
		if (to_mem)
			memcpy((void *)(uintptr_t)e->prp2, io + done, len - done);
		else
			memcpy(io + done, (void *)(uintptr_t)e->prp2, len - done);
		return true;
	}
	if (e->prp2 & 7)
		return false;
	const uint64_t *list = (const uint64_t *)(uintptr_t)e->prp2;
	/* the list must not run past its page (no chaining in the driver) */
	uint64_t room = (PAGE - (e->prp2 & (PAGE - 1))) / 8;
	for (uint64_t k = 0; done < len; k++) {
		if (k >= room || (list[k] & (PAGE - 1)))
			return false;
		uint64_t n = len - done < PAGE ? len - done : PAGE;
		if (to_mem)
			memcpy((void *)(uintptr_t)list[k], io + done, n);
		else
			memcpy(io + done, (void *)(uintptr_t)list[k], n);
		done += n;
	}
	return true;
}

/* Complete the taken command with CID cid (status forced if != 0). */
static void io_complete(unsigned cid, uint16_t force)
{
	struct nvme_sqe *e = &taken[cid].e;
	struct mns *n = find_ns(e->nsid);
	uint16_t status = force;
	unsigned opc = FIELD_GET(NVME_SQE_CDW0, OPC, e->cdw0);

	if (!status && !n)
		status = 0x0b;               /* invalid namespace */
	if (!status && (opc == NVME_IO_READ || opc == NVME_IO_WRITE)) {
		uint64_t lba = e->cdw10 | (uint64_t)e->cdw11 << 32;
		uint32_t nlb = FIELD_GET(NVME_RW_CDW12, NLB, e->cdw12) + 1u;
		uint32_t bs = n->lbaf ? 4096 : 512;
		if (lba + nlb > n->blocks)
			status = 0x80;               /* LBA out of range */
		else if (!prp_walk(e, (uint64_t)nlb * bs, n->data + lba * bs, opc == NVME_IO_READ)) {
			status = 0x13;
			m.prp_errors++;
		}
	}
	if (!status && opc == NVME_IO_DSM) {
		struct nvme_dsm_range r;
		memcpy(&r, (void *)(uintptr_t)e->prp1, sizeof(r));
		uint32_t bs = n->lbaf ? 4096 : 512;
		if (!FIELD_GET(NVME_DSM_CDW11, AD, e->cdw11) || r.slba + r.nlb > n->blocks)
			status = 0x02;
		else
			memset(n->data + r.slba * bs, 0, (size_t)r.nlb * bs);
	}
	taken[cid].used = false;
	post(&m.iocq, 1, m.iosq.head, (uint16_t)cid, status, 0);
}

/* ---- helpers of the cases ---- */

static struct drv_device dev;
static struct nvme c;
static struct { void *cookie; uint16_t status; } done_log[1024];
static unsigned ndone;

static void on_done(void *arg, void *cookie, uint16_t status)
{
	(void)arg;
	if (ndone < 1024)
		done_log[ndone++] = (typeof(done_log[0])){ cookie, status };
}

/* A model with two namespaces (512-byte and 4 KiB blocks), one with
 * metadata and one inactive, brought up. */
static rpc_status_t up(void)
{
	model_reset();
	model_cap();
	add_ns(1, 4096, 0);
	add_ns(3, 512, 1);
	m.nsid_meta = 2;
	m.nsid_inactive = 4;
	ndone = 0;
	return nvme_init(&c, &dev, 0, 0);
}

static void down(void)
{
	nvme_fini(&c);
	for (unsigned i = 0; i < m.nns; i++)
		free(m.ns[i].data);
}

/* Let the model take and complete everything, then reap. */
static unsigned run_all(void)
{
	io_take();
	for (unsigned i = 0; i < 256; i++)
		if (taken[i].used)
			io_complete(i, 0);
	return nvme_reap(&c, on_done, 0);
}

/* ---- cases ---- */

TEST(NVME_0001, "bring-up: CC, admin queue, IDENTIFY; namespaces with metadata or size 0 are left out")
{
	CHECK_OK(up());
	uint32_t cc = rd32(NVME_CC_OFF);
	CHECK_EQ(FIELD_GET(NVME_CC, EN, cc), 1);
	CHECK_EQ(FIELD_GET(NVME_CC, IOSQES, cc), 6);
	CHECK_EQ(FIELD_GET(NVME_CC, IOCQES, cc), 4);
	CHECK_EQ(FIELD_GET(NVME_CC, MPS, cc), 0);
	CHECK_EQ(FIELD_GET(NVME_CC, CSS, cc), 0);
	CHECK(!strcmp(c.serial, "argil0"));
	CHECK(!strcmp(c.model, "Model Ctrl"));
	CHECK(!strcmp(c.firmware, "1.0"));
	CHECK_EQ(c.nns, 2);
	CHECK_EQ(c.ns[0].nsid, 1);
	CHECK_EQ(c.ns[0].block_size, 512);
	CHECK_EQ(c.ns[0].blocks, 4096);
	CHECK_EQ(c.ns[1].nsid, 3);
	CHECK_EQ(c.ns[1].block_size, 4096);
	CHECK_EQ(c.max_transfer, 128 * 1024);       /* MDTS 5 */
	CHECK_EQ(c.io.depth, 64);
	CHECK_EQ(c.slots, 63);
	CHECK(m.io_created);
	CHECK_EQ(m.iv, 1);                          /* MSI-X: vector 1 */
	CHECK(c.oncs & NVME_ONCS_DSM);
	down();
}

TEST(NVME_0002, "a controller that never becomes ready fails after CAP.TO")
{
	model_reset();
	model_cap();
	m.never_ready = true;
	CHECK_ST(nvme_init(&c, &dev, 0, 0), RPC_E_UNAVAILABLE);
	CHECK(c.error && strstr(c.error, "CAP.TO"));
	CHECK(slept_us >= 1000 * 1000);             /* TO 2: one second */
	CHECK(slept_us < 2000 * 1000);
	nvme_fini(&c);
}

struct prp_row {
	TEST_ROW;
	uint32_t offset, blocks;     /* buffer offset, 512-byte blocks */
};

static const struct prp_row prp_rows[] = {
	{ "NVME_0003", "PRP1 only: one block at a page start", 0, 1 },
	{ "NVME_0004", "PRP1 only: 512 bytes into a page", 512, 7 },
	{ "NVME_0005", "PRP1 and PRP2: two pages", 0, 16 },
	{ "NVME_0006", "PRP1 and PRP2: an offset PRP1 spilling into the next page", 3584, 2 },
	{ "NVME_0007", "a PRP list: three pages after an offset PRP1", 512, 24 },
	{ "NVME_0008", "a PRP list: the largest transfer, page aligned", 0, 256 },
	{ "NVME_0009", "a PRP list: the largest transfer, dword offset", 4092, 256 },
};

TEST_TABLE(NVME_0003, prp_rows, row)
{
	struct dma_buf b;
	CHECK_OK(up());
	CHECK_OK(dma_buf_alloc(0, 256 * 1024, 0, &b));
	uint32_t len = row->blocks * 512;
	for (uint32_t i = 0; i < len; i++)
		b.virt[row->offset + i] = (uint8_t)(i * 7 + 3);
	struct nvme_request w = { NVME_IO_WRITE, 0, 100, row->blocks, b.dev + row->offset, &b };
	CHECK_EQ(nvme_submit(&c, &w), NVME_SUBMITTED);
	nvme_kick(&c);
	CHECK_EQ(run_all(), 1);
	CHECK_EQ(done_log[0].status, 0);
	for (uint32_t i = 0; i < len; i++)
		CHECK_EQ(m.ns[0].data[100 * 512 + i], (uint8_t)(i * 7 + 3));
	memset(b.virt, 0, b.size);
	struct nvme_request r = { NVME_IO_READ, 0, 100, row->blocks, b.dev + row->offset, &b };
	CHECK_EQ(nvme_submit(&c, &r), NVME_SUBMITTED);
	nvme_kick(&c);
	CHECK_EQ(run_all(), 1);
	CHECK_EQ(done_log[1].status, 0);
	for (uint32_t i = 0; i < len; i++)
		CHECK_EQ(b.virt[row->offset + i], (uint8_t)(i * 7 + 3));
	if (row->offset)
		CHECK_EQ(b.virt[row->offset - 1], 0);     /* nothing before it */
	CHECK_EQ(b.virt[row->offset + len], 0);        /* nothing after it */
	CHECK_EQ(m.prp_errors, 0);
	dma_buf_free(0, &b);
	down();
}

TEST(NVME_0010, "2,000 commands completed in random order: phase tags wrap, every cookie once")
{
	struct dma_buf b;
	static unsigned seen[2000];
	unsigned submitted = 0, completed = 0, seed = 12345;

	CHECK_OK(up());
	CHECK_OK(dma_buf_alloc(0, 64 * 4096, 0, &b));
	memset(seen, 0, sizeof(seen));
	while (completed < 2000) {
		/* fill the slots, then let the model complete a random few */
		while (submitted < 2000) {
			struct nvme_request r = { submitted % 3 ? NVME_IO_READ : NVME_IO_WRITE,
						  submitted % 2, submitted % 200, 1,
						  b.dev + (submitted % 64) * 4096,
						  (void *)(uintptr_t)(submitted + 1) };
			enum nvme_submit_result s = nvme_submit(&c, &r);
			if (s == NVME_BUSY)
				break;
			CHECK_EQ(s, NVME_SUBMITTED);
			submitted++;
		}
		nvme_kick(&c);
		io_take();
		for (unsigned k = 0; k < 256; k++) {
			seed = seed * 1103515245u + 12345u;
			unsigned i = (seed >> 8) % 256;
			if (taken[i].used && (seed & 1))
				io_complete(i, 0);
		}
		ndone = 0;
		nvme_reap(&c, on_done, 0);
		for (unsigned i = 0; i < ndone; i++) {
			uintptr_t id = (uintptr_t)done_log[i].cookie;
			CHECK(id >= 1 && id <= 2000);
			CHECK_EQ(seen[id - 1], 0);
			CHECK_EQ(done_log[i].status, 0);
			seen[id - 1] = 1;
			completed++;
		}
	}
	CHECK_EQ(c.inflight, 0);
	CHECK(!c.broken);
	dma_buf_free(0, &b);
	down();
}

TEST(NVME_0011, "an error status reaches the request and is logged; the next command works")
{
	struct dma_buf b;
	CHECK_OK(up());
	CHECK_OK(dma_buf_alloc(0, 4096, 0, &b));
	struct nvme_request r = { NVME_IO_READ, 0, 5, 1, b.dev, (void *)1 };
	CHECK_EQ(nvme_submit(&c, &r), NVME_SUBMITTED);
	nvme_kick(&c);
	io_take();
	io_complete(0, 0x281);                      /* media error: unrecovered read */
	CHECK_EQ(nvme_reap(&c, on_done, 0), 1);
	CHECK_EQ(done_log[0].status, 0x281);
	CHECK(strstr(last_log, "READ of 1 blocks at 5 failed: status type 2 code 0x81"));
	r.cookie = (void *)2;
	CHECK_EQ(nvme_submit(&c, &r), NVME_SUBMITTED);
	nvme_kick(&c);
	CHECK_EQ(run_all(), 1);
	CHECK_EQ(done_log[1].status, 0);
	dma_buf_free(0, &b);
	down();
}

TEST(NVME_0012, "a completion of no command in flight: the controller is broken, what was in flight fails")
{
	struct dma_buf b;
	CHECK_OK(up());
	CHECK_OK(dma_buf_alloc(0, 4096, 0, &b));
	for (unsigned i = 0; i < 3; i++) {
		struct nvme_request r = { NVME_IO_READ, 0, i, 1, b.dev, (void *)(uintptr_t)(i + 1) };
		CHECK_EQ(nvme_submit(&c, &r), NVME_SUBMITTED);
	}
	nvme_kick(&c);
	io_take();
	post(&m.iocq, 1, 0, 40, 0, 0);              /* CID 40: never submitted */
	nvme_reap(&c, on_done, 0);
	CHECK(c.broken);
	CHECK_EQ(ndone, 3);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(done_log[i].status, 0xffff);
	CHECK_EQ(c.inflight, 0);
	struct nvme_request r = { NVME_IO_READ, 0, 0, 1, b.dev, 0 };
	CHECK_EQ(nvme_submit(&c, &r), NVME_INVALID);
	dma_buf_free(0, &b);
	down();
}

TEST(NVME_0013, "requests outside a namespace, too large, unaligned or unknown are refused; full slots are busy")
{
	struct dma_buf b;
	CHECK_OK(up());
	CHECK_OK(dma_buf_alloc(0, 4096, 0, &b));
	const struct nvme_request bad[] = {
		{ NVME_IO_READ, 0, 4096, 1, b.dev, 0 },          /* first block beyond */
		{ NVME_IO_READ, 0, 4095, 2, b.dev, 0 },          /* last block beyond */
		{ NVME_IO_READ, 0, UINT64_MAX, 2, b.dev, 0 },    /* wraps */
		{ NVME_IO_READ, 0, 0, 0, b.dev, 0 },             /* nothing */
		{ NVME_IO_READ, 0, 0, 257, b.dev, 0 },           /* above MDTS */
		{ NVME_IO_WRITE, 0, 0, 1, b.dev + 2, 0 },        /* not dword aligned */
		{ NVME_IO_READ, 2, 0, 1, b.dev, 0 },             /* no such namespace */
		{ 0x7f, 0, 0, 1, b.dev, 0 },                     /* unknown opcode */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(nvme_submit(&c, &bad[i]), NVME_INVALID);
	CHECK_EQ(c.inflight, 0);
	for (unsigned i = 0; i < c.slots; i++) {
		struct nvme_request f = { NVME_IO_FLUSH, 0, 0, 0, 0, 0 };
		CHECK_EQ(nvme_submit(&c, &f), NVME_SUBMITTED);
	}
	struct nvme_request f = { NVME_IO_FLUSH, 1, 0, 0, 0, 0 };
	CHECK_EQ(nvme_submit(&c, &f), NVME_BUSY);
	nvme_kick(&c);
	CHECK_EQ(run_all(), 63);
	CHECK_EQ(nvme_submit(&c, &f), NVME_SUBMITTED);
	dma_buf_free(0, &b);
	down();
}

TEST(NVME_0014, "DSM deallocate: one range with its blocks; refused where ONCS has no DSM")
{
	CHECK_OK(up());
	memset(m.ns[1].data, 0xaa, 512 * 4096);
	struct nvme_request t = { NVME_IO_DSM, 1, 10, 20, 0, 0 };
	CHECK_EQ(nvme_submit(&c, &t), NVME_SUBMITTED);
	nvme_kick(&c);
	CHECK_EQ(run_all(), 1);
	CHECK_EQ(done_log[0].status, 0);
	CHECK_EQ(m.ns[1].data[10 * 4096 - 1], 0xaa);
	CHECK_EQ(m.ns[1].data[10 * 4096], 0);
	CHECK_EQ(m.ns[1].data[30 * 4096 - 1], 0);
	CHECK_EQ(m.ns[1].data[30 * 4096], 0xaa);
	down();

	model_reset();
	model_cap();
	add_ns(1, 64, 0);
	m.oncs_dsm = false;
	CHECK_OK(nvme_init(&c, &dev, 0, 0));
	struct nvme_request t2 = { NVME_IO_DSM, 0, 0, 1, 0, 0 };
	CHECK_EQ(nvme_submit(&c, &t2), NVME_INVALID);
	down();
}

/* I/O ports: the controller has none */
uint64_t host_port_in(uint16_t port, unsigned size)
{
	(void)port;
	(void)size;
	abort();
}

void host_port_out(uint16_t port, unsigned size, uint64_t v)
{
	(void)port;
	(void)size;
	(void)v;
	abort();
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
