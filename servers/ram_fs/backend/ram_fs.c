/*
 * ram_fs's back end (ram_fs.h): nodes in a slot table, directories as
 * tables of entries ordered by a per-directory sequence number (the
 * readdir cookie, so that removing an entry never makes a reader skip
 * another), file data in sparse 4 KiB pages, every byte counted against
 * the quota. Trusts its caller for pointers only: names are checked,
 * inode numbers looked up and checked against their generation.
 */
#include <ram_fs.h>

struct ram_ent {
	uint64_t ino;
	uint64_t seq;            /* the cookie readdir returns */
	uint32_t len;
	char *name;
};

struct ram_node {
	uint64_t ino;
	uint64_t parent;         /* directories: the directory that holds it */
	uint32_t mode, nlink, uid, gid;
	int64_t atime, mtime, ctime;
	uint64_t size;
	/* regular files: pages; directories: entries; links: target */
	uint8_t **pages;
	uint64_t npages;         /* entries of pages */
	struct ram_ent *ents;
	uint32_t nents, cap;
	uint64_t next_seq;
	char *target;
};

struct ram_fs {
	struct ram_node **slot;
	uint32_t nslots, free_hint;
	uint32_t *gen;           /* per slot */
	uint64_t quota, used;
	uint64_t root;
	bool readonly;
	const struct fs_env *env;
};

#define NODE_COST (sizeof(struct ram_node) + 32)

/* ---- accounting ---- */

static bool take(struct ram_fs *f, uint64_t n)
{
	if (f->used + n > f->quota || f->used + n < f->used)
		return false;
	f->used += n;
	return true;
}

static void give(struct ram_fs *f, uint64_t n)
{
	f->used -= n;
}

static void *acct_alloc(struct ram_fs *f, size_t n)
{
	void *p;

	if (!take(f, n))
		return 0;
	p = malloc(n);
	if (!p)
		give(f, n);
	return p;
}

static void acct_free(struct ram_fs *f, void *p, size_t n)
{
	if (p) {
		free(p);
		give(f, n);
	}
}

/* Errors of acct_alloc: the quota first, then the heap. */
static fs_err_t alloc_err(struct ram_fs *f, size_t n)
{
	return f->used + n > f->quota ? FS_E_NOSPC : FS_E_NOMEM;
}

/* ---- nodes ---- */

static struct ram_node *node_of(struct ram_fs *f, uint64_t ino)
{
	uint64_t s = ino & (RAM_FS_MAX_NODES - 1);

	if (s >= f->nslots || !f->slot[s] || f->slot[s]->ino != ino)
		return 0;
	return f->slot[s];
}

static fs_err_t node_new(struct ram_fs *f, uint32_t mode, struct ram_node **out)
{
	uint32_t s;
	struct ram_node *n;

	for (s = f->free_hint; s < f->nslots && f->slot[s]; s++)
		;
	if (s == f->nslots) {
		uint32_t grow = f->nslots ? f->nslots : 16;
		struct ram_node **ns;
		uint32_t *ng;

		if (f->nslots + grow > RAM_FS_MAX_NODES)
			return FS_E_NOSPC;
		if (!take(f, (uint64_t)grow * (sizeof(*ns) + sizeof(*ng))))
			return FS_E_NOSPC;
		ns = realloc(f->slot, (f->nslots + grow) * sizeof(*ns));
		if (ns)
			f->slot = ns;
		ng = ns ? realloc(f->gen, (f->nslots + grow) * sizeof(*ng)) : 0;
		if (!ng) {
			give(f, (uint64_t)grow * (sizeof(*ns) + sizeof(*ng)));
			return FS_E_NOMEM;
		}
		f->gen = ng;
		memset(f->slot + f->nslots, 0, grow * sizeof(*ns));
		memset(f->gen + f->nslots, 0, grow * sizeof(*ng));
		f->nslots += grow;
	}
	n = acct_alloc(f, NODE_COST);
	if (!n)
		return alloc_err(f, NODE_COST);
	memset(n, 0, sizeof(*n));
	f->gen[s]++;
	n->ino = (uint64_t)f->gen[s] << 24 | s;
	n->mode = mode;
	n->nlink = 1;
	n->atime = n->mtime = n->ctime = fs_now(f->env);
	f->slot[s] = n;
	f->free_hint = s + 1;
	*out = n;
	return FS_OK;
}

