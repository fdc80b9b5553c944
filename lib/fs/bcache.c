/*
 * The block cache (bcache.h): nbufs buffers of one file-system block each,
 * found through a hash of the block number, unpinned ones on an LRU list
 * (free and least recently used at the front). Dirty blocks are written
 * when evicted or flushed; a flush sorts them and writes neighbours in one
 * request through a staging buffer.
 */
#include <bcache.h>

#define NONE (-1)
#define STAGE_BLOCKS 32u

struct entry {
	struct bcache_buf pub;   /* first: a bcache_buf * is an entry * */
	int32_t hnext;           /* hash chain */
	int32_t prev, next;      /* LRU list (unpinned only) */
	uint32_t pins;
	bool valid, dirty, listed;
};

struct bcache {
	struct blk_dev *dev;
	uint32_t bs, ratio;      /* block size; device blocks per block */
	uint64_t nblocks;        /* file-system blocks on the device */
	uint32_t nbufs, hmask;
	struct entry *e;
	int32_t *hash;
	int32_t *order;          /* flush's sort space */
	int32_t head, tail;      /* LRU: head is evicted first */
	uint8_t *data, *stage;
	struct bcache_stats st;
};

static struct entry *ent(struct bcache *c, int32_t i)
{
	return &c->e[i];
}

static uint32_t hash_of(struct bcache *c, uint64_t block)
{
	return (uint32_t)((block * 0x9e3779b97f4a7c15ull) >> 32) & c->hmask;
}

static void lru_unlink(struct bcache *c, int32_t i)
{
	struct entry *x = ent(c, i);

	if (!x->listed)
		return;
	if (x->prev != NONE)
		ent(c, x->prev)->next = x->next;
	else
		c->head = x->next;
	if (x->next != NONE)
		ent(c, x->next)->prev = x->prev;
	else
		c->tail = x->prev;
	x->prev = x->next = NONE;
	x->listed = false;
}

static void lru_push_back(struct bcache *c, int32_t i)
{
	struct entry *x = ent(c, i);

	x->prev = c->tail;
	x->next = NONE;
	if (c->tail != NONE)
		ent(c, c->tail)->next = i;
	else
		c->head = i;
	c->tail = i;
	x->listed = true;
}

static void lru_push_front(struct bcache *c, int32_t i)
{
	struct entry *x = ent(c, i);

	x->prev = NONE;
	x->next = c->head;
	if (c->head != NONE)
		ent(c, c->head)->prev = i;
	else
		c->tail = i;
	c->head = i;
	x->listed = true;
}

static int32_t lookup(struct bcache *c, uint64_t block)
{
	for (int32_t i = c->hash[hash_of(c, block)]; i != NONE; i = ent(c, i)->hnext)
		if (ent(c, i)->pub.block == block)
			return i;
	return NONE;
}

static void hash_remove(struct bcache *c, int32_t i)
{
	int32_t *p = &c->hash[hash_of(c, ent(c, i)->pub.block)];

	while (*p != NONE && *p != i)
		p = &ent(c, *p)->hnext;
	if (*p == i)
		*p = ent(c, i)->hnext;
	ent(c, i)->hnext = NONE;
}

static void hash_insert(struct bcache *c, int32_t i)
{
	uint32_t h = hash_of(c, ent(c, i)->pub.block);

	ent(c, i)->hnext = c->hash[h];
	c->hash[h] = i;
}

static fs_err_t dev_read(struct bcache *c, uint64_t block, uint32_t n, void *buf)
{
	c->st.reads++;
	return c->dev->read(c->dev->ctx, block * c->ratio, n * c->ratio, buf);
}

static fs_err_t dev_write(struct bcache *c, uint64_t block, uint32_t n, const void *buf)
{
	c->st.writes++;
	return c->dev->write(c->dev->ctx, block * c->ratio, n * c->ratio, buf);
}

