/*
 * lib/vfs (vfs.h): the mount table and the calls that dispatch on the
 * kind of mount. Trusts the component that uses it; what a File_system
 * server answers is checked by the session's client library.
 */
#include <argil/log.h>
#include <argil/printf.h>
#include <ram_fs.h>
#include <vfs.h>

/* ---- paths ---- */

/* Normalise an absolute path into out: no "//", no "." or "..", no
 * trailing '/', "" for the root. */
static fs_err_t normalise(const char *in, char *out)
{
	size_t o = 0;

	if (!in || in[0] != '/')
		return FS_E_INVAL;
	if (strlen(in) > FS_PATH_MAX)
		return FS_E_NAMETOOLONG;
	while (*in) {
		const char *e;
		size_t n;

		while (*in == '/')
			in++;
		for (e = in; *e && *e != '/'; e++)
			;
		n = (size_t)(e - in);
		if (!n || (n == 1 && in[0] == '.')) {
			/* nothing */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (o && out[o - 1] != '/')
				o--;
			if (o)
				o--;
		} else {
			out[o++] = '/';
			memcpy(out + o, in, n);
			o += n;
		}
		in = e;
	}
	out[o] = 0;
	return FS_OK;
}

/* The mount of a normalised path and the rest of it below the mount
 * ("/..." or ""); NULL when none holds it. */
static struct vfs_mount *mount_of(struct vfs *v, const char *path, const char **rest)
{
	struct vfs_mount *best = 0;

	for (unsigned i = 0; i < v->nmounts; i++) {
		struct vfs_mount *m = &v->m[i];

		if (strncmp(path, m->path, m->plen) || (path[m->plen] && path[m->plen] != '/'))
			continue;
		if (!best || m->plen > best->plen)
			best = m;
	}
	if (best)
		*rest = path + best->plen;
	return best;
}

/* Whether path (normalised) is a directory above a mount point. */
static bool above_mount(struct vfs *v, const char *path)
{
	size_t n = strlen(path);

	for (unsigned i = 0; i < v->nmounts; i++)
		if (v->m[i].plen > n && !strncmp(v->m[i].path, path, n) && v->m[i].path[n] == '/')
			return true;
	return false;
}

static const char *rest_or_root(const char *rest)
{
	return *rest ? rest : "/";
}

/* ---- mounting ---- */

static void env_log(void *arg, const char *msg)
{
	(void)arg;
	log("vfs: %s", msg);
}

static fs_err_t mount_one(struct vfs *v, const struct cfg_node *n)
{
	struct vfs_mount *m = &v->m[v->nmounts];
	const char *path = cfg_attr(n, "path");
	char label[64];
	uint64_t size;
	fs_err_t err;

	memset(m, 0, sizeof(*m));
	if (v->nmounts == VFS_MOUNTS) {
		log("vfs: more than %u mounts", VFS_MOUNTS);
		return FS_E_NOMEM;
	}
	if (!path || strlen(path) >= VFS_MOUNT_PATH || normalise(path, v->path) != FS_OK ||
	    strlen(v->path) >= VFS_MOUNT_PATH) {
		log("vfs: <%s> line %u: bad or missing path", n->type, n->line);
		return FS_E_INVAL;
	}
	memcpy(m->path, v->path, strlen(v->path) + 1);
	m->plen = strlen(m->path);
	for (unsigned i = 0; i < v->nmounts; i++)
		if (!strcmp(v->m[i].path, m->path)) {
			log("vfs: <%s> line %u: '%s' mounted twice", n->type, n->line, path);
			return FS_E_EXIST;
		}
	if (cfg_is(n, "fs")) {
		const char *l = cfg_attr(n, "label");

		m->kind = VFS_FS;
		if (cfg_attr_size(n, "size", FS_STREAM_DEFAULT, &size) < 0)
			return FS_E_INVAL;
		snprintf(label, sizeof(label), "%s", l ? l : (m->plen ? m->path + 1 : "root"));
		err = fs_connect(&m->conn, label, size);
	} else if (cfg_is(n, "ram")) {
		m->kind = VFS_RAM;
		if (cfg_attr_size(n, "quota", 1u << 20, &size) < 0)
			return FS_E_INVAL;
		m->w.ops = &ram_fs_ops;
		m->w.buf = v->buf;
		m->w.link = v->link;
		err = ram_fs_mount(&m->w.fs, size, 0, &v->env);
		if (err == FS_OK)
			err = ram_fs_ops.root(m->w.fs, &m->w.root);
	} else if (cfg_is(n, "rom")) {
		m->kind = VFS_ROM;
		err = cfg_attr(n, "name") && attached_rom_open(&m->rom, cfg_attr(n, "name")) == RPC_OK
			      ? FS_OK : FS_E_NOENT;
	} else if (cfg_is(n, "log")) {
		m->kind = VFS_LOG;
		err = FS_OK;
	} else {
		log("vfs: line %u: unknown mount <%s>", n->line, n->type);
		return FS_E_INVAL;
	}
	if (err != FS_OK) {
		log("vfs: <%s> '%s' line %u: %s", n->type, path, n->line, fs_err_name(err));
		return err;
	}
	v->nmounts++;
	return FS_OK;
}