static void data_free(struct ram_fs *f, struct ram_node *n, uint64_t from_page)
{
	for (uint64_t i = from_page; i < n->npages; i++) {
		acct_free(f, n->pages[i], RAM_FS_PAGE);
		n->pages[i] = 0;
	}
}

static void node_free(struct ram_fs *f, struct ram_node *n)
{
	uint32_t s = (uint32_t)(n->ino & (RAM_FS_MAX_NODES - 1));

	data_free(f, n, 0);
	acct_free(f, n->pages, n->npages * sizeof(*n->pages));
	for (uint32_t i = 0; i < n->nents; i++)
		acct_free(f, n->ents[i].name, n->ents[i].len);
	acct_free(f, n->ents, n->cap * sizeof(*n->ents));
	if (n->target)
		acct_free(f, n->target, n->size);
	f->slot[s] = 0;
	if (s < f->free_hint)
		f->free_hint = s;
	acct_free(f, n, NODE_COST);
}

static bool is_dir(const struct ram_node *n) { return (n->mode & FS_IFMT) == FS_IFDIR; }

static fs_err_t dir_of(struct ram_fs *f, uint64_t ino, struct ram_node **d)
{
	*d = node_of(f, ino);
	if (!*d)
		return FS_E_STALE;
	return is_dir(*d) ? FS_OK : FS_E_NOTDIR;
}

static struct ram_ent *ent_find(struct ram_node *d, const char *name, size_t len)
{
	for (uint32_t i = 0; i < d->nents; i++)
		if (d->ents[i].len == len && !memcmp(d->ents[i].name, name, len))
			return &d->ents[i];
	return 0;
}

static fs_err_t ent_add(struct ram_fs *f, struct ram_node *d, const char *name, size_t len,
			uint64_t ino)
{
	char *copy;

	if (d->nents == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 8;
		struct ram_ent *e;

		if (!take(f, (uint64_t)(cap - d->cap) * sizeof(*e)))
			return FS_E_NOSPC;
		e = realloc(d->ents, cap * sizeof(*e));
		if (!e) {
			give(f, (uint64_t)(cap - d->cap) * sizeof(*e));
			return FS_E_NOMEM;
		}
		d->ents = e;
		d->cap = cap;
	}
	copy = acct_alloc(f, len);
	if (!copy)
		return alloc_err(f, len);
	memcpy(copy, name, len);
	d->ents[d->nents++] = (struct ram_ent){ .ino = ino, .seq = ++d->next_seq, .len = (uint32_t)len,
						 .name = copy };
	d->size = d->nents;
	d->mtime = d->ctime = fs_now(f->env);
	return FS_OK;
}

static void ent_remove(struct ram_fs *f, struct ram_node *d, struct ram_ent *e)
{
	uint32_t i = (uint32_t)(e - d->ents);

	acct_free(f, e->name, e->len);
	memmove(&d->ents[i], &d->ents[i + 1], (d->nents - i - 1) * sizeof(*e));
	d->nents--;
	d->size = d->nents;
	d->mtime = d->ctime = fs_now(f->env);
}

/* One link of n fewer; the node goes with its last. */
static void drop_link(struct ram_fs *f, struct ram_node *n)
{
	if (is_dir(n) || --n->nlink == 0)
		node_free(f, n);
	else
		n->ctime = fs_now(f->env);
}

/* ---- operations ---- */

#define FS_OF(p) struct ram_fs *f = (p)
#define WRITABLE() do { if (f->readonly) return FS_E_ROFS; } while (0)

static fs_err_t r_root(void *fs, uint64_t *ino)
{
	FS_OF(fs);
	*ino = f->root;
	return FS_OK;
}

static fs_err_t r_lookup(void *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	FS_OF(fs);
	struct ram_node *d;
	struct ram_ent *e;
	fs_err_t err = fs_check_name(name, len, true);

	if (err == FS_OK)
		err = dir_of(f, dir, &d);
	if (err != FS_OK)
		return err;
	if (len == 1 && name[0] == '.') {
		*ino = dir;
		return FS_OK;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*ino = d->parent;
		return FS_OK;
	}
	e = ent_find(d, name, len);
	if (!e)
		return FS_E_NOENT;
	*ino = e->ino;
	return FS_OK;
}

