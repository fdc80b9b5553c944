/*
 * ext2: mount (the superblock and the group descriptors, every value
 * checked before anything else trusts it), the features we accept, where
 * the fixed metadata lies, and statfs, sync and unmount.
 *
 * The superblock and the descriptors are kept in memory; changed
 * descriptors are copied into their block in the cache at once, the
 * superblock at sync. Backup copies in other groups are left as mkfs wrote
 * them (as Linux does; e2fsck only compares the primary).
 */
#include "ext2_int.h"

#if __STDC_HOSTED__
#include <stdio.h>
#else
#include <argil/printf.h>
#endif

#define CACHE_BYTES (1024u * 1024u)
#define CACHE_MIN_BUFS 64u

fs_err_t ext2_corrupt(struct ext2_fs *fs, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fs_log(fs->env, "ext2: corrupt: %s", line);
	return FS_E_CORRUPT;
}

struct feature {
	uint32_t bit;
	const char *name;
};

static const struct feature incompat_names[] = {
	{ 0x0001, "compression" }, { 0x0002, "filetype" }, { 0x0004, "needs_recovery" },
	{ 0x0008, "journal_dev" }, { 0x0010, "meta_bg" }, { 0x0040, "extent" },
	{ 0x0080, "64bit" }, { 0x0100, "mmp" }, { 0x0200, "flex_bg" }, { 0x0400, "ea_inode" },
	{ 0x1000, "dirdata" }, { 0x2000, "metadata_csum_seed" }, { 0x4000, "large_dir" },
	{ 0x8000, "inline_data" }, { 0x10000, "encrypt" }, { 0x20000, "casefold" },
};
static const struct feature ro_compat_names[] = {
	{ 0x0001, "sparse_super" }, { 0x0002, "large_file" }, { 0x0004, "btree_dir" },
	{ 0x0008, "huge_file" }, { 0x0010, "uninit_bg" }, { 0x0020, "dir_nlink" },
	{ 0x0040, "extra_isize" }, { 0x0080, "snapshot" }, { 0x0100, "quota" },
	{ 0x0200, "bigalloc" }, { 0x0400, "metadata_csum" }, { 0x0800, "replica" },
	{ 0x1000, "read-only" }, { 0x2000, "project" }, { 0x4000, "shared_blocks" },
	{ 0x8000, "verity" }, { 0x10000, "orphan_present" },
};

/* The name of the lowest bit of set (or "unknown"). */
static const char *feature_name(const struct feature *t, size_t n, uint32_t set, uint32_t *bit)
{
	*bit = set & -set;
	for (size_t i = 0; i < n; i++)
		if (t[i].bit == *bit)
			return t[i].name;
	return "unknown";
}

/* Does group g hold a copy of the superblock and the descriptors? All
 * groups do without sparse_super; with it 0, 1 and powers of 3, 5 and 7. */
static bool group_has_super(const struct ext2_fs *fs, uint32_t g)
{
	if (g <= 1 || !fs->sparse_super)
		return true;
	for (uint32_t base = 3; base <= 7; base += 2) {
		uint64_t p = base;
		while (p < g)
			p *= base;
		if (p == g)
			return true;
	}
	return false;
}

bool ext2_block_ok(const struct ext2_fs *fs, uint64_t b)
{
	uint32_t fdb = fs->sb.s_first_data_block;

	if (b < fdb || b >= fs->sb.s_blocks_count)
		return false;
	uint32_t g = (uint32_t)((b - fdb) / fs->sb.s_blocks_per_group);
	uint32_t rel = (uint32_t)((b - fdb) % fs->sb.s_blocks_per_group);
	if (fs->super_copy[g] && rel < fs->super_blocks)
		return false;
	const struct ext2_group_desc *d = &fs->gd[g];
	if (b == d->bg_block_bitmap || b == d->bg_inode_bitmap)
		return false;
	return !(b >= d->bg_inode_table && b < (uint64_t)d->bg_inode_table + fs->itable_blocks);
}

fs_err_t ext2_gd_changed(struct ext2_fs *fs, uint32_t g)
{
	uint32_t per = fs->block_size / sizeof(struct ext2_group_desc);
	struct bcache_buf *b;
	fs_err_t e = bcache_get(fs->cache, fs->sb.s_first_data_block + 1u + g / per, true, &b);

	if (e)
		return e;
	memcpy(b->data + (g % per) * sizeof(struct ext2_group_desc), &fs->gd[g], sizeof(fs->gd[g]));
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	return FS_OK;
}