fs_err_t vfs_init(struct vfs *v, const struct cfg_node *vfs_node)
{
	fs_err_t err = FS_OK;

	memset(v, 0, sizeof(*v));
	v->env.log = env_log;
	v->buf = malloc(FS_WALK_BUF);
	v->link = malloc(FS_WALK_BUF);
	if (!v->buf || !v->link) {
		vfs_fini(v);
		return FS_E_NOMEM;
	}
	for (const struct cfg_node *n = cfg_child(vfs_node, 0); n && err == FS_OK; n = cfg_next(n, 0))
		err = mount_one(v, n);
	if (err != FS_OK)
		vfs_fini(v);
	return err;
}

void vfs_fini(struct vfs *v)
{
	for (int i = 0; i < VFS_FILES; i++)
		if (v->f[i].used)
			vfs_close(v, i);
	for (unsigned i = 0; i < v->nmounts; i++) {
		struct vfs_mount *m = &v->m[i];

		if (m->kind == VFS_FS)
			fs_disconnect(&m->conn);
		else if (m->kind == VFS_RAM)
			m->w.ops->unmount(m->w.fs);
		else if (m->kind == VFS_ROM)
			attached_rom_close(&m->rom);
		else if (m->llen) {
			m->line[m->llen] = 0;
			log("%s", m->line);
		}
	}
	free(v->buf);
	free(v->link);
	memset(v, 0, sizeof(*v));
}

/* ---- files ---- */

static struct vfs_file *file_of(struct vfs *v, int fd)
{
	return fd >= 0 && fd < VFS_FILES && v->f[fd].used ? &v->f[fd] : 0;
}

/* Open rest on a local back end as the file-system server does. */
static fs_err_t local_open(struct vfs_mount *m, const char *rest, unsigned flags, uint32_t mode,
			   struct vfs_file *f)
{
	const struct fs_ops *ops = m->w.ops;
	bool write = flags & (FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNC);
	struct fs_stat st;
	const char *name;
	uint64_t dir;
	size_t len;
	fs_err_t err = fs_walk(&m->w, rest, !(flags & FS_OPEN_NOFOLLOW), &f->ino);

	if (err == FS_OK && (flags & (FS_OPEN_CREATE | FS_OPEN_EXCL)) ==
			    (FS_OPEN_CREATE | FS_OPEN_EXCL))
		return FS_E_EXIST;
	if (err == FS_E_NOENT && flags & FS_OPEN_CREATE) {
		err = fs_walk_parent(&m->w, rest, &dir, &name, &len);
		if (err == FS_OK)
			err = ops->create(m->w.fs, dir, name, len, FS_IFREG | (mode & 07777), &f->ino);
	}
	if (err == FS_OK)
		err = ops->stat(m->w.fs, f->ino, &st);
	if (err == FS_OK && (st.mode & FS_IFMT) == FS_IFDIR && write)
		err = FS_E_ISDIR;
	if (err == FS_OK && flags & FS_OPEN_TRUNC)
		err = ops->truncate(m->w.fs, f->ino, 0);
	f->type = err == FS_OK ? st.mode & FS_IFMT : 0;
	f->writable = write;
	return err;
}

