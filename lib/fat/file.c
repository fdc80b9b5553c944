/*
 * The struct fs_ops calls of the FAT back end (fs.h, fat.h).
 *
 * File data moves in runs of contiguous clusters: whole sectors straight
 * between the device and the caller's buffer (bcache_read_direct and
 * bcache_write_direct, one request per run), a sector's part through the
 * cache. A file's bytes past its size are whatever the disk held: a write
 * or truncate past the end first writes zeros from the old end on, so
 * they never show. FAT files end at 4 GiB - 1 (FS_E_FBIG beyond).
 *
 * Order of changes: a new name is written before an old one is removed
 * (rename); an entry goes before the clusters it held are freed.
 */
#include "fat_int.h"

#define FAT_MAX_SIZE 0xffffffffull

static const uint8_t zeros[4096];

fs_err_t fat_op_root(void *v, uint64_t *ino)
{
	(void)v;
	*ino = INO_ROOT;
	return FS_OK;
}

static void stamp(struct fat *fs, uint8_t *de, bool create)
{
	uint16_t d, t;
	uint8_t tenth;

	fat_time_to(fat_now(fs), &d, &t, &tenth);
	put16(de + DE_MDATE, d);
	put16(de + DE_MTIME, t);
	put16(de + DE_ADATE, d);
	if (create) {
		put16(de + DE_CDATE, d);
		put16(de + DE_CTIME, t);
		de[DE_CTIME_MS] = tenth;
	}
}

/* A directory's time after a change of its entries (the root has none). */
static fs_err_t touch_dir(struct fat *fs, uint64_t ino)
{
	struct node d;
	fs_err_t e;

	if (ino == INO_ROOT)
		return FS_OK;
	e = fat_node(fs, ino, &d);
	if (e)
		return e;
	stamp(fs, d.de, false);
	return fat_node_write(fs, &d);
}

fs_err_t fat_op_lookup(void *v, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct fat *fs = v;
	struct dir_slot s;
	struct node d, n;
	uint32_t parent, grand;
	fs_err_t e = fs_check_name(name, len, true);

	if (!e)
		e = fat_node_dir(fs, dir, &d);
	if (e)
		return e;
	if (len == 1 && name[0] == '.') {
		*ino = dir;
		return FS_OK;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*ino = INO_ROOT;
		if (dir == INO_ROOT)
			return FS_OK;
		e = fat_dir_parent(fs, d.first, &parent);
		if (e || !parent)
			return e;
		e = fat_dir_parent(fs, parent, &grand);
		if (!e)
			e = fat_dir_find_clus(fs, grand, parent, &n);
		if (!e)
			*ino = n.ino;
		return e;
	}
	e = fat_dir_find(fs, &d, name, len, &s);
	if (!e)
		e = fat_ino_of_pos(fs, s.pos, ino);
	return e;
}

fs_err_t fat_op_stat(void *v, uint64_t ino, struct fs_stat *st)
{
	struct fat *fs = v;
	struct node n;
	uint32_t len = 0, last;
	fs_err_t e = fat_node(fs, ino, &n);

	if (e)
		return e;
	memset(st, 0, sizeof(*st));
	st->ino = ino;
	if (n.first) {
		e = fat_chain_len(fs, n.first, &len, &last);
		if (e)
			return e;
	} else if (n.dir) {   /* the fixed root */
		len = (fs->root_entries * DE_SIZE_OF + fs->cb - 1) / fs->cb;
	}
	st->size = n.dir ? (uint64_t)len * fs->cb : n.size;
	st->blocks = (uint64_t)len * fs->cb / 512;
	st->mode = (n.dir ? FS_IFDIR : FS_IFREG) | (n.de[DE_ATTR] & FAT_ATTR_RO ? 0555 : 0777);
	st->nlink = n.dir ? 2 : 1;
	st->mtime = fat_time_from(get16(n.de + DE_MDATE), get16(n.de + DE_MTIME));
	st->ctime = st->mtime;
	st->atime = fat_time_from(get16(n.de + DE_ADATE), 0);
	return FS_OK;
}

