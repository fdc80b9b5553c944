/*
 * Path resolution over a back end (fs_walk.h), for the file-system
 * server (a session's path, given by the client, resolved element by
 * element below the walker's root) and lib/vfs.
 *
 * The walker keeps the chain of directories it entered (a stack whose
 * bottom is the walker's root), so ".." pops it and never leaves the
 * root, whatever the back end's own ".." says. A symbolic link is
 * replaced by its target followed by the rest of the path: an absolute
 * target starts again at the walker's root (not the file system's), a
 * relative one from the directory holding the link; at most WALK_LINKS
 * links a path (FS_E_LOOP). What the back end returns is taken as it is:
 * a lookup that gives no node, a link whose target is too long, are its
 * errors.
 */
#include <fs_walk.h>

static bool is_dots(const char *p, size_t n, size_t dots)
{
	return n == dots && p[0] == '.' && (dots == 1 || p[1] == '.');
}

/* Walk the path in buf (NUL-terminated, in w->buf); stack holds the
 * directories entered, *depth of them. */
static fs_err_t walk_buf(const struct fs_walker *w, char *buf, bool follow, uint64_t *stack,
			 unsigned *depth, uint64_t *ino)
{
	const struct fs_ops *ops = w->ops;
	unsigned links = 0;
	char *p = buf;

	for (;;) {
		char *name, *rest;
		size_t len;
		uint64_t cur = stack[*depth - 1], next;
		struct fs_stat st;
		fs_err_t err;
		bool last;

		while (*p == '/')
			p++;
		if (!*p) {
			*ino = cur;
			return FS_OK;
		}
		name = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - name);
		rest = p;
		while (*rest == '/')
			rest++;
		last = !*rest;
		if (is_dots(name, len, 1))
			continue;
		if (is_dots(name, len, 2)) {
			if (*depth > 1)
				(*depth)--;
			continue;
		}
		if (len > FS_NAME_MAX)
			return FS_E_NAMETOOLONG;
		err = ops->stat(w->fs, cur, &st);
		if (err != FS_OK)
			return err;
		if ((st.mode & FS_IFMT) != FS_IFDIR)
			return FS_E_NOTDIR;
		err = ops->lookup(w->fs, cur, name, len, &next);
		if (err != FS_OK)
			return err;
		err = ops->stat(w->fs, next, &st);
		if (err != FS_OK)
			return err;
		if ((st.mode & FS_IFMT) == FS_IFLNK && (!last || follow)) {
			size_t tlen, rlen = strlen(rest);

			if (++links > WALK_LINKS)
				return FS_E_LOOP;
			err = ops->readlink(w->fs, next, w->link, FS_PATH_MAX, &tlen);
			if (err != FS_OK)
				return err;
			if (!tlen)
				return FS_E_NOENT;
			if (tlen + 1 + rlen > 2 * FS_PATH_MAX)
				return FS_E_NAMETOOLONG;
			for (size_t i = 0; i < tlen; i++)
				if (!w->link[i])
					return FS_E_CORRUPT;
			/* target "/" rest, built in link's buffer, then copied back */
			w->link[tlen] = '/';
			memcpy(w->link + tlen + 1, rest, rlen + 1);
			memcpy(buf, w->link, tlen + 1 + rlen + 1);
			if (buf[0] == '/')
				*depth = 1;
			p = buf;
			continue;
		}
		if (last) {
			*ino = next;
			return FS_OK;
		}
		if (*depth == WALK_DEPTH)
			return FS_E_NAMETOOLONG;
		stack[(*depth)++] = next;
	}
}

fs_err_t fs_walk(const struct fs_walker *w, const char *path, bool follow, uint64_t *ino)
{
	uint64_t stack[WALK_DEPTH];
	unsigned depth = 1;
	size_t n = strlen(path);

	if (n > FS_PATH_MAX)
		return FS_E_NAMETOOLONG;
	memcpy(w->buf, path, n + 1);
	stack[0] = w->root;
	return walk_buf(w, w->buf, follow, stack, &depth, ino);
}

fs_err_t fs_walk_parent(const struct fs_walker *w, const char *path, uint64_t *dir,
		       const char **name, size_t *len)
{
	size_t n = strlen(path), end, start;
	char *buf = w->buf;
	uint64_t stack[WALK_DEPTH];
	unsigned depth = 1;

	if (n > FS_PATH_MAX)
		return FS_E_NAMETOOLONG;
	for (end = n; end && path[end - 1] == '/'; end--)
		;
	for (start = end; start && path[start - 1] != '/'; start--)
		;
	if (start == end || is_dots(path + start, end - start, 1) ||
	    is_dots(path + start, end - start, 2))
		return FS_E_INVAL;
	if (end - start > FS_NAME_MAX)
		return FS_E_NAMETOOLONG;
	memcpy(buf, path, start);
	buf[start] = 0;
	stack[0] = w->root;
	*name = path + start;
	*len = end - start;
	return walk_buf(w, buf, true, stack, &depth, dir);
}
