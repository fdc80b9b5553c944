/*
 * ext2: the fs_ops (fs.h) over inodes, directories and file data. Each
 * operation checks its arguments and what it is about to change before
 * changing anything, then changes the disk in an order that leaves at
 * worst a leaked block or inode (never a name without its inode) when a
 * later step fails.
 */
#include "ext2_int.h"

#define DIR_DEPTH_MAX 65536u   /* longer ".." chains are loops */

static fs_err_t get_dir(struct ext2_fs *fs, uint64_t ino, struct ext2_ino *in)
{
	fs_err_t e = ext2_inode_read(fs, ino, in);

	if (!e && (in->d.i_mode & EXT2_S_IFMT) != EXT2_S_IFDIR)
		return FS_E_NOTDIR;
	return e;
}

static bool is_dir(const struct ext2_ino *in)
{
	return (in->d.i_mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

/* An inode named by a directory entry: that it is gone is corruption. */
static fs_err_t get_named(struct ext2_fs *fs, const struct ext2_ino *dir, uint32_t ino, struct ext2_ino *in)
{
	fs_err_t e = ext2_inode_read(fs, ino, in);

	if (e == FS_E_STALE || e == FS_E_INVAL)
		return ext2_corrupt(fs, "directory %u names inode %u, which is not in use", dir->num, ino);
	return e;
}

static fs_err_t e_root(void *h, uint64_t *ino)
{
	(void)h;
	*ino = EXT2_ROOT_INO;
	return FS_OK;
}

static fs_err_t e_lookup(void *h, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct ext2_fs *fs = h;
	struct ext2_ino d;
	struct ext2_dirpos pos;
	fs_err_t e;

	if ((e = fs_check_name(name, len, true)) || (e = get_dir(fs, dir, &d)) ||
	    (e = ext2_dir_find(fs, &d, name, len, &pos)))
		return e;
	*ino = pos.ino;
	return FS_OK;
}

static fs_err_t e_stat(void *h, uint64_t ino, struct fs_stat *st)
{
	struct ext2_fs *fs = h;
	struct ext2_ino in;
	fs_err_t e = ext2_inode_read(fs, ino, &in);

	if (e)
		return e;
	st->ino = in.num;
	st->size = ext2_inode_size(&in);
	st->blocks = in.d.i_blocks;
	st->mode = in.d.i_mode;
	st->nlink = in.d.i_links_count;
	st->uid = in.d.i_uid | (uint32_t)in.d.i_uid_high << 16;
	st->gid = in.d.i_gid | (uint32_t)in.d.i_gid_high << 16;
	st->atime = ext2_time(&in, EXT2_ATIME);
	st->mtime = ext2_time(&in, EXT2_MTIME);
	st->ctime = ext2_time(&in, EXT2_CTIME);
	return FS_OK;
}

/* A regular file to read or change. */
static fs_err_t get_file(struct ext2_fs *fs, uint64_t ino, struct ext2_ino *in)
{
	fs_err_t e = ext2_inode_read(fs, ino, in);

	if (e)
		return e;
	switch (in->d.i_mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG: return FS_OK;
	case EXT2_S_IFDIR: return FS_E_ISDIR;
	}
	return FS_E_INVAL;
}

static fs_err_t e_read(void *h, uint64_t ino, uint64_t off, void *buf, size_t len, size_t *done)
{
	struct ext2_fs *fs = h;
	struct ext2_ino in;
	fs_err_t e;

	*done = 0;
	if ((e = get_file(fs, ino, &in)))
		return e;
	return ext2_file_read(fs, &in, off, buf, len, done);
}

static fs_err_t e_write(void *h, uint64_t ino, uint64_t off, const void *buf, size_t len, size_t *done)
{
	struct ext2_fs *fs = h;
	struct ext2_ino in;
	fs_err_t e;

	*done = 0;
	if (fs->readonly)
		return FS_E_ROFS;
	if ((e = get_file(fs, ino, &in)))
		return e;
	return ext2_file_write(fs, &in, off, buf, len, done);
}

static fs_err_t e_truncate(void *h, uint64_t ino, uint64_t size)
{
	struct ext2_fs *fs = h;
	struct ext2_ino in;
	fs_err_t e;

	if (fs->readonly)
		return FS_E_ROFS;
	if ((e = get_file(fs, ino, &in)))
		return e;
	return ext2_file_truncate(fs, &in, size);
}

/* A new inode beside dir (not yet written: the caller fills and writes it). */
static fs_err_t new_inode(struct ext2_fs *fs, const struct ext2_ino *dir, uint32_t mode, uint16_t links,
			  struct ext2_ino *in)
{
	uint32_t num;
	fs_err_t e = ext2_alloc_inode(fs, dir->num, (mode & EXT2_S_IFMT) == EXT2_S_IFDIR, &num);

	if (e)
		return e;
	memset(in, 0, sizeof(*in));
	in->num = num;
	in->fresh = true;
	if (fs->inode_size > EXT2_GOOD_OLD_INODE_SIZE) {
		in->extra = EXT2_INODE_EXTRA_MAX;
		in->d.i_extra_isize = EXT2_INODE_EXTRA_MAX;
	}
	in->d.i_mode = (uint16_t)mode;
	in->d.i_links_count = links;
	in->d.i_generation = ++fs->generation;
	int64_t now = fs_now(fs->env);
	ext2_set_time(in, EXT2_ATIME, now);
	ext2_set_time(in, EXT2_MTIME, now);
	ext2_set_time(in, EXT2_CTIME, now);
	ext2_set_time(in, EXT2_CRTIME, now);
	return FS_OK;
}

/* Checks that name can be made in dir (writable, a valid new name, dir a
 * directory without it) and finds where its entry goes. */
static fs_err_t prepare_new(struct ext2_fs *fs, uint64_t dir, const char *name, size_t len, struct ext2_ino *d,
			    struct ext2_slot *slot)
{
	fs_err_t e;

	if (fs->readonly)
		return FS_E_ROFS;
	if ((e = fs_check_name(name, len, false)) || (e = get_dir(fs, dir, d)))
		return e;
	return ext2_dir_slot(fs, d, name, len, slot);
}

/* Undoes a new inode whose name could not be made. */
static void discard(struct ext2_fs *fs, struct ext2_ino *in)
{
	if (ext2_inode_write(fs, in) == FS_OK)
		ext2_release(fs, in);
}

static fs_err_t e_create(void *h, uint64_t dir, const char *name, size_t len, uint32_t mode, uint64_t *ino)
{
	struct ext2_fs *fs = h;
	struct ext2_ino d, in;
	struct ext2_slot slot;
	uint32_t type = mode & FS_IFMT;
	fs_err_t e;

	if ((type != FS_IFREG && type != FS_IFDIR) || (mode & ~(FS_IFMT | 07777u)))
		return FS_E_INVAL;
	if ((e = prepare_new(fs, dir, name, len, &d, &slot)))
		return e;
	if (type == FS_IFDIR && d.d.i_links_count >= EXT2_LINK_MAX)
		return FS_E_MLINK;
	if ((e = new_inode(fs, &d, mode, type == FS_IFDIR ? 2 : 1, &in)))
		return e;
	if (type == FS_IFDIR && (e = ext2_dir_init(fs, &in, d.num))) {
		discard(fs, &in);
		return e;
	}
	if ((e = ext2_inode_write(fs, &in)))
		return e;
	if (type == FS_IFDIR)
		d.d.i_links_count++;   /* the new ".." (written with the entry) */
	if ((e = ext2_dir_insert(fs, &d, &slot, name, len, in.num, mode))) {
		if (type == FS_IFDIR) {
			d.d.i_links_count--;
			ext2_inode_write(fs, &d);
		}
		discard(fs, &in);
		return e;
	}
	*ino = in.num;
	return FS_OK;
}

static fs_err_t e_symlink(void *h, uint64_t dir, const char *name, size_t len, const char *target,
			  size_t target_len, uint64_t *ino)
{
	struct ext2_fs *fs = h;
	struct ext2_ino d, in;
	struct ext2_slot slot;
	fs_err_t e;

	if (!target_len)
		return FS_E_INVAL;
	for (size_t i = 0; i < target_len; i++)
		if (!target[i])
			return FS_E_INVAL;
	if (target_len >= fs->block_size || target_len >= FS_PATH_MAX)
		return FS_E_NAMETOOLONG;
	if ((e = prepare_new(fs, dir, name, len, &d, &slot)))
		return e;
	if ((e = new_inode(fs, &d, EXT2_S_IFLNK | 0777u, 1, &in)))
		return e;
	if (target_len < EXT2_FAST_LINK_MAX) {
		memcpy(in.d.i_block, target, target_len);
		ext2_inode_set_size(fs, &in, target_len);
		e = ext2_inode_write(fs, &in);
	} else {
		size_t done;
		e = ext2_file_write(fs, &in, 0, target, target_len, &done);   /* writes the inode */
	}
	if (e) {
		discard(fs, &in);
		return e;
	}
	if ((e = ext2_dir_insert(fs, &d, &slot, name, len, in.num, EXT2_S_IFLNK))) {
		discard(fs, &in);
		return e;
	}
	*ino = in.num;
	return FS_OK;
}

static fs_err_t e_readlink(void *h, uint64_t ino, char *buf, size_t size, size_t *len)
{
	struct ext2_fs *fs = h;
	struct ext2_ino in;
	fs_err_t e = ext2_inode_read(fs, ino, &in);

	*len = 0;
	if (e)
		return e;
	if ((in.d.i_mode & EXT2_S_IFMT) != EXT2_S_IFLNK)
		return FS_E_INVAL;
	uint64_t n = ext2_inode_size(&in);
	if (!n || n >= fs->block_size)
		return ext2_corrupt(fs, "symlink %u has length %llu", in.num, (unsigned long long)n);
	if (ext2_is_fast_symlink(fs, &in)) {
		if (n >= EXT2_FAST_LINK_MAX)
			return ext2_corrupt(fs, "fast symlink %u has length %llu", in.num, (unsigned long long)n);
		*len = n < size ? (size_t)n : size;
		memcpy(buf, in.d.i_block, *len);
		return FS_OK;
	}
	return ext2_file_read(fs, &in, 0, buf, n < size ? (size_t)n : size, len);
}

static fs_err_t e_link(void *h, uint64_t dir, const char *name, size_t len, uint64_t ino)
{
	struct ext2_fs *fs = h;
	struct ext2_ino d, in;
	struct ext2_slot slot;
	fs_err_t e;

	if ((e = prepare_new(fs, dir, name, len, &d, &slot)) || (e = ext2_inode_read(fs, ino, &in)))
		return e;
	if (is_dir(&in))
		return FS_E_ISDIR;
	if (in.d.i_links_count >= EXT2_LINK_MAX)
		return FS_E_MLINK;
	in.d.i_links_count++;
	ext2_touch(fs, &in, false, true);
	if ((e = ext2_inode_write(fs, &in)))
		return e;
	if ((e = ext2_dir_insert(fs, &d, &slot, name, len, in.num, in.d.i_mode))) {
		in.d.i_links_count--;
		ext2_inode_write(fs, &in);
	}
	return e;
}

/* One link fewer for in (its name is already gone); the last frees it. */
static fs_err_t drop_link(struct ext2_fs *fs, struct ext2_ino *in)
{
	if (is_dir(in) || in->d.i_links_count <= 1)
		return ext2_release(fs, in);
	in->d.i_links_count--;
	ext2_touch(fs, in, false, true);
	return ext2_inode_write(fs, in);
}

static fs_err_t e_unlink(void *h, uint64_t dir, const char *name, size_t len)
{
	struct ext2_fs *fs = h;
	struct ext2_ino d, in;
	struct ext2_dirpos pos;
	fs_err_t e;

	if (fs->readonly)
		return FS_E_ROFS;
	if ((e = fs_check_name(name, len, false)) || (e = get_dir(fs, dir, &d)) ||
	    (e = ext2_dir_find(fs, &d, name, len, &pos)) || (e = get_named(fs, &d, pos.ino, &in)))
		return e;
	if (in.num == d.num || in.num == EXT2_ROOT_INO)
		return ext2_corrupt(fs, "directory %u names itself or the root", d.num);
	if (is_dir(&in)) {
		bool empty;
		if ((e = ext2_dir_empty(fs, &in, &empty)))
			return e;
		if (!empty)
			return FS_E_NOTEMPTY;
		if (d.d.i_links_count > 2)
			d.d.i_links_count--;   /* its ".." (written with the entry's removal) */
	}
	if ((e = ext2_dir_remove(fs, &d, name, len)))
		return e;
	return drop_link(fs, &in);
}

/* FS_E_LOOP when dir is src or below it (walking ".." to the root). */
static fs_err_t check_not_below(struct ext2_fs *fs, uint32_t src, uint32_t dir)
{
	uint32_t cur = dir;
	fs_err_t e;

	for (uint32_t depth = 0; depth < DIR_DEPTH_MAX; depth++) {
		struct ext2_ino in;
		uint32_t parent;
		if (cur == src)
			return FS_E_LOOP;
		if (cur == EXT2_ROOT_INO)
			return FS_OK;
		if ((e = ext2_inode_read(fs, cur, &in)))
			return e == FS_E_STALE || e == FS_E_INVAL ? ext2_corrupt(fs, "\"..\" names inode %u", cur) : e;
		if (!is_dir(&in))
			return ext2_corrupt(fs, "\"..\" names inode %u, not a directory", cur);
		if ((e = ext2_dir_dotdot(fs, &in, &parent, 0)))
			return e;
		if (parent == cur)
			return ext2_corrupt(fs, "directory %u is its own parent", cur);
		cur = parent;
	}
	return ext2_corrupt(fs, "a loop of directories above %u", dir);
}

static fs_err_t e_rename(void *h, uint64_t from_dir, const char *from, size_t from_len, uint64_t to_dir,
			 const char *to, size_t to_len)
{
	struct ext2_fs *fs = h;
	struct ext2_ino fd, td_own, src, tgt;
	struct ext2_dirpos spos, tpos;
	fs_err_t e;

	if (fs->readonly)
		return FS_E_ROFS;
	if ((e = fs_check_name(from, from_len, false)) || (e = fs_check_name(to, to_len, false)) ||
	    (e = get_dir(fs, from_dir, &fd)))
		return e;
	struct ext2_ino *td = &fd;   /* one copy when both are the same directory */
	if (to_dir != from_dir) {
		if ((e = get_dir(fs, to_dir, &td_own)))
			return e;
		td = &td_own;
	}
	if ((e = ext2_dir_find(fs, &fd, from, from_len, &spos)) || (e = get_named(fs, &fd, spos.ino, &src)))
		return e;
	if (src.num == fd.num || src.num == td->num || src.num == EXT2_ROOT_INO)
		return is_dir(&src) ? FS_E_LOOP : ext2_corrupt(fs, "directory %u names itself", fd.num);
	bool replace = false;
	e = ext2_dir_find(fs, td, to, to_len, &tpos);
	if (e == FS_OK) {
		if (tpos.ino == src.num)
			return FS_OK;   /* two names of one file: nothing to do */
		if ((e = get_named(fs, td, tpos.ino, &tgt)))
			return e;
		if (tgt.num == td->num || tgt.num == fd.num || tgt.num == EXT2_ROOT_INO)
			return is_dir(&src) ? FS_E_NOTEMPTY : FS_E_ISDIR;
		if (is_dir(&src) && !is_dir(&tgt))
			return FS_E_NOTDIR;
		if (!is_dir(&src) && is_dir(&tgt))
			return FS_E_ISDIR;
		if (is_dir(&tgt)) {
			bool empty;
			if ((e = ext2_dir_empty(fs, &tgt, &empty)))
				return e;
			if (!empty)
				return FS_E_NOTEMPTY;
		}
		replace = true;
	} else if (e != FS_E_NOENT) {
		return e;
	}
	bool moves_dir = is_dir(&src) && td != &fd;
	if (moves_dir) {
		if ((e = check_not_below(fs, src.num, td->num)))
			return e;
		if (!replace && td->d.i_links_count >= EXT2_LINK_MAX)
			return FS_E_MLINK;
	}
	/* the new name first: a failure leaves the old one */
	if (moves_dir)
		td->d.i_links_count++;   /* src's ".." */
	bool dropped = replace && is_dir(&tgt) && td->d.i_links_count > 2;
	if (dropped)
		td->d.i_links_count--;   /* the target's ".." goes */
	if (replace)
		e = ext2_dir_retarget(fs, td, to, to_len, src.num, src.d.i_mode);
	else
		e = ext2_dir_add(fs, td, to, to_len, src.num, src.d.i_mode);
	if (e) {   /* nothing was renamed: the counts as they were */
		if (moves_dir)
			td->d.i_links_count--;
		if (dropped)
			td->d.i_links_count++;
		ext2_inode_write(fs, td);
		return e;
	}
	if (moves_dir && fd.d.i_links_count > 2)
		fd.d.i_links_count--;
	if ((e = ext2_dir_remove(fs, &fd, from, from_len)))
		return e;
	if (moves_dir && (e = ext2_dir_dotdot(fs, &src, NULL, td->num)))
		return e;
	ext2_touch(fs, &src, false, true);
	if ((e = ext2_inode_write(fs, &src)))
		return e;
	return replace ? drop_link(fs, &tgt) : FS_OK;
}

static fs_err_t e_readdir(void *h, uint64_t dir, uint64_t *cookie, struct fs_dirent *ent, bool *end)
{
	struct ext2_fs *fs = h;
	struct ext2_ino d;
	fs_err_t e = get_dir(fs, dir, &d);

	if (e)
		return e;
	return ext2_dir_next(fs, &d, cookie, ent, end);
}

static fs_err_t e_setattr(void *h, uint64_t ino, const struct fs_attr *a)
{
	struct ext2_fs *fs = h;
	struct ext2_ino in;
	fs_err_t e;

	if (fs->readonly)
		return FS_E_ROFS;
	if (a->mask & ~(uint32_t)(FS_ATTR_MODE | FS_ATTR_UID | FS_ATTR_GID | FS_ATTR_ATIME | FS_ATTR_MTIME))
		return FS_E_INVAL;
	if ((a->mask & FS_ATTR_MODE) && (a->mode & ~07777u))
		return FS_E_INVAL;
	if ((e = ext2_inode_read(fs, ino, &in)))
		return e;
	if (a->mask & FS_ATTR_MODE)
		in.d.i_mode = (uint16_t)((in.d.i_mode & EXT2_S_IFMT) | a->mode);
	if (a->mask & FS_ATTR_UID) {
		in.d.i_uid = (uint16_t)a->uid;
		in.d.i_uid_high = (uint16_t)(a->uid >> 16);
	}
	if (a->mask & FS_ATTR_GID) {
		in.d.i_gid = (uint16_t)a->gid;
		in.d.i_gid_high = (uint16_t)(a->gid >> 16);
	}
	if (a->mask & FS_ATTR_ATIME)
		ext2_set_time(&in, EXT2_ATIME, a->atime);
	if (a->mask & FS_ATTR_MTIME)
		ext2_set_time(&in, EXT2_MTIME, a->mtime);
	ext2_touch(fs, &in, false, true);
	return ext2_inode_write(fs, &in);
}

const struct fs_ops ext2_ops = {
	.name = "ext2",
	.root = e_root,
	.lookup = e_lookup,
	.stat = e_stat,
	.read = e_read,
	.write = e_write,
	.truncate = e_truncate,
	.create = e_create,
	.symlink = e_symlink,
	.readlink = e_readlink,
	.link = e_link,
	.unlink = e_unlink,
	.rename = e_rename,
	.readdir = e_readdir,
	.setattr = e_setattr,
	.statfs = ext2_statfs,
	.sync = ext2_sync,
	.unmount = ext2_unmount,
};
