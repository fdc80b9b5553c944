/*
 * ext2: inodes in the inode tables, their times and sizes, the map from a
 * file's logical blocks to disk blocks (twelve direct pointers, then
 * single, double and triple indirect blocks), freeing the tail of a map,
 * and releasing an inode whose last link went.
 *
 * Every block number taken from an inode or an indirect block is checked
 * with ext2_block_ok before use; an indirect block that names itself or an
 * ancestor is corruption (it would otherwise be freed while pinned).
 */
#include "ext2_int.h"

fs_err_t ext2_inode_read(struct ext2_fs *fs, uint64_t num, struct ext2_ino *in)
{
	uint32_t ipg = fs->sb.s_inodes_per_group;
	struct bcache_buf *b;
	fs_err_t e;

	if (num == 0 || num > fs->sb.s_inodes_count || (num < fs->first_ino && num != EXT2_ROOT_INO))
		return FS_E_INVAL;
	uint32_t g = (uint32_t)((num - 1) / ipg);
	uint64_t byte = (uint64_t)((num - 1) % ipg) * fs->inode_size;
	uint32_t off = (uint32_t)(byte % fs->block_size);
	if ((e = bcache_get(fs->cache, fs->gd[g].bg_inode_table + byte / fs->block_size, true, &b)))
		return e;
	memset(in, 0, sizeof(*in));
	in->num = (uint32_t)num;
	memcpy(&in->d, b->data + off, fs->inode_size < sizeof(in->d) ? fs->inode_size : sizeof(in->d));
	bcache_put(fs->cache, b);
	if (fs->inode_size > EXT2_GOOD_OLD_INODE_SIZE) {
		uint32_t x = in->d.i_extra_isize;
		if (x > fs->inode_size - EXT2_GOOD_OLD_INODE_SIZE || (x & 3))
			return ext2_corrupt(fs, "inode %u: extra size %u", in->num, x);
		in->extra = x < EXT2_INODE_EXTRA_MAX ? x : EXT2_INODE_EXTRA_MAX;
	}
	/* what lies beyond the inode's own extra fields is not ours to read */
	memset((uint8_t *)&in->d + EXT2_GOOD_OLD_INODE_SIZE + in->extra, 0,
	       sizeof(in->d) - EXT2_GOOD_OLD_INODE_SIZE - in->extra);
	if (!in->d.i_links_count)
		return FS_E_STALE;
	if (in->d.i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL))
		return ext2_corrupt(fs, "inode %u has extents or inline data (flags 0x%x)", in->num,
				    in->d.i_flags);
	uint32_t type = in->d.i_mode & EXT2_S_IFMT;
	if (type == EXT2_S_IFDIR && (in->d.i_size_high || in->d.i_size % fs->block_size ||
				     in->d.i_size / fs->block_size > fs->sb.s_blocks_count))
		return ext2_corrupt(fs, "directory %u has size %u", in->num, in->d.i_size);
	return FS_OK;
}

fs_err_t ext2_inode_write(struct ext2_fs *fs, struct ext2_ino *in)
{
	uint32_t ipg = fs->sb.s_inodes_per_group;
	struct bcache_buf *b;
	fs_err_t e;
	uint32_t g = (in->num - 1) / ipg;
	uint64_t byte = (uint64_t)((in->num - 1) % ipg) * fs->inode_size;
	uint32_t off = (uint32_t)(byte % fs->block_size);

	if ((e = bcache_get(fs->cache, fs->gd[g].bg_inode_table + byte / fs->block_size, true, &b)))
		return e;
	if (in->fresh)   /* a new inode: nothing of its former life stays */
		memset(b->data + off, 0, fs->inode_size);
	in->fresh = false;
	memcpy(b->data + off, &in->d, EXT2_GOOD_OLD_INODE_SIZE + in->extra);
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	return FS_OK;
}

uint64_t ext2_inode_size(const struct ext2_ino *in)
{
	return in->d.i_size | (uint64_t)in->d.i_size_high << 32;
}

