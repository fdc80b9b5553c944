/*
 * ext2: block and inode allocation over the groups' bitmaps, keeping the
 * descriptors' and the superblock's counts in step with every bit.
 *
 * A bitmap is trusted only after its free bits were counted once and
 * agree with its descriptor (gd_checked); a bitmap that disagrees makes
 * every allocation or release in that group FS_E_CORRUPT. A block the
 * bitmap offers must not be fixed metadata, a block or inode released must
 * have been in use: anything else is corruption, not a silent fix.
 */
#include "ext2_int.h"

enum { CHECKED_BLOCKS = 1, CHECKED_INODES = 2, BAD_BLOCKS = 4, BAD_INODES = 8 };

static uint32_t group_blocks(const struct ext2_fs *fs, uint32_t g)
{
	uint64_t start = fs->sb.s_first_data_block + (uint64_t)g * fs->sb.s_blocks_per_group;
	uint64_t left = fs->sb.s_blocks_count - start;

	return left < fs->sb.s_blocks_per_group ? (uint32_t)left : fs->sb.s_blocks_per_group;
}

static uint32_t count_free(const uint8_t *map, uint32_t bits)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < bits / 8; i++)
		n += 8u - (uint32_t)__builtin_popcount(map[i]);
	for (uint32_t i = bits & ~7u; i < bits; i++)
		n += !(map[i / 8] & (1u << (i % 8)));
	return n;
}

/* The group's bitmap, pinned, checked against its descriptor. */
static fs_err_t get_bitmap(struct ext2_fs *fs, uint32_t g, bool inodes, struct bcache_buf **b)
{
	const struct ext2_group_desc *d = &fs->gd[g];
	uint8_t checked = inodes ? CHECKED_INODES : CHECKED_BLOCKS, bad = inodes ? BAD_INODES : BAD_BLOCKS;
	fs_err_t e;

	if (fs->gd_checked[g] & bad)
		return FS_E_CORRUPT;
	if ((e = bcache_get(fs->cache, inodes ? d->bg_inode_bitmap : d->bg_block_bitmap, true, b)))
		return e;
	if (fs->gd_checked[g] & checked)
		return FS_OK;
	uint32_t bits = inodes ? fs->sb.s_inodes_per_group : group_blocks(fs, g);
	uint32_t free_bits = count_free((*b)->data, bits);
	uint32_t want = inodes ? d->bg_free_inodes_count : d->bg_free_blocks_count;
	if (free_bits != want) {
		bcache_put(fs->cache, *b);
		fs->gd_checked[g] |= bad;
		return ext2_corrupt(fs, "group %u: the %s bitmap has %u free, the descriptor says %u", g,
				    inodes ? "inode" : "block", free_bits, want);
	}
	fs->gd_checked[g] |= checked;
	return FS_OK;
}

/* The first clear bit at or after from (wrapping around) below bits, or
 * UINT32_MAX. */
static uint32_t find_clear(const uint8_t *map, uint32_t bits, uint32_t from)
{
	if (from >= bits)
		from = 0;
	for (uint32_t pass = 0; pass < 2; pass++) {
		uint32_t i = pass ? 0 : from, end = pass ? from : bits;
		while (i < end) {
			uint64_t word;
			if (!(i & 63) && i + 64 <= end && (memcpy(&word, map + i / 8, 8), word == UINT64_MAX)) {
				i += 64;
				continue;
			}
			if (!(i & 7) && i + 8 <= end && map[i / 8] == 0xff) {
				i += 8;
				continue;
			}
			if (!(map[i / 8] & (1u << (i & 7))))
				return i;
			i++;
		}
	}
	return UINT32_MAX;
}

static void set_bit(uint8_t *map, uint32_t i, bool v)
{
	if (v)
		map[i / 8] |= (uint8_t)(1u << (i & 7));
	else
		map[i / 8] &= (uint8_t)~(1u << (i & 7));
}