static fs_err_t r_stat(void *fs, uint64_t ino, struct fs_stat *st)
{
	FS_OF(fs);
	struct ram_node *n = node_of(f, ino);
	uint64_t pages = 0;

	if (!n)
		return FS_E_STALE;
	for (uint64_t i = 0; i < n->npages; i++)
		pages += n->pages[i] != 0;
	memset(st, 0, sizeof(*st));
	st->ino = ino;
	st->size = n->size;
	st->blocks = pages * (RAM_FS_PAGE / 512);
	st->mode = n->mode;
	st->nlink = is_dir(n) ? 2 : n->nlink;
	st->uid = n->uid;
	st->gid = n->gid;
	st->atime = n->atime;
	st->mtime = n->mtime;
	st->ctime = n->ctime;
	return FS_OK;
}

static fs_err_t r_read(void *fs, uint64_t ino, uint64_t off, void *buf, size_t len, size_t *done)
{
	FS_OF(fs);
	struct ram_node *n = node_of(f, ino);
	uint8_t *out = buf;

	*done = 0;
	if (!n)
		return FS_E_STALE;
	if (is_dir(n))
		return FS_E_ISDIR;
	if ((n->mode & FS_IFMT) != FS_IFREG)
		return FS_E_INVAL;
	if (off >= n->size)
		return FS_OK;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	while (*done < len) {
		uint64_t p = (off + *done) / RAM_FS_PAGE, in = (off + *done) % RAM_FS_PAGE;
		size_t k = RAM_FS_PAGE - in;

		if (k > len - *done)
			k = len - *done;
		if (p < n->npages && n->pages[p])
			memcpy(out + *done, n->pages[p] + in, k);
		else
			memset(out + *done, 0, k);
		*done += k;
	}
	return FS_OK;
}

/* Make room in the page table for page index p. */
static fs_err_t pages_grow(struct ram_fs *f, struct ram_node *n, uint64_t p)
{
	uint64_t cap = n->npages ? n->npages : 4;
	uint8_t **np;

	while (cap <= p)
		cap *= 2;
	if (!take(f, (cap - n->npages) * sizeof(*np)))
		return FS_E_NOSPC;
	np = realloc(n->pages, cap * sizeof(*np));
	if (!np) {
		give(f, (cap - n->npages) * sizeof(*np));
		return FS_E_NOMEM;
	}
	memset(np + n->npages, 0, (cap - n->npages) * sizeof(*np));
	n->pages = np;
	n->npages = cap;
	return FS_OK;
}

static fs_err_t r_write(void *fs, uint64_t ino, uint64_t off, const void *buf, size_t len,
			size_t *done)
{
	FS_OF(fs);
	struct ram_node *n = node_of(f, ino);
	const uint8_t *in = buf;
	fs_err_t err = FS_OK;

	*done = 0;
	WRITABLE();
	if (!n)
		return FS_E_STALE;
	if (is_dir(n))
		return FS_E_ISDIR;
	if ((n->mode & FS_IFMT) != FS_IFREG)
		return FS_E_INVAL;
	if (off > RAM_FS_MAX_FILE || len > RAM_FS_MAX_FILE - off)
		return FS_E_FBIG;
	while (*done < len) {
		uint64_t p = (off + *done) / RAM_FS_PAGE, at = (off + *done) % RAM_FS_PAGE;
		size_t k = RAM_FS_PAGE - at;

		if (k > len - *done)
			k = len - *done;
		if (p >= n->npages && (err = pages_grow(f, n, p)) != FS_OK)
			break;
		if (!n->pages[p]) {
			n->pages[p] = acct_alloc(f, RAM_FS_PAGE);
			if (!n->pages[p]) {
				err = alloc_err(f, RAM_FS_PAGE);
				break;
			}
			memset(n->pages[p], 0, RAM_FS_PAGE);
		}
		memcpy(n->pages[p] + at, in + *done, k);
		*done += k;
		if (off + *done > n->size)
			n->size = off + *done;
	}
	if (*done) {
		n->mtime = n->ctime = fs_now(f->env);
		return FS_OK;   /* a short write says the rest did not fit */
	}
	return err;
}

