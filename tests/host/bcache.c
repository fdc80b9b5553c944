// sources: lib/fs/bcache.c lib/fs/fs.c
// cflags: -Ilib/fs/include
/*
 * Host unit tests of lib/fs: the block cache (bcache.h) over a device in
 * memory that counts its requests and fails on demand, and the shared
 * name check and error names (fs.h).
 *
 * Area: BCACHE.
 */
#include <harness.h>
#include <bcache.h>

#define DEV_BLOCKS 256u          /* 512-byte device blocks: 64 cache blocks of 2 KiB */
#define BS 2048u

struct mem_dev {
	uint8_t disk[DEV_BLOCKS * 512];
	unsigned reads, writes, syncs;
	uint64_t last_block;
	uint32_t last_n;
	bool fail_read, fail_write;
	uint64_t written_since_sync;
};

static fs_err_t md_read(void *ctx, uint64_t block, uint32_t n, void *buf)
{
	struct mem_dev *m = ctx;

	if (m->fail_read)
		return FS_E_IO;
	if (block + n > DEV_BLOCKS)
		return FS_E_INVAL;
	m->reads++;
	memcpy(buf, m->disk + block * 512, (size_t)n * 512);
	return FS_OK;
}

static fs_err_t md_write(void *ctx, uint64_t block, uint32_t n, const void *buf)
{
	struct mem_dev *m = ctx;

	if (m->fail_write)
		return FS_E_IO;
	if (block + n > DEV_BLOCKS)
		return FS_E_INVAL;
	m->writes++;
	m->last_block = block;
	m->last_n = n;
	m->written_since_sync += n;
	memcpy(m->disk + block * 512, buf, (size_t)n * 512);
	return FS_OK;
}

static fs_err_t md_sync(void *ctx)
{
	struct mem_dev *m = ctx;

	m->syncs++;
	m->written_since_sync = 0;
	return FS_OK;
}

static struct mem_dev *md;
static struct blk_dev dev;

static struct bcache *fresh(uint32_t nbufs)
{
	static struct mem_dev m;

	memset(&m, 0, sizeof(m));
	for (unsigned i = 0; i < sizeof(m.disk); i++)
		m.disk[i] = (uint8_t)(i / BS + 1);   /* every cache block its own number + 1 */
	md = &m;
	dev = (struct blk_dev){ .block_size = 512, .count = DEV_BLOCKS, .writable = true, .ctx = md,
				.read = md_read, .write = md_write, .sync = md_sync };
	return bcache_create(&dev, BS, nbufs);
}

TEST(BCACHE_0001, "a block is read once, then hit; a block beyond the device is refused")
{
	struct bcache *c = fresh(8);
	struct bcache_buf *b;
	struct bcache_stats s;

	CHECK(c != 0);
	CHECK_EQ(bcache_get(c, 3, true, &b), FS_OK);
	CHECK_EQ(b->block, 3);
	CHECK_EQ(b->data[0], 4);
	CHECK_EQ(b->data[BS - 1], 4);
	bcache_put(c, b);
	CHECK_EQ(bcache_get(c, 3, true, &b), FS_OK);
	bcache_put(c, b);
	CHECK_EQ(md->reads, 1);
	bcache_stats(c, &s);
	CHECK_EQ(s.hits, 1);
	CHECK_EQ(s.misses, 1);
	CHECK_EQ(s.pinned, 0);
	CHECK_EQ(bcache_get(c, DEV_BLOCKS * 512 / BS, true, &b), FS_E_INVAL);
	CHECK(b == 0);
	bcache_destroy(c);
}

TEST(BCACHE_0002, "without fill the block is zeroed and not read")
{
	struct bcache *c = fresh(8);
	struct bcache_buf *b;

	CHECK_EQ(bcache_get(c, 5, false, &b), FS_OK);
	CHECK_EQ(md->reads, 0);
	CHECK_EQ(b->data[0], 0);
	CHECK_EQ(b->data[BS - 1], 0);
	bcache_put(c, b);
	bcache_destroy(c);
}