fs_err_t ext2_write_super(struct ext2_fs *fs)
{
	uint64_t blk = EXT2_SUPER_OFFSET / fs->block_size;
	uint32_t off = EXT2_SUPER_OFFSET % fs->block_size;
	struct bcache_buf *b;
	fs_err_t e = bcache_get(fs->cache, blk, true, &b);

	if (e)
		return e;
	memcpy(b->data + off, &fs->sb, sizeof(fs->sb));
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	fs->sb_dirty = false;
	return FS_OK;
}

/* Reads the superblock straight from the device (the block size is not
 * known before it). */
static fs_err_t read_super(struct blk_dev *dev, const struct fs_env *env, struct ext2_super *sb)
{
	uint32_t bs = dev->block_size;
	uint32_t n = (EXT2_SUPER_OFFSET + EXT2_SUPER_SIZE + bs - 1) / bs;
	uint8_t *buf;
	fs_err_t e;

	if (bs < 512 || bs > 65536 || (bs & (bs - 1))) {
		fs_log(env, "ext2: device block size %u is not supported", bs);
		return FS_E_UNSUPPORTED;
	}
	if (dev->count < n) {
		fs_log(env, "ext2: corrupt: the device (%llu blocks) is too small for a superblock",
		       (unsigned long long)dev->count);
		return FS_E_CORRUPT;
	}
	buf = malloc((size_t)n * bs);
	if (!buf)
		return FS_E_NOMEM;
	e = dev->read(dev->ctx, 0, n, buf);
	if (!e)
		memcpy(sb, buf + EXT2_SUPER_OFFSET, sizeof(*sb));
	free(buf);
	return e;
}

/* Checks the superblock's geometry and derives the sizes from it. */
static fs_err_t check_super(struct ext2_fs *fs)
{
	struct ext2_super *sb = &fs->sb;
	uint32_t bit;

	if (sb->s_magic != EXT2_MAGIC)
		return ext2_corrupt(fs, "no ext2 magic in the superblock (0x%x)", sb->s_magic);
	if (sb->s_rev_level > 1)
		return ext2_corrupt(fs, "revision %u is unknown", sb->s_rev_level);
	if (sb->s_log_block_size > 6)
		return ext2_corrupt(fs, "block size 1024 << %u is impossible", sb->s_log_block_size);
	if (sb->s_log_block_size == 6) {   /* its rec_len of 65536 needs an encoding of its own */
		fs_log(fs->env, "ext2: blocks of 64 KiB are not supported: not mounted");
		return FS_E_UNSUPPORTED;
	}
	fs->block_size = 1024u << sb->s_log_block_size;
	if (fs->block_size < fs->dev->block_size) {
		fs_log(fs->env, "ext2: block size %u is smaller than the device's %u", fs->block_size,
		       fs->dev->block_size);
		return FS_E_UNSUPPORTED;
	}
	uint32_t compat = 0, incompat = 0, ro_compat = 0;   /* revision 0 has none */
	if (sb->s_rev_level == 0) {
		fs->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		fs->inode_size = sb->s_inode_size;
		fs->first_ino = sb->s_first_ino;
		compat = sb->s_feature_compat;
		incompat = sb->s_feature_incompat;
		ro_compat = sb->s_feature_ro_compat;
	}
	if (incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE) {
		const char *name = feature_name(incompat_names, sizeof(incompat_names) / sizeof(incompat_names[0]),
						incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE, &bit);
		fs_log(fs->env, "ext2: incompatible feature %s (0x%x) is not supported: not mounted", name, bit);
		return FS_E_UNSUPPORTED;
	}
	fs->filetype = incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	fs->sparse_super = ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER;
	uint32_t ro_known = EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	if ((ro_compat & ~ro_known) && !fs->readonly) {
		const char *name = feature_name(ro_compat_names, sizeof(ro_compat_names) / sizeof(ro_compat_names[0]),
						ro_compat & ~ro_known, &bit);
		fs_log(fs->env, "ext2: read-only compatible feature %s (0x%x) is not supported: mounted read-only",
		       name, bit);
		fs->readonly = true;
	}
	if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
	    (fs->inode_size & (fs->inode_size - 1)))
		return ext2_corrupt(fs, "inode size %u", fs->inode_size);
	if (sb->s_first_data_block != (fs->block_size == 1024 ? 1u : 0u))
		return ext2_corrupt(fs, "first data block %u with blocks of %u bytes", sb->s_first_data_block,
				    fs->block_size);
	uint64_t dev_blocks = fs->dev->count / (fs->block_size / fs->dev->block_size);
	if (sb->s_blocks_count <= sb->s_first_data_block + 1u || sb->s_blocks_count > dev_blocks)
		return ext2_corrupt(fs, "%u blocks on a device of %llu", sb->s_blocks_count,
				    (unsigned long long)dev_blocks);
	if (sb->s_blocks_per_group < 8 || sb->s_blocks_per_group > 8u * fs->block_size ||
	    sb->s_blocks_per_group % 8)
		return ext2_corrupt(fs, "%u blocks per group", sb->s_blocks_per_group);
	if (sb->s_inodes_per_group < 1 || sb->s_inodes_per_group > 8u * fs->block_size)
		return ext2_corrupt(fs, "%u inodes per group", sb->s_inodes_per_group);
	fs->groups = (uint32_t)(((uint64_t)sb->s_blocks_count - sb->s_first_data_block + sb->s_blocks_per_group - 1) /
				sb->s_blocks_per_group);
	if ((uint64_t)fs->groups * sb->s_inodes_per_group != sb->s_inodes_count)
		return ext2_corrupt(fs, "%u inodes are not %u groups of %u", sb->s_inodes_count, fs->groups,
				    sb->s_inodes_per_group);
	if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino >= sb->s_inodes_count)
		return ext2_corrupt(fs, "first inode %u of %u", fs->first_ino, sb->s_inodes_count);
	fs->itable_blocks = (uint32_t)(((uint64_t)sb->s_inodes_per_group * fs->inode_size + fs->block_size - 1) /
				       fs->block_size);
	fs->gdt_blocks = (uint32_t)(((uint64_t)fs->groups * sizeof(struct ext2_group_desc) + fs->block_size - 1) /
				    fs->block_size);
	uint32_t reserved = 0;
	if (compat & EXT2_FEATURE_COMPAT_RESIZE_INODE) {   /* its reserved blocks follow the descriptors */
		reserved = sb->s_reserved_gdt_blocks;
		if (reserved > fs->block_size / 4)
			return ext2_corrupt(fs, "%u reserved descriptor blocks", reserved);
	}
	fs->super_blocks = 1u + fs->gdt_blocks + reserved;
	if ((uint64_t)fs->super_blocks + 2 + fs->itable_blocks > sb->s_blocks_per_group)
		return ext2_corrupt(fs, "the metadata of a group does not fit in it");
	if (sb->s_free_blocks_count > sb->s_blocks_count || sb->s_free_inodes_count > sb->s_inodes_count)
		return ext2_corrupt(fs, "free counts beyond the totals");
	fs->ptrs = fs->block_size / 4;
	return FS_OK;
}

