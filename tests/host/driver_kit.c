// sources: lib/driver/reg_io.c lib/driver/virtqueue.c lib/driver/block_alloc.c
// cflags: -Ilib/driver/include -Idrivers/platform/session/include -Ibase/arch/x86_64/include
/*
 * Host unit tests of the driver kit's portable parts (lib/driver):
 * register fields defined once (driver_reg.h) over MMIO and ports, and
 * the split virtqueue (virtqueue.c) against a model of a device that
 * completes requests in any order, and against a device that writes
 * impossible used elements.
 *
 * Area: DRV.
 */
#include <harness.h>
#include <driver_reg.h>
#include <virtqueue.h>
#include <driver.h>

REG(T_CTRL, 0x4, 32);
FIELD(T_CTRL, ENABLE, 0, 1);
FIELD(T_CTRL, MODE, 4, 3);
FIELD(T_CTRL, TOP, 24, 8);
REG(T_BYTE, 0x1, 8);
FIELD(T_BYTE, LOW, 0, 4);
FIELD(T_BYTE, HIGH, 4, 4);
REG(T_WIDE, 0x8, 64);
FIELD(T_WIDE, ALL, 0, 64);
FIELD(T_WIDE, BIT63, 63, 1);
REG(T_HALF, 0x10, 16);

static uint8_t ports[0x10000];

uint64_t host_port_in(uint16_t port, unsigned size)
{
	uint64_t v = 0;
	memcpy(&v, &ports[port], size);
	return v;
}

void host_port_out(uint16_t port, unsigned size, uint64_t v)
{
	memcpy(&ports[port], &v, size);
}

TEST(DRV_0001, "fields are got, set and inserted by name; values are cut to the field")
{
	uint32_t v = 0;

	CHECK_EQ(T_CTRL_OFF, 4);
	CHECK_EQ(sizeof(T_CTRL_t), 4);
	CHECK_EQ(sizeof(T_BYTE_t), 1);
	CHECK_EQ(FIELD_MAX(T_CTRL, MODE), 7);
	CHECK_EQ(FIELD_MASK(T_CTRL, MODE), 0x70);
	v = FIELD_SET(T_CTRL, ENABLE, 1) | FIELD_SET(T_CTRL, MODE, 5) | FIELD_SET(T_CTRL, TOP, 0xab);
	CHECK_EQ(v, 0xab000051u);
	CHECK_EQ(FIELD_GET(T_CTRL, MODE, v), 5);
	CHECK_EQ(FIELD_GET(T_CTRL, TOP, v), 0xab);
	CHECK_EQ(FIELD_SET(T_CTRL, MODE, 0xff), 0x70);          /* cut to 3 bits */
	v = FIELD_INSERT(T_CTRL, MODE, v, 2);
	CHECK_EQ(v, 0xab000021u);
	v = FIELD_INSERT(T_CTRL, ENABLE, v, 0);
	CHECK_EQ(v, 0xab000020u);
	CHECK_EQ(FIELD_GET(T_BYTE, HIGH, 0x5a), 5);
	CHECK_EQ(FIELD_INSERT(T_BYTE, LOW, 0x5a, 0xf), 0x5f);
	CHECK_EQ(FIELD_MAX(T_WIDE, ALL), UINT64_MAX);
	CHECK_EQ(FIELD_GET(T_WIDE, ALL, 0x123456789abcdef0ull), 0x123456789abcdef0ull);
	CHECK_EQ(FIELD_SET(T_WIDE, BIT63, 1), 0x8000000000000000ull);
	CHECK_EQ(FIELD_INSERT(T_WIDE, BIT63, UINT64_MAX, 0), 0x7fffffffffffffffull);
}

TEST(DRV_0002, "registers are read and written at their offset and width, MMIO and ports")
{
	uint8_t *block = test_alloc(64, 64);
	struct reg_io m = reg_io_mmio(block), p = reg_io_port(0, 0x60);

	memset(block, 0xee, 64);
	REG_WRITE(&m, T_CTRL, 0x11223344);
	CHECK_EQ(block[4], 0x44);
	CHECK_EQ(block[7], 0x11);
	CHECK_EQ(block[8], 0xee);                        /* neighbours untouched */
	CHECK_EQ(block[3], 0xee);
	CHECK_EQ(REG_READ(&m, T_CTRL), 0x11223344);
	REG_UPDATE(&m, T_CTRL, MODE, 7);
	CHECK_EQ(REG_READ(&m, T_CTRL), 0x11223374);
	REG_WRITE(&m, T_WIDE, 0x0102030405060708ull);
	CHECK_EQ(REG_READ(&m, T_WIDE), 0x0102030405060708ull);
	REG_WRITE(&m, T_BYTE, 0x1ff);                     /* cut to the width */
	CHECK_EQ(block[1], 0xff);
	CHECK_EQ(block[2], 0xee);
	REG_WRITE_AT(&m, T_HALF, 4, 0xbeef);
	CHECK_EQ(REG_READ_AT(&m, T_HALF, 4), 0xbeef);
	CHECK_EQ(block[0x14], 0xef);
	/* ports: offset from the block's first port */
	REG_WRITE(&p, T_BYTE, 0x42);
	CHECK_EQ(ports[0x61], 0x42);
	REG_WRITE(&p, T_CTRL, 0xa0b0c0d0);
	CHECK_EQ(ports[0x64], 0xd0);
	CHECK_EQ(REG_READ(&p, T_CTRL), 0xa0b0c0d0);
	CHECK_EQ(FIELD_GET(T_BYTE, HIGH, REG_READ(&p, T_BYTE)), 4);
}

