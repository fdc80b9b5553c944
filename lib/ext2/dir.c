/*
 * ext2: directories, read linearly as lists of entries in blocks. Every
 * entry is checked when a walk reaches it, before anything of it is used:
 * rec_len at least a header, a multiple of 4 and inside the block, the
 * name inside its entry, the inode number a real one. A hole in a
 * directory is corruption.
 *
 * An indexed (htree) directory reads the same way: its index blocks look
 * like empty entries. Adding an entry to one clears its index flag, so
 * Linux and e2fsck read it linearly from then on instead of through an
 * index that no longer covers every name.
 */
#include "ext2_int.h"

uint8_t ext2_ft_of_mode(uint32_t mode)
{
	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG: return EXT2_FT_REG_FILE;
	case EXT2_S_IFDIR: return EXT2_FT_DIR;
	case 0020000: return 3;   /* character device */
	case 0060000: return 4;   /* block device */
	case 0010000: return 5;   /* fifo */
	case 0140000: return 6;   /* socket */
	case EXT2_S_IFLNK: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

static struct ext2_dirent entry_at(const uint8_t *data, uint32_t off)
{
	struct ext2_dirent d;

	memcpy(&d, data + off, sizeof(d));
	return d;
}

static void entry_put(uint8_t *data, uint32_t off, const struct ext2_dirent *d)
{
	memcpy(data + off, d, sizeof(*d));
}

/* Block lb of the directory, pinned (its entries are checked one by one
 * with entry_get as they are walked). */
static fs_err_t dir_block(struct ext2_fs *fs, struct ext2_ino *dir, uint64_t lb, struct bcache_buf **out)
{
	uint32_t pb;
	fs_err_t e;

	if ((e = ext2_bmap(fs, dir, lb, 0, false, &pb, NULL)))
		return e;
	if (!pb)
		return ext2_corrupt(fs, "directory %u has a hole at block %llu", dir->num, (unsigned long long)lb);
	return bcache_get(fs->cache, pb, true, out);
}

static fs_err_t __attribute__((noinline, cold))
entry_bad(struct ext2_fs *fs, const struct ext2_ino *dir, uint64_t lb, uint32_t off, const char *why)
{
	return ext2_corrupt(fs, "directory %u block %llu offset %u: %s", dir->num, (unsigned long long)lb, off, why);
}

/* The entry at off of block lb, checked: its record inside the block, its
 * name inside its record, its inode a real one. Walking a block from 0 by
 * rec_len with this check on every step ends exactly at its end. */
static inline fs_err_t entry_get(struct ext2_fs *fs, const struct ext2_ino *dir, uint64_t lb, const uint8_t *data,
				 uint32_t off, struct ext2_dirent *d)
{
	uint32_t bs = fs->block_size;

	if (off > bs - EXT2_DIRENT_HDR) {
		*d = (struct ext2_dirent){ 0, 0, 0, 0 };
		return entry_bad(fs, dir, lb, off, "entry header past the block");
	}
	*d = entry_at(data, off);
	if (d->rec_len < EXT2_DIRENT_HDR || (d->rec_len & 3) || d->rec_len > bs - off)
		return entry_bad(fs, dir, lb, off, "bad record length");
	if (!fs->filetype && d->file_type)
		return entry_bad(fs, dir, lb, off, "name longer than 255 bytes");
	if (!d->inode)
		return FS_OK;
	if (!d->name_len || EXT2_DIRENT_HDR + d->name_len > d->rec_len)
		return entry_bad(fs, dir, lb, off, "name outside its entry");
	if (d->inode > fs->sb.s_inodes_count || (d->inode < fs->first_ino && d->inode != EXT2_ROOT_INO))
		return entry_bad(fs, dir, lb, off, "impossible inode number");
	return FS_OK;
}

/* entry_get in a walk over a pinned block: unpins it on failure. */
#define ENTRY_OR_PUT(fs, dir, lb, b, off, d)                                             \
	do {                                                                             \
		fs_err_t entry_e_ = entry_get(fs, dir, lb, (b)->data, off, d);           \
		if (entry_e_) {                                                          \
			bcache_put((fs)->cache, b);                                      \
			return entry_e_;                                                 \
		}                                                                        \
	} while (0)

static uint64_t dir_blocks(const struct ext2_fs *fs, const struct ext2_ino *dir)
{
	return ext2_inode_size(dir) / fs->block_size;
}

static bool name_is(const uint8_t *data, uint32_t off, const struct ext2_dirent *d, const char *name, size_t len)
{
	return d->inode && d->name_len == len && !memcmp(data + off + EXT2_DIRENT_HDR, name, len);
}

/* Finds name: the block (pinned), the entry's offset in it and the
 * offset of the entry before it in the same block (UINT32_MAX: none). */
static fs_err_t find(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len, uint64_t *lb,
		     struct bcache_buf **out, uint32_t *off, uint32_t *prev)
{
	uint64_t n = dir_blocks(fs, dir);
	fs_err_t e;

	for (uint64_t i = 0; i < n; i++) {
		struct bcache_buf *b;
		uint32_t p = UINT32_MAX;
		if ((e = dir_block(fs, dir, i, &b)))
			return e;
		struct ext2_dirent d;
		for (uint32_t o = 0; o < fs->block_size; o += d.rec_len) {
			ENTRY_OR_PUT(fs, dir, i, b, o, &d);
			if (name_is(b->data, o, &d, name, len)) {
				*lb = i;
				*out = b;
				*off = o;
				*prev = p;
				return FS_OK;
			}
			p = o;
		}
		bcache_put(fs->cache, b);
	}
	return FS_E_NOENT;
}

fs_err_t ext2_dir_find(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len,
		       struct ext2_dirpos *pos)
{
	struct bcache_buf *b;
	uint32_t off, prev;
	uint64_t lb;
	fs_err_t e = find(fs, dir, name, len, &lb, &b, &off, &prev);

	if (e)
		return e;
	struct ext2_dirent d = entry_at(b->data, off);
	bcache_put(fs->cache, b);
	pos->off = lb * fs->block_size + off;
	pos->ino = d.inode;
	pos->type = fs->filetype ? d.file_type : EXT2_FT_UNKNOWN;
	return FS_OK;
}

/* The directory changed: its times, and its index no longer covers it. */
static fs_err_t dir_changed(struct ext2_fs *fs, struct ext2_ino *dir, bool added)
{
	if (added)
		dir->d.i_flags &= ~EXT2_INDEX_FL;
	ext2_touch(fs, dir, true, true);
	return ext2_inode_write(fs, dir);
}

static void fill_entry(struct ext2_fs *fs, uint8_t *data, uint32_t off, uint16_t rec_len, const char *name,
		       size_t len, uint32_t ino, uint32_t mode)
{
	struct ext2_dirent d = { ino, rec_len, (uint8_t)len, fs->filetype ? ext2_ft_of_mode(mode) : 0 };

	entry_put(data, off, &d);
	memcpy(data + off + EXT2_DIRENT_HDR, name, len);
}

fs_err_t ext2_dir_slot(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len,
		       struct ext2_slot *slot)
{
	uint32_t need = EXT2_DIRENT_LEN(len);
	uint64_t n = dir_blocks(fs, dir);
	fs_err_t e;

	slot->found = false;
	for (uint64_t i = 0; i < n; i++) {
		struct bcache_buf *b;
		if ((e = dir_block(fs, dir, i, &b)))
			return e;
		struct ext2_dirent d;
		for (uint32_t o = 0; o < fs->block_size; o += d.rec_len) {
			ENTRY_OR_PUT(fs, dir, i, b, o, &d);
			if (name_is(b->data, o, &d, name, len)) {
				bcache_put(fs->cache, b);
				return FS_E_EXIST;
			}
			uint32_t used = d.inode ? EXT2_DIRENT_LEN(d.name_len) : 0;
			if (!slot->found && d.rec_len >= used + need) {
				slot->found = true;
				slot->lb = i;
				slot->off = o;
			}
		}
		bcache_put(fs->cache, b);
	}
	return FS_OK;
}

/* A new last block holding only the entry. */
static fs_err_t append(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len, uint32_t ino,
		       uint32_t mode)
{
	uint32_t bs = fs->block_size, pb, goal = 0;
	uint64_t n = dir_blocks(fs, dir);
	struct bcache_buf *b;
	bool fresh;
	fs_err_t e;

	if (ext2_inode_size(dir) + bs > 0xffffffffu)
		return FS_E_NOSPC;
	if (n && (e = ext2_bmap(fs, dir, n - 1, 0, false, &goal, NULL)))
		return e;
	if ((e = ext2_bmap(fs, dir, n, goal ? goal + 1 : 0, true, &pb, &fresh))) {
		ext2_inode_write(fs, dir);   /* an indirect block may have been added */
		return e;
	}
	if ((e = bcache_get(fs->cache, pb, false, &b))) {
		ext2_inode_write(fs, dir);
		return e;
	}
	fill_entry(fs, b->data, 0, (uint16_t)bs, name, len, ino, mode);
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	ext2_inode_set_size(fs, dir, (n + 1) * bs);
	return dir_changed(fs, dir, true);
}

fs_err_t ext2_dir_insert(struct ext2_fs *fs, struct ext2_ino *dir, const struct ext2_slot *slot, const char *name,
			 size_t len, uint32_t ino, uint32_t mode)
{
	uint32_t need = EXT2_DIRENT_LEN(len), o = slot->off;
	struct bcache_buf *b;
	fs_err_t e;

	if (!slot->found)
		return append(fs, dir, name, len, ino, mode);
	if ((e = dir_block(fs, dir, slot->lb, &b)))
		return e;
	struct ext2_dirent d;
	ENTRY_OR_PUT(fs, dir, slot->lb, b, o, &d);
	uint32_t used = d.inode ? EXT2_DIRENT_LEN(d.name_len) : 0;
	if (d.rec_len < used + need) {   /* the slot came from ext2_dir_slot on this directory */
		bcache_put(fs->cache, b);
		return FS_E_INVAL;
	}
	if (used) {   /* split: the old entry keeps what it uses */
		uint16_t rest = (uint16_t)(d.rec_len - used);
		d.rec_len = (uint16_t)used;
		entry_put(b->data, o, &d);
		fill_entry(fs, b->data, o + used, rest, name, len, ino, mode);
	} else {
		fill_entry(fs, b->data, o, d.rec_len, name, len, ino, mode);
	}
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	return dir_changed(fs, dir, true);
}

fs_err_t ext2_dir_add(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len, uint32_t ino,
		      uint32_t mode)
{
	struct ext2_slot slot;
	fs_err_t e = ext2_dir_slot(fs, dir, name, len, &slot);

	return e ? e : ext2_dir_insert(fs, dir, &slot, name, len, ino, mode);
}

fs_err_t ext2_dir_remove(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len)
{
	struct bcache_buf *b;
	uint32_t off, prev;
	uint64_t lb;
	fs_err_t e = find(fs, dir, name, len, &lb, &b, &off, &prev);

	if (e)
		return e;
	struct ext2_dirent d = entry_at(b->data, off);
	if (prev != UINT32_MAX) {
		struct ext2_dirent p = entry_at(b->data, prev);
		p.rec_len = (uint16_t)(p.rec_len + d.rec_len);
		entry_put(b->data, prev, &p);
	} else {
		d.inode = 0;
		entry_put(b->data, off, &d);
	}
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	return dir_changed(fs, dir, false);
}

fs_err_t ext2_dir_retarget(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len, uint32_t ino,
			   uint32_t mode)
{
	struct bcache_buf *b;
	uint32_t off, prev;
	uint64_t lb;
	fs_err_t e = find(fs, dir, name, len, &lb, &b, &off, &prev);

	if (e)
		return e;
	struct ext2_dirent d = entry_at(b->data, off);
	d.inode = ino;
	d.file_type = fs->filetype ? ext2_ft_of_mode(mode) : 0;
	entry_put(b->data, off, &d);
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	return dir_changed(fs, dir, false);
}

static bool is_dot(const uint8_t *data, uint32_t off, const struct ext2_dirent *d)
{
	return (d->name_len == 1 && data[off + 8] == '.') ||
	       (d->name_len == 2 && data[off + 8] == '.' && data[off + 9] == '.');
}

fs_err_t ext2_dir_empty(struct ext2_fs *fs, struct ext2_ino *dir, bool *empty)
{
	uint64_t n = dir_blocks(fs, dir);
	fs_err_t e;

	*empty = true;
	for (uint64_t i = 0; i < n && *empty; i++) {
		struct bcache_buf *b;
		if ((e = dir_block(fs, dir, i, &b)))
			return e;
		struct ext2_dirent d;
		for (uint32_t o = 0; o < fs->block_size; o += d.rec_len) {
			ENTRY_OR_PUT(fs, dir, i, b, o, &d);
			if (d.inode && !is_dot(b->data, o, &d)) {
				*empty = false;
				break;
			}
		}
		bcache_put(fs->cache, b);
	}
	return FS_OK;
}

static uint32_t fs_type_of_ft(uint8_t ft)
{
	switch (ft) {
	case EXT2_FT_REG_FILE: return FS_IFREG;
	case EXT2_FT_DIR: return FS_IFDIR;
	case EXT2_FT_SYMLINK: return FS_IFLNK;
	}
	return 0;
}

fs_err_t ext2_dir_next(struct ext2_fs *fs, struct ext2_ino *dir, uint64_t *cookie, struct fs_dirent *ent,
		       bool *end)
{
	uint32_t bs = fs->block_size;
	uint64_t n = dir_blocks(fs, dir);
	fs_err_t e;

	*end = false;
	for (uint64_t i = *cookie / bs; i < n; i++) {
		struct bcache_buf *b;
		uint32_t from = i == *cookie / bs ? (uint32_t)(*cookie % bs) : 0;
		if ((e = dir_block(fs, dir, i, &b)))
			return e;
		struct ext2_dirent d;
		for (uint32_t o = 0; o < bs; o += d.rec_len) {
			ENTRY_OR_PUT(fs, dir, i, b, o, &d);
			if (o >= from && d.inode && !is_dot(b->data, o, &d)) {
				const char *name = (const char *)b->data + o + EXT2_DIRENT_HDR;
				if (fs_check_name(name, d.name_len, true)) {   /* '/' or NUL in it */
					bcache_put(fs->cache, b);
					return entry_bad(fs, dir, i, o, "a name with '/' or NUL in it");
				}
				ent->ino = d.inode;
				ent->type = fs->filetype ? fs_type_of_ft(d.file_type) : 0;
				ent->len = d.name_len;
				memcpy(ent->name, b->data + o + EXT2_DIRENT_HDR, d.name_len);
				ent->name[d.name_len] = 0;
				*cookie = i * bs + o + d.rec_len;
				bcache_put(fs->cache, b);
				return FS_OK;
			}
		}
		bcache_put(fs->cache, b);
	}
	*cookie = n * bs;
	*end = true;
	return FS_OK;
}

fs_err_t ext2_dir_init(struct ext2_fs *fs, struct ext2_ino *dir, uint32_t parent)
{
	uint32_t bs = fs->block_size, pb;
	struct bcache_buf *b;
	fs_err_t e;

	if ((e = ext2_bmap(fs, dir, 0, 0, true, &pb, NULL)) || (e = bcache_get(fs->cache, pb, false, &b)))
		return e;
	fill_entry(fs, b->data, 0, 12, ".", 1, dir->num, EXT2_S_IFDIR);
	fill_entry(fs, b->data, 12, (uint16_t)(bs - 12), "..", 2, parent, EXT2_S_IFDIR);
	bcache_dirty(fs->cache, b);
	bcache_put(fs->cache, b);
	ext2_inode_set_size(fs, dir, bs);
	return FS_OK;
}

fs_err_t ext2_dir_dotdot(struct ext2_fs *fs, struct ext2_ino *dir, uint32_t *parent, uint32_t set)
{
	struct bcache_buf *b;
	fs_err_t e;

	if (!dir_blocks(fs, dir))
		return ext2_corrupt(fs, "directory %u is empty", dir->num);
	if ((e = dir_block(fs, dir, 0, &b)))
		return e;
	struct ext2_dirent dot, dd;
	ENTRY_OR_PUT(fs, dir, 0, b, 0, &dot);
	uint32_t off = dot.rec_len;
	if (off < fs->block_size)
		ENTRY_OR_PUT(fs, dir, 0, b, off, &dd);
	if (off >= fs->block_size || !dd.inode || dd.name_len != 2 || memcmp(b->data + off + 8, "..", 2)) {
		bcache_put(fs->cache, b);
		return ext2_corrupt(fs, "directory %u has no \"..\" in second place", dir->num);
	}
	if (parent)
		*parent = dd.inode;
	if (set) {
		dd.inode = set;
		entry_put(b->data, off, &dd);
		bcache_dirty(fs->cache, b);
	}
	bcache_put(fs->cache, b);
	return FS_OK;
}
