/*
 * ext2: a regular file's data. Whole blocks go straight between the
 * caller's buffer and the disk, neighbouring disk blocks in one request
 * (bcache_read_direct / bcache_write_direct, up to RUN_BYTES); parts of
 * blocks go through the cache. Holes read as zeros; a write into a hole
 * allocates there, next to the block before it where it can.
 */
#include "ext2_int.h"

#define RUN_BYTES (1024u * 1024u)

/* Contiguous disk blocks waiting for one request. */
struct run {
	uint32_t pb, n;
	uint8_t *buf;
};

static fs_err_t run_flush(struct ext2_fs *fs, struct run *r, bool write)
{
	fs_err_t e = FS_OK;

	if (r->n)
		e = write ? bcache_write_direct(fs->cache, r->pb, r->n, r->buf)
			  : bcache_read_direct(fs->cache, r->pb, r->n, r->buf);
	r->n = 0;
	return e;
}

/* Adds n blocks from pb on (their data at buf) to the run, flushing it
 * first when they do not continue it or it would grow beyond RUN_BYTES. */
static fs_err_t run_add(struct ext2_fs *fs, struct run *r, uint32_t pb, uint32_t n, uint8_t *buf, bool write)
{
	fs_err_t e;

	if (r->n && (pb != r->pb + r->n || buf != r->buf + (size_t)r->n * fs->block_size ||
		     (uint64_t)(r->n + n) * fs->block_size > RUN_BYTES) &&
	    (e = run_flush(fs, r, write)))
		return e;
	if (!r->n) {
		r->pb = pb;
		r->buf = buf;
	}
	r->n += n;
	return FS_OK;
}

fs_err_t ext2_file_read(struct ext2_fs *fs, struct ext2_ino *in, uint64_t off, void *buf, size_t len,
			size_t *done)
{
	uint32_t bs = fs->block_size, max_run = RUN_BYTES / bs;
	uint64_t size = ext2_inode_size(in);
	uint8_t *out = buf;
	size_t got = 0;
	fs_err_t e = FS_OK;

	*done = 0;
	if (off >= size)
		return FS_OK;
	if (len > size - off)
		len = (size_t)(size - off);
	while (got < len) {
		uint64_t lb = off / bs;
		uint32_t boff = (uint32_t)(off % bs), pb, n;
		size_t whole = boff ? 0 : (len - got) / bs;   /* whole blocks from here */
		if ((e = ext2_bmap_run(fs, in, lb, whole < max_run ? (uint32_t)whole : max_run, &pb, &n)))
			break;
		if (whole) {   /* n whole blocks: zeros, or one request */
			size_t bytes = (size_t)n * bs;
			if (!pb)
				memset(out + got, 0, bytes);
			else if ((e = bcache_read_direct(fs->cache, pb, n, out + got)))
				break;
			got += bytes;
			off += bytes;
			continue;
		}
		size_t part = bs - boff < len - got ? bs - boff : len - got;
		if (!pb) {
			memset(out + got, 0, part);
		} else {
			struct bcache_buf *b;
			if ((e = bcache_get(fs->cache, pb, true, &b)))
				break;
			memcpy(out + got, b->data + boff, part);
			bcache_put(fs->cache, b);
		}
		got += part;
		off += part;
	}
	if (!e)
		*done = got;
	return e;
}

/* Zeros the last block's bytes from the end of the file on (before the
 * file grows past it: they must read as zeros). */
static fs_err_t zero_tail(struct ext2_fs *fs, struct ext2_ino *in, uint64_t size)
{
	uint32_t bs = fs->block_size, boff = (uint32_t)(size % bs), pb;
	struct bcache_buf *b;
	fs_err_t e;

	if (!boff)
		return FS_OK;
	if ((e = ext2_bmap(fs, in, size / bs, 0, false, &pb, NULL)) || !pb)
		return e;
	if ((e = bcache_get(fs->cache, pb, true, &b)))
		return e;
	for (uint32_t i = boff; i < bs; i++)
		if (b->data[i]) {
			memset(b->data + boff, 0, bs - boff);
			bcache_dirty(fs->cache, b);
			break;
		}
	bcache_put(fs->cache, b);
	return FS_OK;
}

