/*
 * struct blk_dev over a Block session (block_blk_dev.h): the synchronous
 * helpers of block_client.c, their statuses as fs_err_t.
 */
#include <argil/log.h>
#include <block_blk_dev.h>

static fs_err_t status(struct block_connection *c, const char *what, uint64_t block,
		       unsigned st)
{
	switch (st) {
	case PS_STATUS_OK:
		return FS_OK;
	case BLOCK_STATUS_READONLY:
		return FS_E_ROFS;
	case BLOCK_STATUS_RANGE:
		return FS_E_INVAL;
	}
	log("error: Block session '%lu': %s at block %lu: %s", (unsigned long)c->pc.id, what,
	    (unsigned long)block, block_status_name(st));
	return FS_E_IO;
}

static fs_err_t dev_read(void *ctx, uint64_t block, uint32_t n, void *buf)
{
	struct block_connection *c = ctx;

	return status(c, "read", block, block_read(c, block, n, buf));
}

static fs_err_t dev_write(void *ctx, uint64_t block, uint32_t n, const void *buf)
{
	struct block_connection *c = ctx;

	if (!(c->flags & BLOCK_WRITABLE))
		return FS_E_ROFS;
	return status(c, "write", block, block_write(c, block, n, buf));
}

static fs_err_t dev_sync(void *ctx)
{
	struct block_connection *c = ctx;

	if (!(c->flags & BLOCK_WRITABLE))
		return FS_OK;   /* nothing was written */
	return status(c, "sync", 0, block_sync(c));
}

void block_blk_dev(struct block_connection *c, struct blk_dev *dev)
{
	dev->block_size = c->block_size;
	dev->count = c->count;
	dev->writable = c->flags & BLOCK_WRITABLE;
	dev->ctx = c;
	dev->read = dev_read;
	dev->write = dev_write;
	dev->sync = dev_sync;
}