fs_err_t vfs_open(struct vfs *v, const char *path, unsigned flags, uint32_t mode, int *fd)
{
	struct vfs_file *f = 0;
	struct vfs_mount *m;
	const char *rest;
	struct fs_stat st;
	bool write = flags & (FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNC);
	fs_err_t err;
	int i;

	if (flags & ~(unsigned)FS_OPEN_FLAGS)
		return FS_E_INVAL;
	if ((err = normalise(path, v->path)) != FS_OK)
		return err;
	for (i = 0; i < VFS_FILES && v->f[i].used; i++)
		;
	if (i == VFS_FILES)
		return FS_E_NOMEM;
	f = &v->f[i];
	memset(f, 0, sizeof(*f));
	m = mount_of(v, v->path, &rest);
	if (!m || ((m->kind == VFS_ROM || m->kind == VFS_LOG) && *rest)) {
		if (!above_mount(v, v->path))
			return FS_E_NOENT;
		if (write)
			return FS_E_ROFS;
		f->vdir = malloc(strlen(v->path) + 1);
		if (!f->vdir)
			return FS_E_NOMEM;
		memcpy(f->vdir, v->path, strlen(v->path) + 1);
		f->type = FS_IFDIR;
		m = 0;
		err = FS_OK;
	} else if (m->kind == VFS_FS) {
		err = fs_open(&m->conn, rest_or_root(rest), flags, mode, &f->handle);
		if (err == FS_OK && (err = fs_fstat(&m->conn, f->handle, &st)) != FS_OK)
			fs_close(&m->conn, f->handle);
		if (err == FS_OK)
			f->type = st.mode & FS_IFMT;
		f->writable = write;
	} else if (m->kind == VFS_RAM) {
		err = local_open(m, rest_or_root(rest), flags, mode, f);
	} else if (m->kind == VFS_ROM) {
		err = write ? FS_E_ROFS : FS_OK;
		f->type = FS_IFREG;
	} else {
		f->type = FS_IFREG;
		f->writable = true;
		err = FS_OK;
	}
	if (err != FS_OK)
		return err;
	f->used = true;
	f->m = m;
	*fd = i;
	return FS_OK;
}

fs_err_t vfs_close(struct vfs *v, int fd)
{
	struct vfs_file *f = file_of(v, fd);

	if (!f)
		return FS_E_INVAL;
	if (f->m && f->m->kind == VFS_FS)
		fs_close(&f->m->conn, f->handle);
	free(f->vdir);
	memset(f, 0, sizeof(*f));
	return FS_OK;
}

fs_err_t vfs_read(struct vfs *v, int fd, void *buf, size_t len, size_t *done)
{
	struct vfs_file *f = file_of(v, fd);
	fs_err_t err;

	*done = 0;
	if (!f)
		return FS_E_INVAL;
	if (f->type == FS_IFDIR)
		return FS_E_ISDIR;
	switch (f->m->kind) {
	case VFS_FS:
		err = fs_read(&f->m->conn, f->handle, f->pos, buf, len, done);
		break;
	case VFS_RAM:
		err = f->m->w.ops->read(f->m->w.fs, f->ino, f->pos, buf, len, done);
		break;
	case VFS_ROM:
		if (f->pos < f->m->rom.size) {
			*done = f->m->rom.size - f->pos < len ? f->m->rom.size - f->pos : len;
			memcpy(buf, f->m->rom.data + f->pos, *done);
		}
		err = FS_OK;
		break;
	default:
		err = FS_OK;   /* a log reads as empty */
	}
	f->pos += *done;
	return err;
}

static void log_bytes(struct vfs_mount *m, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\n')
			m->line[m->llen++] = p[i];
		if (p[i] == '\n' || m->llen == VFS_LOG_LINE) {
			m->line[m->llen] = 0;
			log("%s", m->line);
			m->llen = 0;
		}
	}
}

fs_err_t vfs_write(struct vfs *v, int fd, const void *buf, size_t len, size_t *done)
{
	struct vfs_file *f = file_of(v, fd);
	fs_err_t err;

	*done = 0;
	if (!f)
		return FS_E_INVAL;
	if (!f->m || f->type == FS_IFDIR)
		return FS_E_ISDIR;
	if (!f->writable)
		return FS_E_PERM;
	switch (f->m->kind) {
	case VFS_FS:
		err = fs_write(&f->m->conn, f->handle, f->pos, buf, len, done);
		break;
	case VFS_RAM:
		err = f->m->w.ops->write(f->m->w.fs, f->ino, f->pos, buf, len, done);
		if (err == FS_OK && *done < len)
			err = FS_E_NOSPC;
		break;
	case VFS_LOG:
		log_bytes(f->m, buf, len);
		*done = len;
		err = FS_OK;
		break;
	default:
		err = FS_E_ROFS;
	}
	f->pos += *done;
	return err;
}