TEST(BCACHE_0003, "a dirty block is written back when evicted, the least recently used first")
{
	struct bcache *c = fresh(2);
	struct bcache_buf *b;

	CHECK_EQ(bcache_get(c, 0, true, &b), FS_OK);
	b->data[0] = 0xaa;
	bcache_dirty(c, b);
	bcache_put(c, b);
	CHECK_EQ(bcache_get(c, 1, true, &b), FS_OK);
	bcache_put(c, b);
	CHECK_EQ(bcache_get(c, 0, true, &b), FS_OK);   /* 0 used again: 1 is older */
	bcache_put(c, b);
	CHECK_EQ(md->writes, 0);
	CHECK_EQ(bcache_get(c, 2, true, &b), FS_OK);   /* evicts 1 (clean) */
	bcache_put(c, b);
	CHECK_EQ(md->writes, 0);
	CHECK_EQ(bcache_get(c, 3, true, &b), FS_OK);   /* evicts 0 (dirty) */
	bcache_put(c, b);
	CHECK_EQ(md->writes, 1);
	CHECK_EQ(md->disk[0], 0xaa);
	CHECK_EQ(md->last_n, BS / 512);
	bcache_destroy(c);
}

TEST(BCACHE_0004, "when every buffer is pinned another block is NOMEM, and works after a put")
{
	struct bcache *c = fresh(2);
	struct bcache_buf *a, *b, *x;

	CHECK_EQ(bcache_get(c, 0, true, &a), FS_OK);
	CHECK_EQ(bcache_get(c, 1, true, &b), FS_OK);
	CHECK_EQ(bcache_get(c, 2, true, &x), FS_E_NOMEM);
	CHECK_EQ(bcache_get(c, 1, true, &x), FS_OK);   /* pinned twice */
	CHECK(x == b);
	bcache_put(c, x);
	bcache_put(c, b);
	CHECK_EQ(bcache_get(c, 2, true, &x), FS_OK);
	CHECK_EQ(x->data[0], 3);
	bcache_put(c, x);
	bcache_put(c, a);
	bcache_destroy(c);
}

TEST(BCACHE_0005, "a flush writes neighbours in one request, in ascending order; sync syncs")
{
	struct bcache *c = fresh(16);
	struct bcache_buf *b;
	static const uint64_t order[] = { 9, 4, 6, 5, 12, 8 };   /* runs 4-6, 8-9, 12 */

	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		CHECK_EQ(bcache_get(c, order[i], true, &b), FS_OK);
		memset(b->data, 0x40 + (int)order[i], BS);
		bcache_dirty(c, b);
		bcache_put(c, b);
	}
	CHECK_EQ(bcache_sync(c), FS_OK);
	CHECK_EQ(md->writes, 3);
	CHECK_EQ(md->syncs, 1);
	CHECK_EQ(md->last_block, 12 * BS / 512);
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		CHECK_EQ(md->disk[order[i] * BS], 0x40 + order[i]);
		CHECK_EQ(md->disk[order[i] * BS + BS - 1], 0x40 + order[i]);
	}
	CHECK_EQ(md->disk[7 * BS], 8);                 /* untouched neighbour */
	CHECK_EQ(bcache_flush(c), FS_OK);              /* nothing dirty any more */
	CHECK_EQ(md->writes, 3);
	bcache_destroy(c);
}

TEST(BCACHE_0006, "a forgotten block is not written back; a pinned one cannot be forgotten")
{
	struct bcache *c = fresh(4);
	struct bcache_buf *b;

	CHECK_EQ(bcache_get(c, 2, true, &b), FS_OK);
	memset(b->data, 0x77, BS);
	bcache_dirty(c, b);
	bcache_forget(c, 2);                           /* pinned: stays */
	bcache_put(c, b);
	CHECK_EQ(bcache_get(c, 3, true, &b), FS_OK);
	memset(b->data, 0x66, BS);
	bcache_dirty(c, b);
	bcache_put(c, b);
	bcache_forget(c, 3);
	CHECK_EQ(bcache_flush(c), FS_OK);
	CHECK_EQ(md->writes, 1);
	CHECK_EQ(md->disk[2 * BS], 0x77);
	CHECK_EQ(md->disk[3 * BS], 4);
	CHECK_EQ(bcache_get(c, 3, true, &b), FS_OK);   /* read again from the disk */
	CHECK_EQ(b->data[0], 4);
	bcache_put(c, b);
	bcache_destroy(c);
}