/* n bytes at off of the chain from first (which holds them), between the
 * disk and buf. */
static fs_err_t file_io(struct fat *fs, uint32_t first, uint64_t off, uint8_t *buf, size_t n,
			bool wr)
{
	fs_err_t e;

	while (n) {
		uint32_t ci = (uint32_t)(off / fs->cb), co = (uint32_t)(off % fs->cb), c, k = 1, next;
		uint64_t avail = fs->cb - co, sec, m;

		e = fat_chain_seek(fs, first, ci, &c);
		if (e)
			return e;
		while (avail < n) {
			e = fat_chain_seek(fs, first, ci + k, &next);
			if (e)
				return e;
			if (next != c + k)
				break;
			k++;
			avail += fs->cb;
		}
		m = avail < n ? avail : n;
		sec = fat_clus_sector(fs, c) + co / fs->bps;
		off += m;
		n -= m;
		for (uint32_t so = co % fs->bps; m;) {
			if (so || m < fs->bps) {
				uint32_t piece = fs->bps - so < m ? fs->bps - so : (uint32_t)m;
				struct bcache_buf *b;

				e = fat_get(fs, sec, true, &b);
				if (e)
					return e;
				if (wr) {
					memcpy(b->data + so, buf, piece);
					bcache_dirty(fs->bc, b);
				} else {
					memcpy(buf, b->data + so, piece);
				}
				bcache_put(fs->bc, b);
				buf += piece;
				m -= piece;
				sec++;
				so = 0;
			} else {
				uint32_t cnt = (uint32_t)(m / fs->bps);

				e = wr ? bcache_write_direct(fs->bc, sec, cnt, buf) :
					 bcache_read_direct(fs->bc, sec, cnt, buf);
				if (e)
					return e;
				buf += (uint64_t)cnt * fs->bps;
				m -= (uint64_t)cnt * fs->bps;
				sec += cnt;
			}
		}
	}
	return FS_OK;
}

/* The file's chain covers its size (else the disk is corrupt). */
static fs_err_t check_chain(struct fat *fs, const struct node *n, uint32_t *len)
{
	uint32_t last;
	fs_err_t e;

	*len = 0;
	if (!n->first)
		return FS_OK;
	e = fat_chain_len(fs, n->first, len, &last);
	if (!e && (uint64_t)*len * fs->cb < n->size)
		e = fat_corrupt(fs, "file at byte %llu of %u bytes has %u clusters",
				(unsigned long long)n->pos, n->size, *len);
	return e;
}

fs_err_t fat_op_read(void *v, uint64_t ino, uint64_t off, void *buf, size_t len, size_t *done)
{
	struct fat *fs = v;
	struct node n;
	uint32_t clen;
	fs_err_t e = fat_node(fs, ino, &n);

	*done = 0;
	if (e)
		return e;
	if (n.dir)
		return FS_E_ISDIR;
	if (off >= n.size || !len)
		return FS_OK;
	if (len > n.size - off)
		len = (size_t)(n.size - off);
	e = check_chain(fs, &n, &clen);
	if (!e)
		e = file_io(fs, n.first, off, buf, len, false);
	if (!e)
		*done = len;
	return e;
}

/* Write len bytes at off (off <= n->size), growing the chain as needed;
 * *done short only when the disk is full. Updates n (not on the disk). */
static fs_err_t write_at(struct fat *fs, struct node *n, uint64_t off, const uint8_t *buf,
			 size_t len, size_t *done)
{
	uint32_t have, need, got;
	fs_err_t e = check_chain(fs, n, &have);

	*done = 0;
	if (e)
		return e;
	need = (uint32_t)((off + len + fs->cb - 1) / fs->cb);
	if (need > have) {
		e = fat_chain_extend(fs, &n->first, need - have, &got);
		if (e && e != FS_E_NOSPC)
			return e;
		if (got < need - have) {
			uint64_t room = (uint64_t)(have + got) * fs->cb;

			if (room <= off)
				return FS_E_NOSPC;
			len = (size_t)(room - off);
		}
	}
	e = file_io(fs, n->first, off, (uint8_t *)buf, len, true);
	if (e)
		return e;
	*done = len;
	if (off + len > n->size)
		n->size = (uint32_t)(off + len);
	return FS_OK;
}