fs_err_t vfs_fstat(struct vfs *v, int fd, struct fs_stat *st)
{
	struct vfs_file *f = file_of(v, fd);

	if (!f)
		return FS_E_INVAL;
	memset(st, 0, sizeof(*st));
	if (!f->m) {
		st->mode = FS_IFDIR | 0555;
		st->nlink = 2;
		return FS_OK;
	}
	switch (f->m->kind) {
	case VFS_FS: return fs_fstat(&f->m->conn, f->handle, st);
	case VFS_RAM: return f->m->w.ops->stat(f->m->w.fs, f->ino, st);
	case VFS_ROM:
		st->mode = FS_IFREG | 0444;
		st->size = f->m->rom.size;
		break;
	default:
		st->mode = FS_IFREG | 0222;
	}
	st->nlink = 1;
	return FS_OK;
}

fs_err_t vfs_seek(struct vfs *v, int fd, int64_t off, enum vfs_whence whence, uint64_t *pos)
{
	struct vfs_file *f = file_of(v, fd);
	struct fs_stat st;
	int64_t base;
	fs_err_t err;

	if (!f)
		return FS_E_INVAL;
	if (whence == VFS_SEEK_SET) {
		base = 0;
	} else if (whence == VFS_SEEK_CUR) {
		base = (int64_t)f->pos;
	} else if (whence == VFS_SEEK_END) {
		if ((err = vfs_fstat(v, fd, &st)) != FS_OK)
			return err;
		base = (int64_t)st.size;
	} else {
		return FS_E_INVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base + off < base))
		return FS_E_INVAL;
	f->pos = (uint64_t)(base + off);
	f->cookie = 0;   /* a directory's position is found again from its start */
	if (pos)
		*pos = f->pos;
	return FS_OK;
}

/* The entry at f->pos of a directory above mount points: the distinct
 * next elements of the mount paths below it. */
static fs_err_t vdir_entry(struct vfs *v, struct vfs_file *f, struct fs_dirent *ent, bool *end)
{
	size_t n = strlen(f->vdir);
	uint64_t index = 0;

	for (unsigned i = 0; i < v->nmounts; i++) {
		const char *p = v->m[i].path, *e;
		bool seen = false;

		if (v->m[i].plen <= n || strncmp(p, f->vdir, n) || p[n] != '/')
			continue;
		p += n + 1;
		for (e = p; *e && *e != '/'; e++)
			;
		for (unsigned j = 0; j < i && !seen; j++) {
			const char *q = v->m[j].path;

			seen = v->m[j].plen > n && !strncmp(q, f->vdir, n) && q[n] == '/' &&
			       !strncmp(q + n + 1, p, (size_t)(e - p)) &&
			       (q[n + 1 + (e - p)] == '/' || !q[n + 1 + (e - p)]);
		}
		if (seen || index++ < f->pos)
			continue;
		ent->ino = 0;
		ent->len = (uint32_t)(e - p);
		memcpy(ent->name, p, ent->len);
		ent->name[ent->len] = 0;
		ent->type = *e || v->m[i].kind == VFS_FS || v->m[i].kind == VFS_RAM ? FS_IFDIR
										     : FS_IFREG;
		*end = false;
		f->pos++;
		return FS_OK;
	}
	*end = true;
	return FS_OK;
}

fs_err_t vfs_readdir(struct vfs *v, int fd, struct fs_dirent *ent, bool *end)
{
	struct vfs_file *f = file_of(v, fd);
	fs_err_t err;

	*end = false;
	if (!f)
		return FS_E_INVAL;
	if (f->type != FS_IFDIR)
		return FS_E_NOTDIR;
	if (!f->m)
		return vdir_entry(v, f, ent, end);
	if (f->m->kind == VFS_FS) {
		err = fs_readdir(&f->m->conn, f->handle, f->pos, ent, end);
	} else {
		/* the cookie of the entry before pos; from the start after a seek */
		if (!f->cookie && f->pos) {
			uint64_t c = 0;
			struct fs_dirent skip;

			for (uint64_t i = 0; i < f->pos; i++) {
				err = f->m->w.ops->readdir(f->m->w.fs, f->ino, &c, &skip, end);
				if (err != FS_OK || *end)
					return err;
			}
			f->cookie = c;
		}
		err = f->m->w.ops->readdir(f->m->w.fs, f->ino, &f->cookie, ent, end);
	}
	if (err == FS_OK && !*end)
		f->pos++;
	return err;
}