void ext2_inode_set_size(struct ext2_fs *fs, struct ext2_ino *in, uint64_t size)
{
	in->d.i_size = (uint32_t)size;
	in->d.i_size_high = (uint32_t)(size >> 32);
	if (size > 0x7fffffffu && !(fs->sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		fs->sb.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		fs->sb_dirty = true;
	}
}

uint64_t ext2_max_size(const struct ext2_fs *fs)
{
	uint64_t p = fs->ptrs;
	uint64_t blocks = EXT2_NDIR + p + p * p + p * p * p;
	uint64_t max = blocks * fs->block_size;
	/* i_blocks counts 512-byte units in 32 bits (data and indirect blocks) */
	uint64_t by_count = (0xffffffffull / (fs->block_size / 512) * fs->block_size) / 2;

	if (fs->sb.s_rev_level == 0)
		return 0x7fffffffu;
	return max < by_count ? max : by_count;
}

/* Where each time's epoch bits are, and how many extra bytes they need. */
static uint32_t *time_field(struct ext2_ino *in, enum ext2_time which, uint32_t **extra, uint32_t *need)
{
	switch (which) {
	case EXT2_ATIME: *extra = &in->d.i_atime_extra; *need = 16; return &in->d.i_atime;
	case EXT2_MTIME: *extra = &in->d.i_mtime_extra; *need = 12; return &in->d.i_mtime;
	case EXT2_CTIME: *extra = &in->d.i_ctime_extra; *need = 8; return &in->d.i_ctime;
	case EXT2_CRTIME: break;
	}
	*extra = &in->d.i_crtime_extra;
	*need = 24;
	return &in->d.i_crtime;
}

int64_t ext2_time(const struct ext2_ino *in, enum ext2_time which)
{
	uint32_t *extra, need;
	const uint32_t *lo = time_field((struct ext2_ino *)in, which, &extra, &need);
	int64_t t = (int32_t)*lo;

	if (in->extra >= need)
		t += (int64_t)(*extra & 3) << 32;
	return t;
}

void ext2_set_time(struct ext2_ino *in, enum ext2_time which, int64_t t)
{
	uint32_t *extra, need;
	uint32_t *lo = time_field(in, which, &extra, &need);

	if (in->extra >= need) {
		if (t < INT32_MIN)
			t = INT32_MIN;
		if (t > INT32_MAX + (3ll << 32))
			t = INT32_MAX + (3ll << 32);
		*lo = (uint32_t)t;
		*extra = (uint32_t)(((t - (int32_t)*lo) >> 32) & 3);   /* nanoseconds: 0 */
	} else {
		if (t < INT32_MIN)
			t = INT32_MIN;
		if (t > INT32_MAX)
			t = INT32_MAX;
		*lo = (uint32_t)t;
	}
}

void ext2_touch(struct ext2_fs *fs, struct ext2_ino *in, bool mtime, bool ctime)
{
	int64_t now = fs_now(fs->env);

	if (mtime)
		ext2_set_time(in, EXT2_MTIME, now);
	if (ctime)
		ext2_set_time(in, EXT2_CTIME, now);
}

bool ext2_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_ino *in)
{
	uint32_t ea = in->d.i_file_acl ? fs->block_size / 512 : 0;

	return (in->d.i_mode & EXT2_S_IFMT) == EXT2_S_IFLNK && in->d.i_blocks <= ea;
}

static fs_err_t check_ptr(struct ext2_fs *fs, const struct ext2_ino *in, uint32_t b)
{
	if (!ext2_block_ok(fs, b))
		return ext2_corrupt(fs, "inode %u: block pointer %u is outside the data blocks", in->num, b);
	return FS_OK;
}

/* A new block for in (an indirect one is zeroed), counted in i_blocks. */
static fs_err_t new_block(struct ext2_fs *fs, struct ext2_ino *in, uint32_t goal, bool indirect, uint32_t *b)
{
	fs_err_t e = ext2_alloc_block(fs, goal, b);

	if (e)
		return e;
	in->d.i_blocks += fs->block_size / 512;
	if (indirect) {
		struct bcache_buf *buf;
		if ((e = bcache_get(fs->cache, *b, false, &buf)))
			return e;
		bcache_dirty(fs->cache, buf);
		bcache_put(fs->cache, buf);
	}
	return FS_OK;
}