static bool get_bit(const uint8_t *map, uint32_t i)
{
	return map[i / 8] & (1u << (i & 7));
}

fs_err_t ext2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *out)
{
	uint32_t fdb = fs->sb.s_first_data_block, bpg = fs->sb.s_blocks_per_group;
	struct bcache_buf *b;
	fs_err_t e;

	if (!fs->sb.s_free_blocks_count)
		return FS_E_NOSPC;
	if (goal < fdb || goal >= fs->sb.s_blocks_count)
		goal = fdb;
	uint32_t g0 = (goal - fdb) / bpg;
	for (uint32_t i = 0; i <= fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		if (!fs->gd[g].bg_free_blocks_count)
			continue;
		if ((e = get_bitmap(fs, g, false, &b)))
			return e;
		uint32_t bit = find_clear(b->data, group_blocks(fs, g), i ? 0 : (goal - fdb) % bpg);
		if (bit == UINT32_MAX) {
			bcache_put(fs->cache, b);
			return ext2_corrupt(fs, "group %u: no free block in its bitmap", g);
		}
		uint32_t blk = fdb + g * bpg + bit;
		if (!ext2_block_ok(fs, blk)) {
			bcache_put(fs->cache, b);
			fs->gd_checked[g] |= BAD_BLOCKS;
			return ext2_corrupt(fs, "group %u: metadata block %u is free in the bitmap", g, blk);
		}
		set_bit(b->data, bit, true);
		bcache_dirty(fs->cache, b);
		bcache_put(fs->cache, b);
		fs->gd[g].bg_free_blocks_count--;
		fs->sb.s_free_blocks_count--;
		fs->sb_dirty = true;
		*out = blk;
		return ext2_gd_changed(fs, g);
	}
	return FS_E_NOSPC;
}

fs_err_t ext2_alloc_after(struct ext2_fs *fs, uint32_t start, uint32_t max, uint32_t *got)
{
	uint32_t fdb = fs->sb.s_first_data_block, bpg = fs->sb.s_blocks_per_group, n = 0;
	struct bcache_buf *b;
	fs_err_t e;

	*got = 0;
	if (!max || start < fdb || start >= fs->sb.s_blocks_count)
		return FS_OK;
	uint32_t g = (start - fdb) / bpg, bit = (start - fdb) % bpg, bits = group_blocks(fs, g);
	if (max > fs->gd[g].bg_free_blocks_count)
		max = fs->gd[g].bg_free_blocks_count;
	if (!max)
		return FS_OK;
	if ((e = get_bitmap(fs, g, false, &b)))
		return e;
	while (n < max && bit + n < bits && !get_bit(b->data, bit + n) && ext2_block_ok(fs, start + n)) {
		set_bit(b->data, bit + n, true);
		n++;
	}
	if (n)
		bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	if (!n)
		return FS_OK;
	fs->gd[g].bg_free_blocks_count = (uint16_t)(fs->gd[g].bg_free_blocks_count - n);
	fs->sb.s_free_blocks_count -= n;
	fs->sb_dirty = true;
	*got = n;
	return ext2_gd_changed(fs, g);
}

fs_err_t ext2_free_block(struct ext2_fs *fs, uint32_t blk)
{
	uint32_t fdb = fs->sb.s_first_data_block, bpg = fs->sb.s_blocks_per_group;
	struct bcache_buf *b;
	fs_err_t e;

	if (!ext2_block_ok(fs, blk))
		return ext2_corrupt(fs, "freeing block %u, which is outside or metadata", blk);
	uint32_t g = (blk - fdb) / bpg, bit = (blk - fdb) % bpg;
	if ((e = get_bitmap(fs, g, false, &b)))
		return e;
	if (!get_bit(b->data, bit)) {
		bcache_put(fs->cache, b);
		return ext2_corrupt(fs, "block %u is freed but was not in use", blk);
	}
	set_bit(b->data, bit, false);
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	bcache_forget(fs->cache, blk);
	fs->gd[g].bg_free_blocks_count++;
	fs->sb.s_free_blocks_count++;
	fs->sb_dirty = true;
	return ext2_gd_changed(fs, g);
}