/* Zeros from n->size up to size. */
static fs_err_t zero_to(struct fat *fs, struct node *n, uint64_t size)
{
	while (n->size < size) {
		size_t piece = size - n->size < sizeof(zeros) ? (size_t)(size - n->size) : sizeof(zeros),
		       done;
		fs_err_t e = write_at(fs, n, n->size, zeros, piece, &done);

		if (e)
			return e;
		if (done < piece)
			return FS_E_NOSPC;
	}
	return FS_OK;
}

fs_err_t fat_op_write(void *v, uint64_t ino, uint64_t off, const void *buf, size_t len,
		      size_t *done)
{
	struct fat *fs = v;
	struct node n;
	fs_err_t e, e2;

	*done = 0;
	if (off > FAT_MAX_SIZE || len > FAT_MAX_SIZE - off)
		return FS_E_FBIG;
	e = fat_begin_write(fs);
	if (!e)
		e = fat_node(fs, ino, &n);
	if (e)
		return e;
	if (n.dir)
		return FS_E_ISDIR;
	if (!len)
		return FS_OK;
	if (off > n.size)
		e = zero_to(fs, &n, off);
	if (!e)
		e = write_at(fs, &n, off, buf, len, done);
	stamp(fs, n.de, false);
	n.de[DE_ATTR] |= FAT_ATTR_ARCH;
	e2 = fat_node_write(fs, &n);   /* what was written, even after an error */
	return e ? e : e2;
}

fs_err_t fat_op_truncate(void *v, uint64_t ino, uint64_t size)
{
	struct fat *fs = v;
	struct node n;
	uint32_t keep, have;
	fs_err_t e, e2;

	if (size > FAT_MAX_SIZE)
		return FS_E_FBIG;
	e = fat_begin_write(fs);
	if (!e)
		e = fat_node(fs, ino, &n);
	if (e)
		return e;
	if (n.dir)
		return FS_E_ISDIR;
	e = check_chain(fs, &n, &have);
	if (e)
		return e;
	if (size > n.size) {
		e = zero_to(fs, &n, size);
	} else {
		uint32_t first = n.first;

		keep = (uint32_t)((size + fs->cb - 1) / fs->cb);
		n.size = (uint32_t)size;
		if (!keep)
			n.first = 0;
		stamp(fs, n.de, false);
		e = fat_node_write(fs, &n);
		if (!e && first && keep < have)
			e = fat_chain_cut(fs, first, keep);
		return e;
	}
	stamp(fs, n.de, false);
	e2 = fat_node_write(fs, &n);
	return e ? e : e2;
}

fs_err_t fat_op_create(void *v, uint64_t dir, const char *name, size_t len, uint32_t mode,
		       uint64_t *ino)
{
	struct fat *fs = v;
	uint8_t de[DE_SIZE_OF];
	struct dir_slot s;
	struct node d;
	uint32_t first = 0, got;
	bool is_dir = (mode & FS_IFMT) == FS_IFDIR;
	fs_err_t e = fs_check_name(name, len, false);

	if (e)
		return e;
	if ((mode & FS_IFMT) == FS_IFLNK)
		return FS_E_UNSUPPORTED;
	if ((mode & FS_IFMT) != FS_IFREG && !is_dir)
		return FS_E_INVAL;
	e = fat_begin_write(fs);
	if (!e)
		e = fat_node_dir(fs, dir, &d);
	if (e)
		return e;
	e = fat_dir_find(fs, &d, name, len, &s);
	if (e != FS_E_NOENT)
		return e ? e : FS_E_EXIST;
	e = FS_OK;
	memset(de, 0, sizeof(de));
	de[DE_ATTR] = (uint8_t)((is_dir ? FAT_ATTR_DIR : FAT_ATTR_ARCH) |
				(mode & 0200 ? 0 : FAT_ATTR_RO));
	stamp(fs, de, true);
	if (is_dir) {
		e = fat_chain_extend(fs, &first, 1, &got);
		if (e)
			return e;
		de_set_first(fs, de, first);
		e = fat_dir_init(fs, first, dir == INO_ROOT ? 0 : d.first, de);
	}
	if (!e)
		e = fat_dir_add(fs, &d, name, len, de, &s);
	if (e) {
		if (first)
			fat_chain_cut(fs, first, 0);
		return e;
	}
	e = fat_ino_of_pos(fs, s.pos, ino);
	if (!e)
		e = touch_dir(fs, dir);
	return e;
}