fs_err_t ext2_bmap(struct ext2_fs *fs, struct ext2_ino *in, uint64_t lb, uint32_t goal, bool alloc,
		   uint32_t *pb, bool *fresh)
{
	uint64_t p = fs->ptrs, span = 1;
	uint32_t depth, *slot;
	fs_err_t e;

	*pb = 0;
	if (fresh)
		*fresh = false;
	if (!goal) {
		uint32_t g = (in->num - 1) / fs->sb.s_inodes_per_group;
		goal = fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group;
	}
	if (lb < EXT2_NDIR) {
		depth = 0;
		slot = &in->d.i_block[lb];
	} else {
		lb -= EXT2_NDIR;
		for (depth = 1; depth <= 3; depth++) {
			span *= p;
			if (lb < span)
				break;
			lb -= span;
		}
		if (depth > 3)
			return FS_E_FBIG;
		slot = &in->d.i_block[EXT2_IND + depth - 1];
	}
	if (!*slot) {
		if (!alloc)
			return FS_OK;
		if ((e = new_block(fs, in, goal, depth > 0, slot)))
			return e;
		if (!depth && fresh)
			*fresh = true;
	} else if ((e = check_ptr(fs, in, *slot))) {
		return e;
	}
	uint32_t blk = *slot, path[3];
	for (uint32_t level = 0; level < depth; level++) {
		struct bcache_buf *b;
		span /= p;
		uint32_t idx = (uint32_t)(lb / span);
		lb %= span;
		path[level] = blk;
		if ((e = bcache_get(fs->cache, blk, true, &b)))
			return e;
		uint32_t next;
		memcpy(&next, b->data + idx * 4u, 4);
		bool last = level + 1 == depth;
		if (!next) {
			if (!alloc) {
				bcache_put(fs->cache, b);
				return FS_OK;
			}
			if ((e = new_block(fs, in, goal, !last, &next))) {
				bcache_put(fs->cache, b);
				return e;
			}
			memcpy(b->data + idx * 4u, &next, 4);
			bcache_dirty(fs->cache, b);
			if (last && fresh)
				*fresh = true;
		} else if ((e = check_ptr(fs, in, next))) {
			bcache_put(fs->cache, b);
			return e;
		}
		bcache_put(fs->cache, b);
		for (uint32_t k = 0; k <= level; k++)
			if (next == path[k])
				return ext2_corrupt(fs, "inode %u: indirect block %u names itself", in->num, next);
		blk = next;
	}
	*pb = blk;
	return FS_OK;
}

/* The indirect block that maps lb (>= EXT2_NDIR) directly and lb's index
 * in it; *leaf 0: a hole covers that whole block's range. */
static fs_err_t find_leaf(struct ext2_fs *fs, struct ext2_ino *in, uint64_t lb, uint32_t *leaf, uint32_t *idx)
{
	uint64_t p = fs->ptrs, span = 1;
	uint32_t depth, path[3];
	fs_err_t e;

	*leaf = 0;
	*idx = 0;
	lb -= EXT2_NDIR;
	for (depth = 1; depth <= 3; depth++) {
		span *= p;
		if (lb < span)
			break;
		lb -= span;
	}
	if (depth > 3)
		return FS_E_FBIG;
	uint32_t blk = in->d.i_block[EXT2_IND + depth - 1];
	for (uint32_t level = 0; blk; level++) {
		if ((e = check_ptr(fs, in, blk)))
			return e;
		for (uint32_t k = 0; k < level; k++)
			if (blk == path[k])
				return ext2_corrupt(fs, "inode %u: indirect block %u names itself", in->num, blk);
		span /= p;
		if (level + 1 == depth) {
			*leaf = blk;
			*idx = (uint32_t)lb;
			return FS_OK;
		}
		struct bcache_buf *b;
		path[level] = blk;
		if ((e = bcache_get(fs->cache, blk, true, &b)))
			return e;
		memcpy(&blk, b->data + (lb / span) * 4u, 4);
		bcache_put(fs->cache, b);
		lb %= span;
	}
	*idx = (uint32_t)lb;
	return FS_OK;
}

/* How many of the n pointers after ptr[0] continue its run: all zero after
 * a zero one, else the next disk blocks (each one a data block). */
static uint32_t run_of(const struct ext2_fs *fs, const uint8_t *ptrs, uint32_t n)
{
	uint32_t first, k;

	memcpy(&first, ptrs, 4);
	for (k = 1; k < n; k++) {
		uint32_t next;
		memcpy(&next, ptrs + k * 4u, 4);
		if (first ? next != first + k || !ext2_block_ok(fs, next) : next != 0)
			break;
	}
	return k;
}