struct bcache *bcache_create(struct blk_dev *dev, uint32_t block_size, uint32_t nbufs)
{
	struct bcache *c;
	uint32_t hsize = 1;

	if (!dev || !dev->block_size || !block_size || block_size % dev->block_size || !nbufs ||
	    nbufs > (1u << 24))
		return 0;
	while (hsize < 2 * nbufs)
		hsize <<= 1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return 0;
	c->dev = dev;
	c->bs = block_size;
	c->ratio = block_size / dev->block_size;
	c->nblocks = dev->count / c->ratio;
	c->nbufs = nbufs;
	c->hmask = hsize - 1;
	c->e = calloc(nbufs, sizeof(*c->e));
	c->hash = malloc(hsize * sizeof(*c->hash));
	c->order = malloc(nbufs * sizeof(*c->order));
	c->data = malloc((size_t)nbufs * block_size);
	c->stage = malloc((size_t)STAGE_BLOCKS * block_size);
	if (!c->e || !c->hash || !c->order || !c->data || !c->stage) {
		bcache_destroy(c);
		return 0;
	}
	for (uint32_t i = 0; i < hsize; i++)
		c->hash[i] = NONE;
	c->head = c->tail = NONE;
	for (uint32_t i = 0; i < nbufs; i++) {
		c->e[i].pub.data = c->data + (size_t)i * block_size;
		c->e[i].hnext = NONE;
		lru_push_back(c, (int32_t)i);
	}
	return c;
}

void bcache_destroy(struct bcache *c)
{
	if (!c)
		return;
	free(c->e);
	free(c->hash);
	free(c->order);
	free(c->data);
	free(c->stage);
	free(c);
}

fs_err_t bcache_get(struct bcache *c, uint64_t block, bool fill, struct bcache_buf **b)
{
	int32_t i = lookup(c, block);
	struct entry *x;
	fs_err_t err;

	*b = 0;
	if (block >= c->nblocks)
		return FS_E_INVAL;
	if (i != NONE) {
		c->st.hits++;
		x = ent(c, i);
		lru_unlink(c, i);
		x->pins++;
		*b = &x->pub;
		return FS_OK;
	}
	c->st.misses++;
	i = c->head;
	if (i == NONE)
		return FS_E_NOMEM;
	x = ent(c, i);
	if (x->valid && x->dirty) {
		err = dev_write(c, x->pub.block, 1, x->pub.data);
		if (err != FS_OK)
			return err;
		x->dirty = false;
	}
	if (x->valid) {
		c->st.evictions++;
		hash_remove(c, i);
		x->valid = false;
	}
	if (fill) {
		err = dev_read(c, block, 1, x->pub.data);
		if (err != FS_OK)
			return err;   /* x stays invalid at the front */
	} else {
		memset(x->pub.data, 0, c->bs);
	}
	lru_unlink(c, i);
	x->pub.block = block;
	x->valid = true;
	x->pins = 1;
	hash_insert(c, i);
	*b = &x->pub;
	return FS_OK;
}

void bcache_dirty(struct bcache *c, struct bcache_buf *b)
{
	(void)c;
	((struct entry *)b)->dirty = true;
}

void bcache_put(struct bcache *c, struct bcache_buf *b)
{
	struct entry *x = (struct entry *)b;

	if (!x || !x->pins)
		return;
	if (!--x->pins)
		lru_push_back(c, (int32_t)(x - c->e));
}

void bcache_forget(struct bcache *c, uint64_t block)
{
	int32_t i = lookup(c, block);
	struct entry *x;

	if (i == NONE)
		return;
	x = ent(c, i);
	if (x->pins)
		return;
	hash_remove(c, i);
	x->valid = x->dirty = false;
	lru_unlink(c, i);
	lru_push_front(c, i);
}

static bool range_ok(struct bcache *c, uint64_t block, uint32_t n)
{
	return n && block < c->nblocks && n <= c->nblocks - block &&
	       (uint64_t)n * c->ratio <= UINT32_MAX;
}