/* ---- virtqueue against a model of a device ---- */

struct dev {
	struct virtq *q;         /* only for the ring addresses */
	uint16_t seen;           /* avail entries taken */
	uint16_t used_idx;
	uint16_t pending[VQ_MAX_SIZE];
	unsigned npending;
};

/* take everything available (not completed yet) */
static void dev_take(struct dev *d)
{
	volatile struct vq_avail *av = (volatile struct vq_avail *)(uintptr_t)d->q->avail_addr;

	while (d->seen != av->idx) {
		d->pending[d->npending++] = av->ring[d->seen & (d->q->size - 1)];
		d->seen++;
	}
}

/* complete pending request i: fill its writable buffers with the head's
 * number, report the bytes written */
static void dev_complete(struct dev *d, unsigned i)
{
	volatile struct vq_desc *t = (volatile struct vq_desc *)(uintptr_t)d->q->desc_addr;
	volatile struct vq_used *u = (volatile struct vq_used *)(uintptr_t)d->q->used_addr;
	uint16_t head = d->pending[i], x = head;
	uint32_t written = 0;

	for (;;) {
		if (t[x].flags & VQ_DESC_F_WRITE) {
			memset((void *)(uintptr_t)t[x].addr, (int)(head & 0xff), t[x].len);
			written += t[x].len;
		}
		if (!(t[x].flags & VQ_DESC_F_NEXT))
			break;
		x = t[x].next;
	}
	u->ring[d->used_idx & (d->q->size - 1)].id = head;
	u->ring[d->used_idx & (d->q->size - 1)].len = written;
	d->used_idx++;
	u->idx = d->used_idx;
	d->pending[i] = d->pending[--d->npending];
}

static struct virtq *new_queue(uint16_t size)
{
	struct virtq *q = test_alloc(16, sizeof(*q));
	void *mem = test_alloc(4096, vq_layout_size(size));

	/* the model's device addresses are host addresses */
	CHECK_EQ(vq_init(q, size, mem, (uint64_t)(uintptr_t)mem), VQ_OK);
	return q;
}

TEST(DRV_0003, "queue layout: rings where virtio 1.0 puts them, bad sizes refused")
{
	struct virtq *q = test_alloc(16, sizeof(*q));
	void *mem = test_alloc(4096, 8192);

	CHECK_EQ(vq_layout_size(16), 256 + 6 + 32 + 2 + 6 + 128);
	CHECK_EQ(vq_init(q, 0, mem, 0x1000), VQ_E_INVALID);
	CHECK_EQ(vq_init(q, 24, mem, 0x1000), VQ_E_INVALID);
	CHECK_EQ(vq_init(q, 512, mem, 0x1000), VQ_E_INVALID);
	CHECK_EQ(vq_init(q, 16, mem, 0x1008), VQ_E_INVALID);   /* desc needs 16 */
	CHECK_EQ(vq_init(q, 16, mem, 0x10000), VQ_OK);
	CHECK_EQ(q->avail_addr, 0x10000 + 256);
	CHECK_EQ(q->used_addr % 4, 0);
	CHECK(q->used_addr >= q->avail_addr + 6 + 32);
	CHECK_EQ(q->num_free, 16);
	CHECK(strcmp(vq_error_name(VQ_E_DEVICE), "unknown virtqueue error") != 0);
}

