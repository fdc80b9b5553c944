/*
 * The block cache of lib/fs (docs/storage.md): a write-back cache of a
 * file system's blocks over a struct blk_dev, for metadata above all
 * (ext2's bitmaps, inode tables, directories, indirect blocks; FAT's table
 * and directories). File data of large reads and writes may bypass it
 * (bcache_read_direct, bcache_write_direct), coherent with what it holds.
 *
 * A cache block is a file-system block: a whole multiple of the device's
 * block size. Buffers are pinned between get and put; an unpinned buffer
 * may be evicted (the least recently used first; written back first when
 * dirty). When every buffer is pinned, get fails with FS_E_NOMEM.
 * bcache_sync writes every dirty block in ascending order (neighbours in
 * one request) and then syncs the device.
 *
 * Not thread-safe: one thread per cache.
 */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include <fs.h>

struct bcache;

struct bcache_buf {
	uint64_t block;          /* in file-system blocks */
	uint8_t *data;           /* block_size bytes */
};

/* A cache of nbufs blocks of block_size bytes (a multiple of dev's block
 * size) on dev. NULL when out of memory or block_size is not a multiple. */
struct bcache *bcache_create(struct blk_dev *dev, uint32_t block_size, uint32_t nbufs);
/* Frees the cache; dirty blocks are lost (call bcache_sync first). */
void bcache_destroy(struct bcache *c);

/* The block, pinned. fill: read it from the device when not cached;
 * !fill: the caller overwrites all of it (the data is zeroed, not read).
 * FS_E_INVAL for a block beyond the device (the caller's bug or a corrupt
 * pointer: the caller says which), FS_E_IO, FS_E_NOMEM. */
fs_err_t bcache_get(struct bcache *c, uint64_t block, bool fill, struct bcache_buf **b);
/* Mark a pinned buffer as changed. */
void bcache_dirty(struct bcache *c, struct bcache_buf *b);
/* Unpin. */
void bcache_put(struct bcache *c, struct bcache_buf *b);
/* Drop a block without writing it back (it was freed). It must not be pinned. */
void bcache_forget(struct bcache *c, uint64_t block);

/* n blocks from block on, straight between the device and buf, coherent
 * with the cache: a read takes cached blocks (they may be newer than the
 * disk) from the cache; a write also updates cached copies, which are then
 * clean (the device has their data). */
fs_err_t bcache_read_direct(struct bcache *c, uint64_t block, uint32_t n, void *buf);
fs_err_t bcache_write_direct(struct bcache *c, uint64_t block, uint32_t n, const void *buf);

/* Write every dirty block back (without syncing the device). */
fs_err_t bcache_flush(struct bcache *c);
/* bcache_flush, then the device's sync. */
fs_err_t bcache_sync(struct bcache *c);

struct bcache_stats {
	uint64_t hits, misses, reads, writes, evictions;
	uint32_t dirty, pinned;
};
void bcache_stats(const struct bcache *c, struct bcache_stats *s);

#endif