static fs_err_t load_groups(struct ext2_fs *fs)
{
	uint32_t per = fs->block_size / sizeof(struct ext2_group_desc);
	uint32_t fdb = fs->sb.s_first_data_block, bpg = fs->sb.s_blocks_per_group;
	uint64_t free_blocks = 0, free_inodes = 0;
	fs_err_t e;

	fs->gd = malloc((size_t)fs->groups * sizeof(*fs->gd));
	fs->gd_checked = calloc(fs->groups, 1);
	fs->super_copy = calloc(fs->groups, 1);
	if (!fs->gd || !fs->gd_checked || !fs->super_copy)
		return FS_E_NOMEM;
	for (uint32_t g = 0; g < fs->groups; g++)
		fs->super_copy[g] = group_has_super(fs, g);
	for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
		struct bcache_buf *b;
		uint32_t n = fs->groups - i * per < per ? fs->groups - i * per : per;
		if ((e = bcache_get(fs->cache, fdb + 1u + i, true, &b)))
			return e;
		memcpy(&fs->gd[i * per], b->data, n * sizeof(*fs->gd));
		bcache_put(fs->cache, b);
	}
	for (uint32_t g = 0; g < fs->groups; g++) {
		const struct ext2_group_desc *d = &fs->gd[g];
		uint64_t start = fdb + (uint64_t)g * bpg;
		uint64_t end = start + bpg < fs->sb.s_blocks_count ? start + bpg : fs->sb.s_blocks_count;
		uint64_t meta = fs->super_copy[g] ? fs->super_blocks : 0;
		if (d->bg_block_bitmap < start + meta || d->bg_block_bitmap >= end ||
		    d->bg_inode_bitmap < start + meta || d->bg_inode_bitmap >= end ||
		    d->bg_inode_table < start + meta || (uint64_t)d->bg_inode_table + fs->itable_blocks > end)
			return ext2_corrupt(fs, "group %u: bitmaps or inode table outside the group", g);
		if (d->bg_block_bitmap == d->bg_inode_bitmap ||
		    (d->bg_block_bitmap >= d->bg_inode_table &&
		     d->bg_block_bitmap < (uint64_t)d->bg_inode_table + fs->itable_blocks) ||
		    (d->bg_inode_bitmap >= d->bg_inode_table &&
		     d->bg_inode_bitmap < (uint64_t)d->bg_inode_table + fs->itable_blocks))
			return ext2_corrupt(fs, "group %u: bitmaps and inode table overlap", g);
		if (d->bg_free_blocks_count > end - start || d->bg_free_inodes_count > fs->sb.s_inodes_per_group ||
		    d->bg_used_dirs_count > fs->sb.s_inodes_per_group - d->bg_free_inodes_count)
			return ext2_corrupt(fs, "group %u: counts beyond the group's size", g);
		free_blocks += d->bg_free_blocks_count;
		free_inodes += d->bg_free_inodes_count;
	}
	/* The superblock's counts are a sum of the descriptors' (Linux too
	 * takes the sum); a difference is worth a line, not a refusal. */
	if (free_blocks != fs->sb.s_free_blocks_count || free_inodes != fs->sb.s_free_inodes_count) {
		fs_log(fs->env, "ext2: superblock free counts (%u blocks, %u inodes) differ from the groups' "
		       "(%llu, %llu): using the groups'", fs->sb.s_free_blocks_count, fs->sb.s_free_inodes_count,
		       (unsigned long long)free_blocks, (unsigned long long)free_inodes);
		fs->sb.s_free_blocks_count = (uint32_t)free_blocks;
		fs->sb.s_free_inodes_count = (uint32_t)free_inodes;
		fs->sb_dirty = true;
	}
	return FS_OK;
}