TEST(DRV_0004, "requests of 1 to 3 buffers complete in any order with their cookies and lengths")
{
	struct virtq *q = new_queue(8);
	struct dev d = { .q = q };
	uint8_t *buf = test_alloc(64, 4096);
	struct vq_buf b[3] = {
		{ (uint64_t)(uintptr_t)buf, 16, false },
		{ (uint64_t)(uintptr_t)(buf + 100), 32, true },
		{ (uint64_t)(uintptr_t)(buf + 200), 8, true },
	};
	struct vq_buf bad[2] = { { 0x1000, 1, true }, { 0x2000, 1, false } };
	void *c;
	uint32_t len;

	CHECK_EQ(vq_add(q, bad, 2, NULL), VQ_E_INVALID);       /* readable after writable */
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_E_EMPTY);
	CHECK_EQ(vq_add(q, b, 3, (void *)1), VQ_OK);
	CHECK_EQ(vq_add(q, b + 1, 1, (void *)2), VQ_OK);
	CHECK_EQ(vq_add(q, b, 1, (void *)3), VQ_OK);
	CHECK_EQ(q->num_free, 3);
	CHECK(vq_notify_wanted(q));
	dev_take(&d);
	CHECK_EQ(d.npending, 3);
	dev_complete(&d, 2);                                      /* the third first */
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_OK);
	CHECK(c == (void *)3);
	CHECK_EQ(len, 0);
	dev_complete(&d, 0);
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_OK);
	CHECK(c == (void *)1);
	CHECK_EQ(len, 40);
	CHECK_EQ(buf[100], 0);                                   /* the head's number */
	dev_complete(&d, 0);
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_OK);
	CHECK(c == (void *)2);
	CHECK_EQ(len, 32);
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_E_EMPTY);
	CHECK_EQ(q->num_free, 8);
	q->used->flags = VQ_USED_F_NO_NOTIFY;
	CHECK(!vq_notify_wanted(q));
}

TEST(DRV_0005, "a full queue refuses; 70,000 requests in random order wrap the 16-bit indices")
{
	struct virtq *q = new_queue(16);
	struct dev d = { .q = q };
	uint8_t *buf = test_alloc(64, 4096);
	struct vq_buf b[2] = { { (uint64_t)(uintptr_t)buf, 8, false },
			       { (uint64_t)(uintptr_t)(buf + 64), 8, true } };
	uint64_t added = 0, done = 0, seed = 1;
	uint8_t outstanding[70000] = { 0 };
	void *c;

	for (int i = 0; i < 8; i++)
		CHECK_EQ(vq_add(q, b, 2, (void *)(uintptr_t)(added++ + 1)), VQ_OK);
	CHECK_EQ(vq_add(q, b, 1, NULL), VQ_E_FULL);
	for (uint64_t i = 0; i < added; i++)
		outstanding[i] = 1;
	while (done < 70000) {
		dev_take(&d);
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		if (d.npending)
			dev_complete(&d, (unsigned)((seed >> 33) % d.npending));
		while (vq_get_used(q, &c, NULL) == VQ_OK) {
			uint64_t n = (uint64_t)(uintptr_t)c - 1;
			CHECK(n < added);
			CHECK_EQ(outstanding[n], 1);
			outstanding[n] = 0;
			done++;
		}
		while (added < 70000 && vq_add(q, b, 1 + (unsigned)(added & 1),
					      (void *)(uintptr_t)(added + 1)) == VQ_OK)
			outstanding[added++] = 1;
	}
	CHECK_EQ(q->num_free, 16);
	CHECK_EQ(q->avail->idx, (uint16_t)70000);
}

TEST(DRV_0006, "impossible used elements from the device are refused and kill the queue")
{
	struct virtq *q;
	struct dev d;
	uint8_t *buf = test_alloc(64, 4096);
	struct vq_buf b = { (uint64_t)(uintptr_t)buf, 64, true };
	void *c;
	uint32_t len;

	/* an id past the table */
	q = new_queue(8);
	CHECK_EQ(vq_add(q, &b, 1, (void *)1), VQ_OK);
	q->used->ring[0].id = 8;
	q->used->idx = 1;
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_E_DEVICE);
	CHECK_EQ(vq_add(q, &b, 1, (void *)1), VQ_E_DEVICE);      /* dead */
	/* a descriptor that is no chain's head (free) */
	q = new_queue(8);
	CHECK_EQ(vq_add(q, &b, 1, (void *)1), VQ_OK);
	q->used->ring[0].id = 5;
	q->used->idx = 1;
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_E_DEVICE);
	/* the same head completed twice */
	q = new_queue(8);
	d = (struct dev){ .q = q };
	CHECK_EQ(vq_add(q, &b, 1, (void *)1), VQ_OK);
	dev_take(&d);
	dev_complete(&d, 0);
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_OK);
	q->used->ring[1] = q->used->ring[0];
	q->used->idx = 2;
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_E_DEVICE);
	/* a used index far ahead of what was made available */
	q = new_queue(8);
	CHECK_EQ(vq_add(q, &b, 1, (void *)1), VQ_OK);
	q->used->idx = 5;
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_E_DEVICE);
	/* a length beyond the chain's writable bytes is cut, and a device
	 * that rewrote the table's lengths changes nothing */
	q = new_queue(8);
	d = (struct dev){ .q = q };
	CHECK_EQ(vq_add(q, &b, 1, (void *)1), VQ_OK);
	dev_take(&d);
	dev_complete(&d, 0);
	q->desc[0].len = 100000;
	q->used->ring[0].len = 99999;
	CHECK_EQ(vq_get_used(q, &c, &len), VQ_OK);
	CHECK_EQ(len, 64);
}