static fs_err_t r_truncate(void *fs, uint64_t ino, uint64_t size)
{
	FS_OF(fs);
	struct ram_node *n = node_of(f, ino);

	WRITABLE();
	if (!n)
		return FS_E_STALE;
	if (is_dir(n))
		return FS_E_ISDIR;
	if ((n->mode & FS_IFMT) != FS_IFREG)
		return FS_E_INVAL;
	if (size > RAM_FS_MAX_FILE)
		return FS_E_FBIG;
	if (size < n->size) {
		uint64_t keep = (size + RAM_FS_PAGE - 1) / RAM_FS_PAGE;

		if (keep < n->npages)
			data_free(f, n, keep);
		/* the tail of the last page kept reads as zeros if it grows again */
		if (size % RAM_FS_PAGE && keep - 1 < n->npages && n->pages[keep - 1])
			memset(n->pages[keep - 1] + size % RAM_FS_PAGE, 0,
			       RAM_FS_PAGE - size % RAM_FS_PAGE);
	}
	n->size = size;
	n->mtime = n->ctime = fs_now(f->env);
	return FS_OK;
}

/* A new node named name in dir (checked), linked. */
static fs_err_t make(struct ram_fs *f, uint64_t dir, const char *name, size_t len, uint32_t mode,
		     struct ram_node **out)
{
	struct ram_node *d, *n;
	fs_err_t err;

	if (f->readonly)
		return FS_E_ROFS;
	if ((err = fs_check_name(name, len, false)) != FS_OK || (err = dir_of(f, dir, &d)) != FS_OK)
		return err;
	if (ent_find(d, name, len))
		return FS_E_EXIST;
	if ((err = node_new(f, mode, &n)) != FS_OK)
		return err;
	if ((err = ent_add(f, d, name, len, n->ino)) != FS_OK) {
		node_free(f, n);
		return err;
	}
	n->parent = dir;
	*out = n;
	return FS_OK;
}

static fs_err_t r_create(void *fs, uint64_t dir, const char *name, size_t len, uint32_t mode,
			 uint64_t *ino)
{
	FS_OF(fs);
	struct ram_node *n;
	uint32_t type = mode & FS_IFMT;
	fs_err_t err;

	if (type != FS_IFREG && type != FS_IFDIR)
		return FS_E_INVAL;
	err = make(f, dir, name, len, type | (mode & 07777), &n);
	if (err == FS_OK)
		*ino = n->ino;
	return err;
}

static fs_err_t r_symlink(void *fs, uint64_t dir, const char *name, size_t len, const char *target,
			  size_t target_len, uint64_t *ino)
{
	FS_OF(fs);
	struct ram_node *n;
	fs_err_t err;

	if (!target_len || target_len > FS_PATH_MAX)
		return FS_E_INVAL;
	for (size_t i = 0; i < target_len; i++)
		if (!target[i])
			return FS_E_INVAL;
	err = make(f, dir, name, len, FS_IFLNK | 0777, &n);
	if (err != FS_OK)
		return err;
	n->target = acct_alloc(f, target_len);
	if (!n->target) {
		struct ram_node *d = node_of(f, dir);

		err = alloc_err(f, target_len);
		ent_remove(f, d, ent_find(d, name, len));
		node_free(f, n);
		return err;
	}
	memcpy(n->target, target, target_len);
	n->size = target_len;
	*ino = n->ino;
	return FS_OK;
}

static fs_err_t r_readlink(void *fs, uint64_t ino, char *buf, size_t size, size_t *len)
{
	FS_OF(fs);
	struct ram_node *n = node_of(f, ino);

	if (!n)
		return FS_E_STALE;
	if ((n->mode & FS_IFMT) != FS_IFLNK)
		return FS_E_INVAL;
	*len = n->size < size ? (size_t)n->size : size;
	memcpy(buf, n->target, *len);
	return FS_OK;
}