fs_err_t bcache_read_direct(struct bcache *c, uint64_t block, uint32_t n, void *buf)
{
	uint8_t *out = buf;
	uint32_t run = 0;        /* uncached blocks before i, not read yet */
	fs_err_t err;

	if (!range_ok(c, block, n))
		return FS_E_INVAL;
	for (uint32_t i = 0; i <= n; i++) {
		int32_t k = i < n ? lookup(c, block + i) : NONE;
		if (i < n && k == NONE) {
			run++;
			continue;
		}
		if (run) {
			err = dev_read(c, block + i - run, run, out + (size_t)(i - run) * c->bs);
			if (err != FS_OK)
				return err;
			run = 0;
		}
		if (i < n) {
			c->st.hits++;
			memcpy(out + (size_t)i * c->bs, ent(c, k)->pub.data, c->bs);
		}
	}
	return FS_OK;
}

fs_err_t bcache_write_direct(struct bcache *c, uint64_t block, uint32_t n, const void *buf)
{
	const uint8_t *in = buf;
	fs_err_t err;

	if (!range_ok(c, block, n))
		return FS_E_INVAL;
	err = dev_write(c, block, n, buf);
	if (err != FS_OK)
		return err;
	for (uint32_t i = 0; i < n; i++) {
		int32_t k = lookup(c, block + i);
		if (k != NONE) {
			memcpy(ent(c, k)->pub.data, in + (size_t)i * c->bs, c->bs);
			ent(c, k)->dirty = false;
		}
	}
	return FS_OK;
}

/* Shell sort of the dirty entries' indices by block number. */
static void sort_order(struct bcache *c, uint32_t n)
{
	static const uint32_t gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };

	for (unsigned g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		uint32_t gap = gaps[g];
		for (uint32_t i = gap; i < n; i++) {
			int32_t v = c->order[i];
			uint64_t key = ent(c, v)->pub.block;
			uint32_t j = i;
			for (; j >= gap && ent(c, c->order[j - gap])->pub.block > key; j -= gap)
				c->order[j] = c->order[j - gap];
			c->order[j] = v;
		}
	}
}

fs_err_t bcache_flush(struct bcache *c)
{
	uint32_t n = 0, i = 0;
	fs_err_t err;

	for (uint32_t k = 0; k < c->nbufs; k++)
		if (c->e[k].valid && c->e[k].dirty)
			c->order[n++] = (int32_t)k;
	sort_order(c, n);
	while (i < n) {
		struct entry *first = ent(c, c->order[i]);
		uint32_t run = 1;
		while (i + run < n && run < STAGE_BLOCKS &&
		       ent(c, c->order[i + run])->pub.block == first->pub.block + run)
			run++;
		if (run == 1) {
			err = dev_write(c, first->pub.block, 1, first->pub.data);
		} else {
			for (uint32_t k = 0; k < run; k++)
				memcpy(c->stage + (size_t)k * c->bs, ent(c, c->order[i + k])->pub.data,
				       c->bs);
			err = dev_write(c, first->pub.block, run, c->stage);
		}
		if (err != FS_OK)
			return err;
		for (uint32_t k = 0; k < run; k++)
			ent(c, c->order[i + k])->dirty = false;
		i += run;
	}
	return FS_OK;
}

fs_err_t bcache_sync(struct bcache *c)
{
	fs_err_t err = bcache_flush(c);

	if (err != FS_OK)
		return err;
	return c->dev->sync ? c->dev->sync(c->dev->ctx) : FS_OK;
}

void bcache_stats(const struct bcache *c, struct bcache_stats *s)
{
	*s = c->st;
	s->dirty = s->pinned = 0;
	for (uint32_t k = 0; k < c->nbufs; k++) {
		s->dirty += c->e[k].valid && c->e[k].dirty;
		s->pinned += c->e[k].pins != 0;
	}
}