/* a vq_reap_fn that records the cookies it is handed, up to stop */
struct reaped {
	uintptr_t got[16];
	uint32_t len[16];
	unsigned n, stop;
};

static bool reap_one(void *arg, void *cookie, uint32_t written)
{
	struct reaped *r = arg;

	r->got[r->n] = (uintptr_t)cookie;
	r->len[r->n++] = written;
	return r->n != r->stop;
}

TEST(DRV_0008, "vq_reap hands out every completion in used order, stops when told, and on a broken ring")
{
	struct virtq *q = new_queue(8);
	struct dev d = { .q = q };
	uint8_t *buf = test_alloc(64, 4096);
	struct vq_buf b = { (uint64_t)(uintptr_t)buf, 16, true };
	struct reaped r = { .stop = 0 };

	CHECK_EQ(vq_reap(q, reap_one, &r), VQ_OK);               /* nothing used */
	CHECK_EQ(r.n, 0);
	for (uintptr_t i = 1; i <= 5; i++)
		CHECK_EQ(vq_add(q, &b, 1, (void *)i), VQ_OK);
	dev_take(&d);
	dev_complete(&d, 3);                                      /* cookie 4 first */
	dev_complete(&d, 0);                                      /* then 1 */
	dev_complete(&d, 2);                                      /* then 3 (moved to 2) */
	r.stop = 2;
	CHECK_EQ(vq_reap(q, reap_one, &r), VQ_OK);
	CHECK_EQ(r.n, 2);                                         /* stopped after two */
	CHECK_EQ(r.got[0], 4);
	CHECK_EQ(r.got[1], 1);
	CHECK_EQ(r.len[0], 16);
	r.stop = 0;
	CHECK_EQ(vq_reap(q, reap_one, &r), VQ_OK);               /* the rest */
	CHECK_EQ(r.n, 3);
	CHECK_EQ(r.got[2], 3);
	CHECK_EQ(q->num_free, 6);
	/* one more completed, then an element naming a free descriptor: the
	 * one is handed out, then VQ_E_DEVICE and the queue is dead */
	dev_complete(&d, 0);
	q->used->ring[q->used->idx & 7].id = 7;
	q->used->idx++;
	CHECK_EQ(vq_reap(q, reap_one, &r), VQ_E_DEVICE);
	CHECK_EQ(r.n, 4);
	CHECK_EQ(r.got[3], 5);
	CHECK_EQ(vq_reap(q, reap_one, &r), VQ_E_DEVICE);
	CHECK_EQ(r.n, 4);
}

TEST(DRV_0007, "the DMA pools' block allocator: runs, alignment, refusals, reuse")
{
	struct block_alloc a;
	long o[8];

	CHECK(!block_alloc_init(&a, 4096, 8));            /* blocks of at least 16 */
	CHECK(!block_alloc_init(&a, 4096, 48));           /* a power of two */
	CHECK(!block_alloc_init(&a, 1 << 20, 16));        /* more than BLOCK_ALLOC_MAX */
	CHECK(block_alloc_init(&a, 4096, 512));
	CHECK_EQ(block_alloc_get(&a, 0), -1);
	CHECK_EQ(block_alloc_get(&a, 4097), -1);
	o[0] = block_alloc_get(&a, 1);
	o[1] = block_alloc_get(&a, 1024);
	o[2] = block_alloc_get(&a, 513);
	CHECK_EQ(o[0], 0);
	CHECK_EQ(o[1], 512);
	CHECK_EQ(o[2], 1536);
	o[3] = block_alloc_get(&a, 1536);
	CHECK_EQ(o[3], 2560);
	CHECK_EQ(block_alloc_get(&a, 1), -1);             /* full */
	CHECK(!block_alloc_put(&a, 1024));                /* inside a run */
	CHECK(!block_alloc_put(&a, 100));                 /* unaligned */
	CHECK(!block_alloc_put(&a, 8192));                /* outside */
	CHECK(block_alloc_put(&a, 512));
	CHECK(!block_alloc_put(&a, 512));                 /* twice */
	CHECK_EQ(block_alloc_get(&a, 1536), -1);          /* only 1024 free there */
	CHECK_EQ(block_alloc_get(&a, 1024), 512);
	CHECK(block_alloc_put(&a, 0));
	CHECK(block_alloc_put(&a, 512));
	CHECK(block_alloc_put(&a, 1536));
	CHECK_EQ(block_alloc_get(&a, 2560), 0);           /* merged with its neighbours */
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