/* ---- names ---- */

fs_err_t vfs_stat(struct vfs *v, const char *path, struct fs_stat *st)
{
	int fd;
	fs_err_t err = vfs_open(v, path, 0, 0, &fd);

	if (err != FS_OK)
		return err;
	err = vfs_fstat(v, fd, st);
	vfs_close(v, fd);
	return err;
}

/* The mount that may change rest (a directory of a session or a ram
 * file system); FS_E_ROFS for the others. */
static fs_err_t changeable(struct vfs *v, const char *path, char *norm, struct vfs_mount **m,
			   const char **rest)
{
	fs_err_t err = normalise(path, norm);

	if (err != FS_OK)
		return err;
	*m = mount_of(v, norm, rest);
	if (!*m)
		return above_mount(v, norm) ? FS_E_ROFS : FS_E_NOENT;
	if ((*m)->kind == VFS_ROM || (*m)->kind == VFS_LOG)
		return **rest ? FS_E_NOTDIR : FS_E_ROFS;
	if (!**rest)
		return FS_E_INVAL;   /* the mount point itself */
	return FS_OK;
}

fs_err_t vfs_mkdir(struct vfs *v, const char *path, uint32_t mode)
{
	struct vfs_mount *m;
	const char *rest, *name;
	uint64_t dir, ino;
	size_t len;
	fs_err_t err = changeable(v, path, v->path, &m, &rest);

	if (err != FS_OK)
		return err == FS_E_INVAL ? FS_E_EXIST : err;
	if (m->kind == VFS_FS)
		return fs_mkdir(&m->conn, rest, mode);
	err = fs_walk_parent(&m->w, rest, &dir, &name, &len);
	if (err == FS_OK)
		err = m->w.ops->create(m->w.fs, dir, name, len, FS_IFDIR | (mode & 07777), &ino);
	return err;
}

fs_err_t vfs_unlink(struct vfs *v, const char *path)
{
	struct vfs_mount *m;
	const char *rest, *name;
	uint64_t dir;
	size_t len;
	fs_err_t err = changeable(v, path, v->path, &m, &rest);

	if (err != FS_OK)
		return err;
	if (m->kind == VFS_FS)
		return fs_unlink(&m->conn, rest);
	err = fs_walk_parent(&m->w, rest, &dir, &name, &len);
	if (err == FS_OK)
		err = m->w.ops->unlink(m->w.fs, dir, name, len);
	return err;
}

fs_err_t vfs_rename(struct vfs *v, const char *from, const char *to)
{
	struct vfs_mount *m, *m2;
	const char *rest, *rest2, *name, *name2;
	uint64_t dir, dir2;
	size_t len, len2;
	fs_err_t err = changeable(v, from, v->path, &m, &rest);

	if (err == FS_OK)
		err = changeable(v, to, v->path2, &m2, &rest2);
	if (err != FS_OK)
		return err;
	if (m != m2)
		return FS_E_UNSUPPORTED;
	if (m->kind == VFS_FS)
		return fs_rename(&m->conn, rest, rest2);
	err = fs_walk_parent(&m->w, rest, &dir, &name, &len);
	if (err != FS_OK)
		return err;
	/* the walker's buffer is reused: the first name must stay in v->path */
	err = fs_walk_parent(&m->w, rest2, &dir2, &name2, &len2);
	if (err == FS_OK)
		err = m->w.ops->rename(m->w.fs, dir, name, len, dir2, name2, len2);
	return err;
}

fs_err_t vfs_sync(struct vfs *v)
{
	fs_err_t err = FS_OK, e;

	for (unsigned i = 0; i < v->nmounts; i++) {
		struct vfs_mount *m = &v->m[i];

		if (m->kind == VFS_FS)
			e = fs_sync(&m->conn);
		else if (m->kind == VFS_RAM)
			e = m->w.ops->sync(m->w.fs);
		else
			e = FS_OK;
		if (err == FS_OK)
			err = e;
	}
	return err;
}