fs_err_t fat_op_symlink(void *v, uint64_t dir, const char *name, size_t len, const char *target,
			size_t target_len, uint64_t *ino)
{
	(void)v; (void)dir; (void)name; (void)len; (void)target; (void)target_len; (void)ino;
	return FS_E_UNSUPPORTED;
}

fs_err_t fat_op_link(void *v, uint64_t dir, const char *name, size_t len, uint64_t ino)
{
	(void)v; (void)dir; (void)name; (void)len; (void)ino;
	return FS_E_UNSUPPORTED;
}

fs_err_t fat_op_readlink(void *v, uint64_t ino, char *buf, size_t size, size_t *len)
{
	struct node n;
	fs_err_t e = fat_node(v, ino, &n);

	(void)buf; (void)size; (void)len;
	return e ? e : FS_E_INVAL;   /* FAT holds no symlinks */
}

/* Remove the name at s in d: its entries, then its clusters. */
static fs_err_t remove_name(struct fat *fs, struct node *d, const struct dir_slot *s, bool want_dir,
			    bool check_kind)
{
	struct node n;
	uint64_t ino;
	fs_err_t e = fat_ino_of_pos(fs, s->pos, &ino);

	if (!e)
		e = fat_node(fs, ino, &n);
	if (e)
		return e;
	if (check_kind && n.dir != want_dir)
		return n.dir ? FS_E_ISDIR : FS_E_NOTDIR;
	if (n.dir) {
		e = fat_dir_empty(fs, &n);
		if (e)
			return e;
	}
	e = fat_dir_remove(fs, d, s);
	if (!e && n.first)
		e = fat_chain_cut(fs, n.first, 0);
	if (!e)
		e = fat_ino_removed(fs, ino);
	return e;
}

fs_err_t fat_op_unlink(void *v, uint64_t dir, const char *name, size_t len)
{
	struct fat *fs = v;
	struct dir_slot s;
	struct node d;
	fs_err_t e = fs_check_name(name, len, false);

	if (!e)
		e = fat_begin_write(fs);
	if (!e)
		e = fat_node_dir(fs, dir, &d);
	if (!e)
		e = fat_dir_find(fs, &d, name, len, &s);
	if (!e)
		e = remove_name(fs, &d, &s, false, false);
	if (!e)
		e = touch_dir(fs, dir);
	return e;
}

/* FS_E_LOOP if the directory whose first cluster is clus is dir or one
 * of dir's ancestors. */
static fs_err_t check_not_above(struct fat *fs, uint32_t clus, const struct node *dir)
{
	uint32_t c = dir->ino == INO_ROOT ? 0 : dir->first, mark = c, power = 1, lam = 0;

	for (uint32_t steps = 0; c; steps++) {
		if (c == clus)
			return FS_E_LOOP;
		fs_err_t e = fat_dir_parent(fs, c, &c);
		if (e)
			return e;
		/* a loop of ".." entries (Brent, as in fat_chain_len) */
		if (c && (c == mark || steps > fs->clusters))
			return fat_corrupt(fs, "the parents of directory cluster %u loop", dir->first);
		if (++lam == power) {
			mark = c;
			power *= 2;
			lam = 0;
		}
	}
	return FS_OK;
}