static void destroy(struct ext2_fs *fs)
{
	if (fs->cache)
		bcache_destroy(fs->cache);
	free(fs->gd);
	free(fs->gd_checked);
	free(fs->super_copy);
	free(fs);
}

fs_err_t ext2_mount(struct blk_dev *dev, unsigned flags, const struct fs_env *env, void **out)
{
	struct ext2_fs *fs = calloc(1, sizeof(*fs));
	struct ext2_ino root;
	fs_err_t e;

	if (!fs)
		return FS_E_NOMEM;
	fs->dev = dev;
	fs->env = env;
	fs->readonly = (flags & FS_MOUNT_READONLY) || !dev->writable;
	if ((e = read_super(dev, env, &fs->sb)) || (e = check_super(fs)))
		goto fail;
	/* CACHE_BYTES, or the whole file system when it is smaller */
	uint32_t nbufs = CACHE_BYTES / fs->block_size;
	nbufs = nbufs < CACHE_MIN_BUFS ? CACHE_MIN_BUFS : nbufs;
	nbufs = nbufs > fs->sb.s_blocks_count ? fs->sb.s_blocks_count : nbufs;
	fs->cache = bcache_create(dev, fs->block_size, nbufs);
	if (!fs->cache) {
		e = FS_E_NOMEM;
		goto fail;
	}
	if ((e = load_groups(fs)))
		goto fail;
	if ((e = ext2_inode_read(fs, EXT2_ROOT_INO, &root)))
		goto fail;
	if ((root.d.i_mode & EXT2_S_IFMT) != EXT2_S_IFDIR) {
		e = ext2_corrupt(fs, "the root inode is not a directory");
		goto fail;
	}
	fs->generation = fs->sb.s_wtime ^ fs->sb.s_free_inodes_count;
	*out = fs;
	return FS_OK;
fail:
	destroy(fs);
	return e;
}

fs_err_t ext2_statfs(void *h, struct fs_statfs *s)
{
	struct ext2_fs *fs = h;

	s->block_size = fs->block_size;
	s->blocks = fs->sb.s_blocks_count;
	s->blocks_free = fs->sb.s_free_blocks_count;
	s->files = fs->sb.s_inodes_count;
	s->files_free = fs->sb.s_free_inodes_count;
	s->readonly = fs->readonly;
	return FS_OK;
}

fs_err_t ext2_sync(void *h)
{
	struct ext2_fs *fs = h;
	fs_err_t e;

	if (fs->readonly)
		return FS_OK;
	int64_t now = fs_now(fs->env);
	fs->sb.s_wtime = (uint32_t)now;
	if ((e = ext2_write_super(fs)))
		return e;
	return bcache_sync(fs->cache);
}

fs_err_t ext2_unmount(void *h)
{
	struct ext2_fs *fs = h;
	fs_err_t e = ext2_sync(fs);

	destroy(fs);
	return e;
}