static fs_err_t r_link(void *fs, uint64_t dir, const char *name, size_t len, uint64_t ino)
{
	FS_OF(fs);
	struct ram_node *d, *n = node_of(f, ino);
	fs_err_t err;

	WRITABLE();
	if (!n)
		return FS_E_STALE;
	if (is_dir(n))
		return FS_E_ISDIR;
	if (n->nlink == UINT32_MAX)
		return FS_E_MLINK;
	if ((err = fs_check_name(name, len, false)) != FS_OK || (err = dir_of(f, dir, &d)) != FS_OK)
		return err;
	if (ent_find(d, name, len))
		return FS_E_EXIST;
	if ((err = ent_add(f, d, name, len, ino)) != FS_OK)
		return err;
	n->nlink++;
	n->ctime = fs_now(f->env);
	return FS_OK;
}

static fs_err_t r_unlink(void *fs, uint64_t dir, const char *name, size_t len)
{
	FS_OF(fs);
	struct ram_node *d, *n;
	struct ram_ent *e;
	fs_err_t err;

	WRITABLE();
	if ((err = fs_check_name(name, len, false)) != FS_OK || (err = dir_of(f, dir, &d)) != FS_OK)
		return err;
	e = ent_find(d, name, len);
	if (!e)
		return FS_E_NOENT;
	n = node_of(f, e->ino);
	if (n && is_dir(n) && n->nents)
		return FS_E_NOTEMPTY;
	ent_remove(f, d, e);
	if (n)
		drop_link(f, n);
	return FS_OK;
}

/* Whether directory a is dir b or lies below it. */
static bool below(struct ram_fs *f, uint64_t a, uint64_t b)
{
	for (uint32_t depth = 0; depth < RAM_FS_MAX_NODES; depth++) {
		struct ram_node *n;

		if (a == b)
			return true;
		if (a == f->root || !(n = node_of(f, a)))
			return false;
		a = n->parent;
	}
	return true;
}

static fs_err_t r_rename(void *fs, uint64_t from_dir, const char *from, size_t from_len,
			 uint64_t to_dir, const char *to, size_t to_len)
{
	FS_OF(fs);
	struct ram_node *fd, *td, *n, *old = 0;
	struct ram_ent *e, *te;
	fs_err_t err;

	WRITABLE();
	if ((err = fs_check_name(from, from_len, false)) != FS_OK ||
	    (err = fs_check_name(to, to_len, false)) != FS_OK ||
	    (err = dir_of(f, from_dir, &fd)) != FS_OK || (err = dir_of(f, to_dir, &td)) != FS_OK)
		return err;
	if (!(e = ent_find(fd, from, from_len)))
		return FS_E_NOENT;
	if (!(n = node_of(f, e->ino)))
		return FS_E_STALE;
	if (is_dir(n) && below(f, to_dir, n->ino))
		return FS_E_LOOP;
	te = ent_find(td, to, to_len);
	if (te) {
		if (te->ino == e->ino)
			return FS_OK;
		old = node_of(f, te->ino);
		if (old && is_dir(old) != is_dir(n))
			return is_dir(old) ? FS_E_ISDIR : FS_E_NOTDIR;
		if (old && is_dir(old) && old->nents)
			return FS_E_NOTEMPTY;
	}
	if (fd == td && !te) {
		/* a new name in the same directory: the entry keeps its place */
		char *copy = acct_alloc(f, to_len);

		if (!copy)
			return alloc_err(f, to_len);
		memcpy(copy, to, to_len);
		acct_free(f, e->name, e->len);
		e->name = copy;
		e->len = (uint32_t)to_len;
		fd->mtime = fd->ctime = fs_now(f->env);
	} else if (te) {
		uint64_t ino = e->ino;

		te->ino = ino;
		ent_remove(f, fd, ent_find(fd, from, from_len));
		td->mtime = td->ctime = fs_now(f->env);
		if (old)
			drop_link(f, old);
	} else {
		if ((err = ent_add(f, td, to, to_len, e->ino)) != FS_OK)
			return err;
		ent_remove(f, fd, ent_find(fd, from, from_len));
	}
	n->parent = to_dir;
	n->ctime = fs_now(f->env);
	return FS_OK;
}