fs_err_t ext2_bmap_run(struct ext2_fs *fs, struct ext2_ino *in, uint64_t lb, uint32_t max, uint32_t *pb,
		       uint32_t *n)
{
	uint32_t leaf, idx;
	struct bcache_buf *b;
	fs_err_t e;

	*pb = 0;
	*n = 1;
	if (!max)
		max = 1;
	if (lb < EXT2_NDIR) {
		uint32_t left = EXT2_NDIR - (uint32_t)lb;
		*pb = in->d.i_block[lb];
		if (*pb && (e = check_ptr(fs, in, *pb)))
			return e;
		*n = run_of(fs, (const uint8_t *)&in->d.i_block[lb], left < max ? left : max);
		return FS_OK;
	}
	if ((e = find_leaf(fs, in, lb, &leaf, &idx)))
		return e;
	uint32_t left = fs->ptrs - idx;
	if (!leaf) {   /* a hole to the end of the missing block's range, at least */
		*n = left < max ? left : max;
		return FS_OK;
	}
	if ((e = bcache_get(fs->cache, leaf, true, &b)))
		return e;
	memcpy(pb, b->data + idx * 4u, 4);
	if (*pb && (e = check_ptr(fs, in, *pb))) {
		bcache_put(fs->cache, b);
		return e;
	}
	*n = run_of(fs, b->data + idx * 4u, left < max ? left : max);
	bcache_put(fs->cache, b);
	return FS_OK;
}

fs_err_t ext2_bmap_extend(struct ext2_fs *fs, struct ext2_ino *in, uint64_t lb, uint32_t pb, uint32_t max,
			  uint32_t *got)
{
	uint32_t leaf, idx, zeros = 0, n;
	uint32_t spb = fs->block_size / 512;
	struct bcache_buf *b = NULL;
	uint8_t *ptrs;
	fs_err_t e;

	*got = 0;
	if (lb < EXT2_NDIR) {
		ptrs = (uint8_t *)&in->d.i_block[lb];
		idx = 0;
		n = EXT2_NDIR - (uint32_t)lb;
	} else {
		if ((e = find_leaf(fs, in, lb, &leaf, &idx)) || !leaf)
			return e;
		if ((e = bcache_get(fs->cache, leaf, true, &b)))
			return e;
		ptrs = b->data;
		n = fs->ptrs - idx;
	}
	/* the holes right after lb in the same map block */
	while (zeros < max && zeros + 1 < n) {
		uint32_t next;
		memcpy(&next, ptrs + (idx + zeros + 1) * 4u, 4);
		if (next)
			break;
		zeros++;
	}
	e = ext2_alloc_after(fs, pb + 1, zeros, got);
	if (!e) {
		for (uint32_t k = 0; k < *got; k++) {
			uint32_t v = pb + 1 + k;
			memcpy(ptrs + (idx + 1 + k) * 4u, &v, 4);
		}
		in->d.i_blocks += *got * spb;
		if (b && *got)
			bcache_dirty(fs->cache, b);
	}
	if (b)
		bcache_put(fs->cache, b);
	return e;
}

static void uncount(struct ext2_fs *fs, struct ext2_ino *in)
{
	uint32_t spb = fs->block_size / 512;

	in->d.i_blocks = in->d.i_blocks > spb ? in->d.i_blocks - spb : 0;
}

/* Frees the entries of indirect block blk (depth levels above the data)
 * from logical block `from` (relative to it) on; *empty when no entry is
 * left. anc: the blocks above it. */
static fs_err_t free_tree(struct ext2_fs *fs, struct ext2_ino *in, uint32_t blk, uint32_t depth, uint64_t from,
			  const uint32_t *anc, uint32_t nanc, bool *empty)
{
	uint64_t span = 1;
	struct bcache_buf *b;
	uint32_t chain[3];
	fs_err_t e;

	for (uint32_t i = 1; i < depth; i++)
		span *= fs->ptrs;
	if (nanc)
		memcpy(chain, anc, nanc * sizeof(*anc));
	chain[nanc] = blk;
	if ((e = bcache_get(fs->cache, blk, true, &b)))
		return e;
	*empty = true;
	for (uint32_t i = 0; i < fs->ptrs; i++) {
		uint32_t child;
		memcpy(&child, b->data + i * 4u, 4);
		if (!child)
			continue;
		uint64_t start = i * span;
		if (start + span <= from) {   /* wholly before the cut: kept */
			*empty = false;
			continue;
		}
		for (uint32_t k = 0; k <= nanc; k++)
			if (child == chain[k]) {
				e = ext2_corrupt(fs, "inode %u: indirect block %u names itself", in->num, child);
				goto out;
			}
		if ((e = check_ptr(fs, in, child)))
			goto out;
		if (depth > 1) {
			bool sub_empty;
			bcache_put(fs->cache, b);   /* not pinned across the descent */
			b = NULL;
			e = free_tree(fs, in, child, depth - 1, from > start ? from - start : 0, chain, nanc + 1,
				      &sub_empty);
			if (e)
				return e;
			if ((e = bcache_get(fs->cache, blk, true, &b)))
				return e;
			if (!sub_empty) {
				*empty = false;
				continue;
			}
		}
		if ((e = ext2_free_block(fs, child)))
			goto out;
		uncount(fs, in);
		child = 0;
		memcpy(b->data + i * 4u, &child, 4);
		bcache_dirty(fs->cache, b);
	}
	e = FS_OK;
out:
	if (b)
		bcache_put(fs->cache, b);
	return e;
}