fs_err_t ext2_file_write(struct ext2_fs *fs, struct ext2_ino *in, uint64_t off, const void *buf, size_t len,
			 size_t *done)
{
	uint32_t bs = fs->block_size, goal = 0, max_run = RUN_BYTES / bs;
	uint64_t size = ext2_inode_size(in), max = ext2_max_size(fs);
	struct run r = { 0, 0, NULL };
	uint8_t *src = (uint8_t *)buf;   /* only ever read: run_flush writes from it */
	size_t put = 0;
	fs_err_t e = FS_OK;

	*done = 0;
	if (off >= max)
		return len ? FS_E_FBIG : FS_OK;
	if (len > max - off)
		len = (size_t)(max - off);
	if (!len)
		return FS_OK;
	if (off > size && (e = zero_tail(fs, in, size)))
		return e;
	if (off / bs && (e = ext2_bmap(fs, in, off / bs - 1, 0, false, &goal, NULL)))
		return e;
	while (put < len) {
		uint64_t lb = off / bs;
		uint32_t boff = (uint32_t)(off % bs), pb, n = 1;
		size_t whole = boff ? 0 : (len - put) / bs;   /* whole blocks from here */
		uint32_t lim = whole < max_run ? (uint32_t)whole : max_run;
		bool fresh;
		if (whole) {
			/* blocks already there in a row, or a hole filled in a row */
			if ((e = ext2_bmap_run(fs, in, lb, lim, &pb, &n)))
				break;
			if (!pb) {
				if ((e = ext2_bmap(fs, in, lb, goal ? goal + 1 : 0, true, &pb, &fresh)))
					break;
				uint32_t more;
				if ((e = ext2_bmap_extend(fs, in, lb, pb, lim - 1, &more)))
					break;
				n = 1 + more;
			}
			if ((e = run_add(fs, &r, pb, n, src + put, true)))
				break;
			goal = pb + n - 1;
			put += (size_t)n * bs;
			off += (uint64_t)n * bs;
			continue;
		}
		size_t part = bs - boff < len - put ? bs - boff : len - put;
		if ((e = ext2_bmap(fs, in, lb, goal ? goal + 1 : 0, true, &pb, &fresh)))
			break;
		goal = pb;
		struct bcache_buf *b;
		if ((e = bcache_get(fs->cache, pb, !fresh, &b)))
			break;
		memcpy(b->data + boff, src + put, part);
		bcache_dirty(fs->cache, b);
		bcache_put(fs->cache, b);
		put += part;
		off += part;
	}
	fs_err_t fe = run_flush(fs, &r, true);
	if (!e || e == FS_E_NOSPC)
		e = fe ? fe : e;
	if (put && e == FS_E_NOSPC)
		e = FS_OK;
	if (off > size && put)
		ext2_inode_set_size(fs, in, off);
	if (put)
		ext2_touch(fs, in, true, true);
	fs_err_t we = ext2_inode_write(fs, in);   /* blocks allocated before a failure stay the file's */
	if (!e)
		e = we;
	if (!e)
		*done = put;
	return e;
}

fs_err_t ext2_file_truncate(struct ext2_fs *fs, struct ext2_ino *in, uint64_t size)
{
	uint32_t bs = fs->block_size;
	uint64_t old = ext2_inode_size(in);
	fs_err_t e = FS_OK;

	if (size > ext2_max_size(fs))
		return FS_E_FBIG;
	if (size < old) {
		if ((e = ext2_free_from(fs, in, (size + bs - 1) / bs)) == FS_OK)
			e = zero_tail(fs, in, size);
	} else if (size > old) {
		e = zero_tail(fs, in, old);
	}
	if (!e)
		ext2_inode_set_size(fs, in, size);
	ext2_touch(fs, in, true, true);
	fs_err_t we = ext2_inode_write(fs, in);
	return e ? e : we;
}