/* Where a new inode goes: a file beside its directory, a directory in a
 * group with at least the average of free inodes and the most free blocks
 * (spreading directories as Linux's older allocator does). */
static uint32_t inode_group(const struct ext2_fs *fs, uint32_t parent, bool dir)
{
	uint32_t pg = (parent - 1) / fs->sb.s_inodes_per_group;

	if (!dir)
		return pg < fs->groups ? pg : 0;
	uint32_t avg = fs->sb.s_free_inodes_count / fs->groups, best = pg, best_free = 0;
	for (uint32_t g = 0; g < fs->groups; g++) {
		const struct ext2_group_desc *d = &fs->gd[g];
		if (d->bg_free_inodes_count && d->bg_free_inodes_count >= avg &&
		    d->bg_free_blocks_count >= best_free) {
			best = g;
			best_free = d->bg_free_blocks_count;
		}
	}
	return best < fs->groups ? best : 0;
}

fs_err_t ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, bool dir, uint32_t *out)
{
	uint32_t ipg = fs->sb.s_inodes_per_group;
	struct bcache_buf *b;
	fs_err_t e;

	if (!fs->sb.s_free_inodes_count)
		return FS_E_NOSPC;
	uint32_t g0 = inode_group(fs, parent, dir);
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		if (!fs->gd[g].bg_free_inodes_count)
			continue;
		if ((e = get_bitmap(fs, g, true, &b)))
			return e;
		/* reserved inodes (below first_ino) are never handed out */
		uint32_t from = g * ipg + 1 < fs->first_ino ? fs->first_ino - 1 - g * ipg : 0;
		uint32_t bit = from < ipg ? find_clear(b->data, ipg, from) : UINT32_MAX;
		if (bit != UINT32_MAX && g * ipg + bit + 1 < fs->first_ino)
			bit = UINT32_MAX;   /* wrapped into the reserved ones */
		if (bit == UINT32_MAX) {
			bcache_put(fs->cache, b);
			if (g * ipg + 1 < fs->first_ino)
				continue;   /* only reserved inodes are free here */
			return ext2_corrupt(fs, "group %u: no free inode in its bitmap", g);
		}
		set_bit(b->data, bit, true);
		bcache_dirty(fs->cache, b);
		bcache_put(fs->cache, b);
		fs->gd[g].bg_free_inodes_count--;
		if (dir)
			fs->gd[g].bg_used_dirs_count++;
		fs->sb.s_free_inodes_count--;
		fs->sb_dirty = true;
		*out = g * ipg + bit + 1;
		return ext2_gd_changed(fs, g);
	}
	return FS_E_NOSPC;
}

fs_err_t ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	uint32_t ipg = fs->sb.s_inodes_per_group;
	struct bcache_buf *b;
	fs_err_t e;

	if (ino < fs->first_ino || ino > fs->sb.s_inodes_count)
		return ext2_corrupt(fs, "freeing inode %u", ino);
	uint32_t g = (ino - 1) / ipg, bit = (ino - 1) % ipg;
	if ((e = get_bitmap(fs, g, true, &b)))
		return e;
	if (!get_bit(b->data, bit)) {
		bcache_put(fs->cache, b);
		return ext2_corrupt(fs, "inode %u is freed but was not in use", ino);
	}
	set_bit(b->data, bit, false);
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	fs->gd[g].bg_free_inodes_count++;
	if (dir && fs->gd[g].bg_used_dirs_count)
		fs->gd[g].bg_used_dirs_count--;
	fs->sb.s_free_inodes_count++;
	fs->sb_dirty = true;
	return ext2_gd_changed(fs, g);
}