static fs_err_t r_readdir(void *fs, uint64_t dir, uint64_t *cookie, struct fs_dirent *ent,
			  bool *end)
{
	FS_OF(fs);
	struct ram_node *d, *n;
	uint32_t lo = 0, hi;
	fs_err_t err = dir_of(f, dir, &d);

	if (err != FS_OK)
		return err;
	/* the first entry whose seq is above the cookie (entries are in seq order) */
	hi = d->nents;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (d->ents[mid].seq <= *cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	*end = lo == d->nents;
	if (*end)
		return FS_OK;
	n = node_of(f, d->ents[lo].ino);
	ent->ino = d->ents[lo].ino;
	ent->type = n ? n->mode & FS_IFMT : 0;
	ent->len = d->ents[lo].len;
	memcpy(ent->name, d->ents[lo].name, ent->len);
	ent->name[ent->len] = 0;
	*cookie = d->ents[lo].seq;
	return FS_OK;
}

static fs_err_t r_setattr(void *fs, uint64_t ino, const struct fs_attr *a)
{
	FS_OF(fs);
	struct ram_node *n = node_of(f, ino);

	WRITABLE();
	if (!n)
		return FS_E_STALE;
	if (a->mask & ~(uint32_t)(FS_ATTR_MODE | FS_ATTR_UID | FS_ATTR_GID | FS_ATTR_ATIME |
				  FS_ATTR_MTIME))
		return FS_E_INVAL;
	if (a->mask & FS_ATTR_MODE)
		n->mode = (n->mode & FS_IFMT) | (a->mode & 07777);
	if (a->mask & FS_ATTR_UID)
		n->uid = a->uid;
	if (a->mask & FS_ATTR_GID)
		n->gid = a->gid;
	if (a->mask & FS_ATTR_ATIME)
		n->atime = a->atime;
	if (a->mask & FS_ATTR_MTIME)
		n->mtime = a->mtime;
	n->ctime = fs_now(f->env);
	return FS_OK;
}

static fs_err_t r_statfs(void *fs, struct fs_statfs *s)
{
	FS_OF(fs);
	uint64_t avail = f->quota - f->used;

	s->block_size = RAM_FS_PAGE;
	s->blocks = f->quota / RAM_FS_PAGE;
	s->blocks_free = avail / RAM_FS_PAGE;
	s->files = f->quota / NODE_COST;
	s->files_free = avail / NODE_COST;
	s->readonly = f->readonly;
	return FS_OK;
}

static fs_err_t r_sync(void *fs)
{
	(void)fs;
	return FS_OK;   /* memory is the medium */
}

static fs_err_t r_unmount(void *fs)
{
	FS_OF(fs);

	for (uint32_t s = 0; s < f->nslots; s++)
		if (f->slot[s])
			node_free(f, f->slot[s]);
	free(f->slot);
	free(f->gen);
	free(f);
	return FS_OK;
}

uint64_t ram_fs_used(void *fs)
{
	return ((struct ram_fs *)fs)->used;
}

fs_err_t ram_fs_mount(void **fs, uint64_t quota, uint32_t flags, const struct fs_env *env)
{
	struct ram_fs *f;
	struct ram_node *root;
	fs_err_t err;

	if (quota < RAM_FS_MIN_QUOTA || flags & ~(uint32_t)FS_MOUNT_READONLY)
		return FS_E_INVAL;
	f = malloc(sizeof(*f));
	if (!f)
		return FS_E_NOMEM;
	memset(f, 0, sizeof(*f));
	f->quota = quota;
	f->env = env;
	err = node_new(f, FS_IFDIR | 0755, &root);
	if (err != FS_OK) {
		r_unmount(f);
		return err;
	}
	root->parent = root->ino;
	f->root = root->ino;
	f->readonly = flags & FS_MOUNT_READONLY;
	*fs = f;
	return FS_OK;
}

const struct fs_ops ram_fs_ops = {
	.name = "ram",
	.root = r_root,
	.lookup = r_lookup,
	.stat = r_stat,
	.read = r_read,
	.write = r_write,
	.truncate = r_truncate,
	.create = r_create,
	.symlink = r_symlink,
	.readlink = r_readlink,
	.link = r_link,
	.unlink = r_unlink,
	.rename = r_rename,
	.readdir = r_readdir,
	.setattr = r_setattr,
	.statfs = r_statfs,
	.sync = r_sync,
	.unmount = r_unmount,
};