fs_err_t fat_op_rename(void *v, uint64_t from_dir, const char *from, size_t from_len,
		       uint64_t to_dir, const char *to, size_t to_len)
{
	struct fat *fs = v;
	struct dir_slot ss, ts, ns;
	struct node fd, td, src;
	uint64_t sino, tino;
	bool same_entry = false;
	fs_err_t e = fs_check_name(from, from_len, false);

	if (!e)
		e = fs_check_name(to, to_len, false);
	if (!e)
		e = fat_begin_write(fs);
	if (!e)
		e = fat_node_dir(fs, from_dir, &fd);
	if (!e)
		e = fat_node_dir(fs, to_dir, &td);
	if (!e)
		e = fat_dir_find(fs, &fd, from, from_len, &ss);
	if (!e)
		e = fat_ino_of_pos(fs, ss.pos, &sino);
	if (!e)
		e = fat_node(fs, sino, &src);
	if (e)
		return e;
	if (src.dir) {
		if (to_dir == sino)
			return FS_E_LOOP;
		e = check_not_above(fs, src.first, &td);
		if (e)
			return e;
	}
	e = fat_dir_find(fs, &td, to, to_len, &ts);
	if (e && e != FS_E_NOENT)
		return e;
	if (!e) {
		e = fat_ino_of_pos(fs, ts.pos, &tino);
		if (e)
			return e;
		if (tino == sino) {
			if (from_len == to_len && !memcmp(from, to, to_len))
				return FS_OK;
			same_entry = true;   /* a new spelling of the same name */
		} else {
			e = remove_name(fs, &td, &ts, src.dir, true);
			if (e)
				return e;
		}
	}
	if (same_entry) {
		e = fat_dir_remove(fs, &fd, &ss);
		if (!e)
			e = fat_dir_add(fs, &td, to, to_len, src.de, &ns);
	} else {
		e = fat_dir_add(fs, &td, to, to_len, src.de, &ns);
		if (!e)
			e = fat_dir_remove(fs, &fd, &ss);
	}
	if (e)
		return e;
	if (src.dir && from_dir != to_dir)
		e = fat_dir_set_parent(fs, src.first, to_dir == INO_ROOT ? 0 : td.first);
	if (!e)
		e = fat_ino_moved(fs, sino, ns.pos);
	if (!e)
		e = touch_dir(fs, from_dir);
	if (!e && to_dir != from_dir)
		e = touch_dir(fs, to_dir);
	return e;
}

fs_err_t fat_op_readdir(void *v, uint64_t dir, uint64_t *cookie, struct fs_dirent *ent, bool *end)
{
	struct fat *fs = v;
	struct node d;
	fs_err_t e = fat_node_dir(fs, dir, &d);

	if (e)
		return e;
	return fat_dir_next(fs, &d, cookie, ent, end);
}

fs_err_t fat_op_setattr(void *v, uint64_t ino, const struct fs_attr *a)
{
	struct fat *fs = v;
	struct node n;
	uint16_t d, t;
	fs_err_t e;

	if (((a->mask & FS_ATTR_UID) && a->uid) || ((a->mask & FS_ATTR_GID) && a->gid))
		return FS_E_UNSUPPORTED;
	e = fat_node(fs, ino, &n);
	if (e || !(a->mask & (FS_ATTR_MODE | FS_ATTR_ATIME | FS_ATTR_MTIME)))
		return e;
	if (ino == INO_ROOT)
		return FS_E_UNSUPPORTED;   /* the root has no entry to hold them */
	e = fat_begin_write(fs);
	if (e)
		return e;
	if (a->mask & FS_ATTR_MODE) {
		if (a->mode & 0200)
			n.de[DE_ATTR] &= (uint8_t)~FAT_ATTR_RO;
		else
			n.de[DE_ATTR] |= FAT_ATTR_RO;
	}
	if (a->mask & FS_ATTR_ATIME) {
		fat_time_to(a->atime, &d, &t, NULL);
		put16(n.de + DE_ADATE, d);
	}
	if (a->mask & FS_ATTR_MTIME) {
		fat_time_to(a->mtime, &d, &t, NULL);
		put16(n.de + DE_MDATE, d);
		put16(n.de + DE_MTIME, t);
	}
	return fat_node_write(fs, &n);
}