fs_err_t ext2_free_from(struct ext2_fs *fs, struct ext2_ino *in, uint64_t from)
{
	uint64_t start = EXT2_NDIR, span = 1;
	fs_err_t e;

	for (uint64_t i = from; i < EXT2_NDIR; i++) {
		if (!in->d.i_block[i])
			continue;
		if ((e = check_ptr(fs, in, in->d.i_block[i])) || (e = ext2_free_block(fs, in->d.i_block[i])))
			return e;
		in->d.i_block[i] = 0;
		uncount(fs, in);
	}
	for (uint32_t depth = 1; depth <= 3; depth++) {
		uint32_t *slot = &in->d.i_block[EXT2_IND + depth - 1];
		span *= fs->ptrs;
		if (*slot && from < start + span) {
			bool empty;
			if ((e = check_ptr(fs, in, *slot)))
				return e;
			e = free_tree(fs, in, *slot, depth, from > start ? from - start : 0, NULL, 0, &empty);
			if (e)
				return e;
			if (empty) {
				if ((e = ext2_free_block(fs, *slot)))
					return e;
				*slot = 0;
				uncount(fs, in);
			}
		}
		start += span;
	}
	return FS_OK;
}

/* Drops one reference to the inode's extended attribute block. */
static fs_err_t drop_xattr(struct ext2_fs *fs, struct ext2_ino *in)
{
	uint32_t blk = in->d.i_file_acl, magic, refs;
	struct bcache_buf *b;
	fs_err_t e;

	if (!blk)
		return FS_OK;
	if ((e = check_ptr(fs, in, blk)) || (e = bcache_get(fs->cache, blk, true, &b)))
		return e;
	memcpy(&magic, b->data, 4);
	memcpy(&refs, b->data + 4, 4);
	if (magic != EXT2_XATTR_MAGIC || !refs) {
		bcache_put(fs->cache, b);
		return ext2_corrupt(fs, "inode %u: attribute block %u has magic 0x%x, %u references", in->num, blk,
				    magic, refs);
	}
	refs--;
	memcpy(b->data + 4, &refs, 4);
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	if (!refs && (e = ext2_free_block(fs, blk)))
		return e;
	in->d.i_file_acl = 0;
	uncount(fs, in);
	return FS_OK;
}

fs_err_t ext2_release(struct ext2_fs *fs, struct ext2_ino *in)
{
	bool dir = (in->d.i_mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
	uint32_t type = in->d.i_mode & EXT2_S_IFMT;
	fs_err_t e;

	if ((type == EXT2_S_IFREG || dir || type == EXT2_S_IFLNK) && !ext2_is_fast_symlink(fs, in) &&
	    (e = ext2_free_from(fs, in, 0)))
		return e;
	if ((e = drop_xattr(fs, in)))
		return e;
	in->d.i_links_count = 0;
	/* e2fsck takes a deleted inode with dtime 0 for one still in use, and
	 * a dtime below the inode count for a link of the orphan list: without
	 * a clock (or with one that early), the last mount time Linux recorded,
	 * at least the inode count */
	uint32_t dtime = (uint32_t)fs_now(fs->env);
	if (dtime < fs->sb.s_inodes_count)
		dtime = fs->sb.s_mtime > fs->sb.s_inodes_count ? fs->sb.s_mtime : fs->sb.s_inodes_count;
	in->d.i_dtime = dtime;
	ext2_inode_set_size(fs, in, 0);
	if ((e = ext2_inode_write(fs, in)))
		return e;
	return ext2_free_inode(fs, in->num, dir);
}