TEST(BCACHE_0007, "direct reads see cached (dirty) blocks; direct writes update cached copies")
{
	struct bcache *c = fresh(8);
	struct bcache_buf *b;
	static uint8_t buf[6 * BS];
	unsigned reads;

	CHECK_EQ(bcache_get(c, 3, true, &b), FS_OK);
	memset(b->data, 0x99, BS);
	bcache_dirty(c, b);
	bcache_put(c, b);
	reads = md->reads;
	CHECK_EQ(bcache_read_direct(c, 1, 5, buf), FS_OK);   /* 1-2 from disk, 3 cached, 4-5 disk */
	CHECK_EQ(md->reads - reads, 2);
	CHECK_EQ(buf[0], 2);
	CHECK_EQ(buf[BS], 3);
	CHECK_EQ(buf[2 * BS], 0x99);
	CHECK_EQ(buf[4 * BS + BS - 1], 6);
	memset(buf, 0x11, sizeof(buf));
	CHECK_EQ(bcache_write_direct(c, 2, 3, buf), FS_OK);  /* one request over 2-4 */
	CHECK_EQ(md->last_n, 3 * BS / 512);
	CHECK_EQ(bcache_get(c, 3, true, &b), FS_OK);
	CHECK_EQ(b->data[0], 0x11);                           /* the cached copy follows */
	bcache_put(c, b);
	CHECK_EQ(bcache_flush(c), FS_OK);                     /* and is clean */
	CHECK_EQ(md->writes, 1);
	CHECK_EQ(bcache_read_direct(c, 60, 10, buf), FS_E_INVAL);
	CHECK_EQ(bcache_write_direct(c, 0, 0, buf), FS_E_INVAL);
	bcache_destroy(c);
}

TEST(BCACHE_0008, "device errors reach the caller and leave the cache usable")
{
	struct bcache *c = fresh(2);
	struct bcache_buf *b;

	md->fail_read = true;
	CHECK_EQ(bcache_get(c, 1, true, &b), FS_E_IO);
	md->fail_read = false;
	CHECK_EQ(bcache_get(c, 1, true, &b), FS_OK);
	CHECK_EQ(b->data[0], 2);
	memset(b->data, 0x55, BS);
	bcache_dirty(c, b);
	bcache_put(c, b);
	md->fail_write = true;
	CHECK_EQ(bcache_sync(c), FS_E_IO);
	CHECK_EQ(md->syncs, 0);
	md->fail_write = false;
	CHECK_EQ(bcache_sync(c), FS_OK);               /* still dirty, written now */
	CHECK_EQ(md->disk[BS], 0x55);
	bcache_destroy(c);
}

TEST(BCACHE_0009, "a cache of many blocks keeps every block's content through evictions")
{
	struct bcache *c = fresh(7);
	struct bcache_buf *b;

	for (unsigned round = 0; round < 3; round++)
		for (uint64_t k = 0; k < 64; k++) {
			uint64_t blk = (k * 37 + round) % 64;
			CHECK_EQ(bcache_get(c, blk, true, &b), FS_OK);
			if (round)
				CHECK_EQ(b->data[7], (uint8_t)(blk * 3 + round - 1));
			b->data[7] = (uint8_t)(blk * 3 + round);
			bcache_dirty(c, b);
			bcache_put(c, b);
		}
	CHECK_EQ(bcache_sync(c), FS_OK);
	for (uint64_t k = 0; k < 64; k++)
		CHECK_EQ(md->disk[k * BS + 7], (uint8_t)(k * 3 + 2));
	bcache_destroy(c);
}

TEST(BCACHE_0010, "bad geometry is refused; names are checked")
{
	struct bcache *c = fresh(1);

	bcache_destroy(c);
	CHECK(bcache_create(&dev, 1000, 4) == 0);
	CHECK(bcache_create(&dev, 256, 4) == 0);
	CHECK(bcache_create(&dev, 4096, 0) == 0);
	CHECK_EQ(fs_check_name("a", 1, false), FS_OK);
	CHECK_EQ(fs_check_name("", 0, false), FS_E_INVAL);
	CHECK_EQ(fs_check_name("a/b", 3, false), FS_E_INVAL);
	CHECK_EQ(fs_check_name("a\0b", 3, false), FS_E_INVAL);
	CHECK_EQ(fs_check_name(".", 1, false), FS_E_INVAL);
	CHECK_EQ(fs_check_name("..", 2, false), FS_E_INVAL);
	CHECK_EQ(fs_check_name("..", 2, true), FS_OK);
	CHECK_EQ(fs_check_name("...", 3, false), FS_OK);
	{
		char longname[FS_NAME_MAX + 1];
		memset(longname, 'x', sizeof(longname));
		CHECK_EQ(fs_check_name(longname, FS_NAME_MAX, false), FS_OK);
		CHECK_EQ(fs_check_name(longname, FS_NAME_MAX + 1, false), FS_E_NAMETOOLONG);
	}
	CHECK(strcmp(fs_err_name(FS_E_CORRUPT), "file system corrupt") == 0);
	CHECK(strcmp(fs_err_name((fs_err_t)999), "unknown error") == 0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
