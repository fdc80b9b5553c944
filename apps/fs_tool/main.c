/*
 * fs_tool (docs/storage.md, "fs_tool"): file operations on lib/vfs's
 * name space, one step per node of its config, in order, each printed
 * with its result; at the end "fs_tool: N steps, N failed" and exit 0 if
 * none failed (1 otherwise).
 *
 *   <config>
 *     <vfs> <fs path="/fs" label="data"/> <ram path="/tmp"/> </vfs>
 *     <write    path="/fs/a" text="abc"/>                a file with that text
 *     <tree     path="/fs/t" depth="2" dirs="2" files="3" size="5000" seed="1"/>
 *     <mkdir    path="/fs/d"/>
 *     <copy     from="/fs/t" to="/tmp/t"/>              files and directories
 *     <checksum path="/fs/a"/>                          SHA-256, as sha256sum prints it
 *     <compare  a="/fs/t" b="/tmp/t" expect="equal"/>   or "different"
 *     <list     path="/fs" recursive="yes"/>
 *     <report   path="/fs" label="listing"/>            the listing as a report
 *     <remove   path="/tmp/t"/>                         recursively
 *     <rename   from="/fs/a" to="/fs/b"/>
 *     <sync/>                                           logs "sync returned" when it did
 *   </config>
 *
 * A report stays (report_rom shows it) while its session is open: with
 * exit="no" on <config> the tool keeps running after its steps, holding
 * its reports; by default it exits and they go. A second report with the
 * same label replaces the first.
 *
 * tree makes dirs directories per level down to depth, files files in
 * each directory, each of size bytes of a pattern from seed (the same
 * config makes the same tree). A step that fails says why and the tool
 * goes on with the next. Trusts its parent and config.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <report_session.h>
#include <sha256.h>
#include <vfs.h>

#define CHUNK 16384
#define MAX_DEPTH 16
#define MAX_REPORTS 4

static struct vfs vfs;
static struct config_rom config;
static uint8_t buf_a[CHUNK], buf_b[CHUNK];
static struct reporter reports[MAX_REPORTS];
static const char *report_label[MAX_REPORTS];

/* ---- helpers ---- */

static fs_err_t join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? FS_E_NAMETOOLONG : FS_OK;
}

static fs_err_t write_all(int fd, const void *p, size_t n)
{
	size_t done;
	fs_err_t err = vfs_write(&vfs, fd, p, n, &done);

	return err == FS_OK && done != n ? FS_E_NOSPC : err;
}

static fs_err_t put(const char *path, const void *data, size_t n)
{
	int fd;
	fs_err_t err = vfs_open(&vfs, path, FS_OPEN_CREATE | FS_OPEN_TRUNC, 0644, &fd);

	if (err != FS_OK)
		return err;
	err = write_all(fd, data, n);
	vfs_close(&vfs, fd);
	return err;
}

static bool is_dir(const char *path)
{
	struct fs_stat st;

	return vfs_stat(&vfs, path, &st) == FS_OK && (st.mode & FS_IFMT) == FS_IFDIR;
}

/* Every entry of directory path: fn(path of the entry, entry, arg). */
typedef fs_err_t (*entry_fn)(const char *path, const struct fs_dirent *e, void *arg);

static fs_err_t each_entry(const char *dir, entry_fn fn, void *arg)
{
	struct fs_dirent *e = malloc(sizeof(*e));
	char *sub = malloc(FS_PATH_MAX + 1);
	fs_err_t err;
	bool end;
	int fd = -1;

	if (!e || !sub) {
		free(e);
		free(sub);
		return FS_E_NOMEM;
	}
	err = vfs_open(&vfs, dir, 0, 0, &fd);
	while (err == FS_OK) {
		err = vfs_readdir(&vfs, fd, e, &end);
		if (err != FS_OK || end)
			break;
		err = join(sub, FS_PATH_MAX + 1, dir, e->name);
		if (err == FS_OK)
			err = fn(sub, e, arg);
	}
	if (fd >= 0)
		vfs_close(&vfs, fd);
	free(e);
	free(sub);
	return err;
}

/* ---- steps ---- */

static fs_err_t do_write(const struct cfg_node *n)
{
	const char *path = cfg_attr(n, "path"), *text = cfg_attr(n, "text");

	if (!path || !text)
		return FS_E_INVAL;
	return put(path, text, strlen(text));
}

struct tree {
	uint64_t depth, dirs, files, size, seed;
	uint64_t made_files, made_dirs;
};

static void pattern(uint8_t *p, size_t n, uint64_t seed, uint64_t off)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t x = (off + i) * 0x9e3779b97f4a7c15ull ^ seed;

		p[i] = (uint8_t)(x >> 29 ^ x >> 7);
	}
}

static fs_err_t make_tree(struct tree *t, const char *path, uint64_t level)
{
	char name[32], *sub;
	fs_err_t err = vfs_mkdir(&vfs, path, 0755);

	if (err != FS_OK)
		return err;
	t->made_dirs++;
	sub = malloc(FS_PATH_MAX + 1);
	if (!sub)
		return FS_E_NOMEM;
	for (uint64_t f = 0; f < t->files && err == FS_OK; f++) {
		uint64_t seed = t->seed ^ (t->made_files + 1) * 0x100000001b3ull;
		int fd = -1;

		snprintf(name, sizeof(name), "file%llu", (unsigned long long)f);
		err = join(sub, FS_PATH_MAX + 1, path, name);
		if (err == FS_OK)
			err = vfs_open(&vfs, sub, FS_OPEN_CREATE | FS_OPEN_EXCL, 0644, &fd);
		for (uint64_t off = 0; err == FS_OK && off < t->size; off += CHUNK) {
			size_t k = t->size - off < CHUNK ? (size_t)(t->size - off) : CHUNK;

			pattern(buf_a, k, seed, off);
			err = write_all(fd, buf_a, k);
		}
		if (fd >= 0)
			vfs_close(&vfs, fd);
		t->made_files++;
	}
	for (uint64_t d = 0; level < t->depth && d < t->dirs && err == FS_OK; d++) {
		snprintf(name, sizeof(name), "dir%llu", (unsigned long long)d);
		err = join(sub, FS_PATH_MAX + 1, path, name);
		if (err == FS_OK)
			err = make_tree(t, sub, level + 1);
	}
	free(sub);
	return err;
}

static fs_err_t do_tree(const struct cfg_node *n)
{
	struct tree t = { 0 };
	const char *path = cfg_attr(n, "path");
	fs_err_t err;

	if (!path || cfg_attr_u64(n, "depth", 1, &t.depth) < 0 ||
	    cfg_attr_u64(n, "dirs", 2, &t.dirs) < 0 || cfg_attr_u64(n, "files", 2, &t.files) < 0 ||
	    cfg_attr_size(n, "size", 1024, &t.size) < 0 || cfg_attr_u64(n, "seed", 1, &t.seed) < 0 ||
	    t.depth > MAX_DEPTH)
		return FS_E_INVAL;
	err = make_tree(&t, path, 1);
	printf("tree %s: %llu directories, %llu files of %llu bytes\n", path,
	       (unsigned long long)t.made_dirs, (unsigned long long)t.made_files,
	       (unsigned long long)t.size);
	return err;
}

static fs_err_t copy(const char *from, const char *to);

static fs_err_t copy_entry(const char *path, const struct fs_dirent *e, void *arg)
{
	const char *to_dir = arg;
	char *to = malloc(FS_PATH_MAX + 1);
	fs_err_t err;

	if (!to)
		return FS_E_NOMEM;
	err = join(to, FS_PATH_MAX + 1, to_dir, e->name);
	if (err == FS_OK)
		err = copy(path, to);
	free(to);
	return err;
}

static fs_err_t copy(const char *from, const char *to)
{
	size_t n;
	fs_err_t err;
	int in, out = -1;

	if (is_dir(from)) {
		err = vfs_mkdir(&vfs, to, 0755);
		return err == FS_OK ? each_entry(from, copy_entry, (void *)to) : err;
	}
	err = vfs_open(&vfs, from, 0, 0, &in);
	if (err != FS_OK)
		return err;
	err = vfs_open(&vfs, to, FS_OPEN_CREATE | FS_OPEN_TRUNC, 0644, &out);
	while (err == FS_OK) {
		err = vfs_read(&vfs, in, buf_a, CHUNK, &n);
		if (err != FS_OK || !n)
			break;
		err = write_all(out, buf_a, n);
	}
	vfs_close(&vfs, in);
	if (out >= 0)
		vfs_close(&vfs, out);
	return err;
}

static fs_err_t checksum(const char *path, char hex[SHA256_HEX], uint64_t *size)
{
	struct sha256 s;
	uint8_t d[SHA256_DIGEST];
	size_t n;
	int fd;
	fs_err_t err = vfs_open(&vfs, path, 0, 0, &fd);

	if (err != FS_OK)
		return err;
	sha256_init(&s);
	*size = 0;
	while ((err = vfs_read(&vfs, fd, buf_a, CHUNK, &n)) == FS_OK && n) {
		sha256_update(&s, buf_a, n);
		*size += n;
	}
	vfs_close(&vfs, fd);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	return err;
}

/* Compare two files or trees: FS_OK and *same. */
static fs_err_t compare(const char *a, const char *b, bool *same);

struct cmp { const char *b; bool *same; };

static fs_err_t compare_entry(const char *path, const struct fs_dirent *e, void *arg)
{
	struct cmp *c = arg;
	char *other = malloc(FS_PATH_MAX + 1);
	fs_err_t err;

	if (!other)
		return FS_E_NOMEM;
	err = join(other, FS_PATH_MAX + 1, c->b, e->name);
	if (err == FS_OK)
		err = compare(path, other, c->same);
	free(other);
	return err;
}

static fs_err_t count_entry(const char *path, const struct fs_dirent *e, void *arg)
{
	(void)path;
	(void)e;
	(*(uint64_t *)arg)++;
	return FS_OK;
}

static fs_err_t compare(const char *a, const char *b, bool *same)
{
	struct fs_stat sa, sb;
	size_t na, nb;
	fs_err_t err;
	int fa, fb;

	if (vfs_stat(&vfs, b, &sb) != FS_OK) {
		printf("compare: %s is missing\n", b);
		*same = false;
		return FS_OK;
	}
	if ((err = vfs_stat(&vfs, a, &sa)) != FS_OK)
		return err;
	if ((sa.mode & FS_IFMT) != (sb.mode & FS_IFMT)) {
		printf("compare: %s and %s differ in type\n", a, b);
		*same = false;
		return FS_OK;
	}
	if ((sa.mode & FS_IFMT) == FS_IFDIR) {
		struct cmp c = { b, same };
		uint64_t ca = 0, cb = 0;

		err = each_entry(a, compare_entry, &c);
		if (err == FS_OK)
			err = each_entry(a, count_entry, &ca);
		if (err == FS_OK)
			err = each_entry(b, count_entry, &cb);
		if (err == FS_OK && ca != cb) {
			printf("compare: %s has %llu entries, %s %llu\n", a, (unsigned long long)ca, b,
			       (unsigned long long)cb);
			*same = false;
		}
		return err;
	}
	if (sa.size != sb.size) {
		printf("compare: %s has %llu bytes, %s %llu\n", a, (unsigned long long)sa.size, b,
		       (unsigned long long)sb.size);
		*same = false;
		return FS_OK;
	}
	if ((err = vfs_open(&vfs, a, 0, 0, &fa)) != FS_OK)
		return err;
	if ((err = vfs_open(&vfs, b, 0, 0, &fb)) != FS_OK) {
		vfs_close(&vfs, fa);
		return err;
	}
	for (uint64_t off = 0; err == FS_OK; off += na) {
		err = vfs_read(&vfs, fa, buf_a, CHUNK, &na);
		if (err == FS_OK)
			err = vfs_read(&vfs, fb, buf_b, CHUNK, &nb);
		if (err != FS_OK || (!na && !nb))
			break;
		if (na != nb || memcmp(buf_a, buf_b, na)) {
			printf("compare: %s and %s differ at or after byte %llu\n", a, b,
			       (unsigned long long)off);
			*same = false;
			break;
		}
	}
	vfs_close(&vfs, fa);
	vfs_close(&vfs, fb);
	return err;
}

static fs_err_t do_compare(const struct cfg_node *n)
{
	const char *a = cfg_attr(n, "a"), *b = cfg_attr(n, "b");
	bool want_same = !cfg_attr_is(n, "expect", "different"), same = true;
	fs_err_t err;

	if (!a || !b || (cfg_has_attr(n, "expect") && !cfg_attr_is(n, "expect", "equal") &&
			 want_same))
		return FS_E_INVAL;
	err = compare(a, b, &same);
	if (err != FS_OK)
		return err;
	printf("compare %s %s: %s\n", a, b, same ? "equal" : "different");
	return same == want_same ? FS_OK : FS_E_INVAL;
}

struct lister {
	bool recursive;
	unsigned depth;
	struct cfg_writer *w;    /* a report, or NULL: print */
};

static fs_err_t list_entry(const char *path, const struct fs_dirent *e, void *arg)
{
	struct lister *l = arg;
	struct fs_stat st;
	fs_err_t err = vfs_stat(&vfs, path, &st);
	bool dir = err == FS_OK && (st.mode & FS_IFMT) == FS_IFDIR;

	if (err != FS_OK)
		st.size = 0;
	if (l->w) {
		cfg_node_begin(l->w, dir ? "dir" : (st.mode & FS_IFMT) == FS_IFLNK ? "link" : "file");
		cfg_node_attr(l->w, "name", e->name);
		if (!dir)
			cfg_node_attr_u64(l->w, "size", st.size);
	} else {
		printf("%*s%s%s %llu\n", (int)(2 * l->depth), "", e->name, dir ? "/" : "",
		       (unsigned long long)st.size);
	}
	if (dir && l->recursive && l->depth < MAX_DEPTH) {
		l->depth++;
		err = each_entry(path, list_entry, l);
		l->depth--;
	}
	if (l->w)
		cfg_node_end(l->w);
	return err;
}

static fs_err_t do_list(const struct cfg_node *n)
{
	struct lister l = { 0 };
	const char *path = cfg_attr(n, "path");

	if (!path || cfg_attr_bool(n, "recursive", false, &l.recursive) < 0)
		return FS_E_INVAL;
	printf("list %s:\n", path);
	return each_entry(path, list_entry, &l);
}

static fs_err_t do_report(const struct cfg_node *n)
{
	struct lister l = { .recursive = true };
	const char *path = cfg_attr(n, "path"), *label = cfg_attr(n, "label");
	struct cfg_writer *w = malloc(sizeof(*w));
	struct reporter *r = 0;
	uint64_t size;
	char *out;
	fs_err_t err;

	if (!w || !path || !label || cfg_attr_size(n, "size", 16384, &size) < 0 || !size ||
	    size > (1u << 20) || !(out = malloc(size))) {
		free(w);
		return !w ? FS_E_NOMEM : FS_E_INVAL;
	}
	cfg_writer_init(w, out, size);
	cfg_node_begin(w, "listing");
	cfg_node_attr(w, "path", path);
	l.w = w;
	err = each_entry(path, list_entry, &l);
	cfg_node_end(w);
	if (err == FS_OK && !cfg_writer_ok(w))
		err = FS_E_NOSPC;
	for (int i = 0; i < MAX_REPORTS && err == FS_OK && !r; i++) {
		if (report_label[i] && !strcmp(report_label[i], label) && reports[i].size >= w->len) {
			r = &reports[i];
		} else if (!report_label[i]) {
			if (reporter_open(&reports[i], label, size) != RPC_OK)
				err = FS_E_IO;
			else
				report_label[i] = label;
			r = &reports[i];
		}
	}
	if (err == FS_OK && !r)
		err = FS_E_NOMEM;
	if (err == FS_OK && reporter_submit(r, out, w->len) != RPC_OK)
		err = FS_E_IO;
	if (err == FS_OK)
		printf("report %s: %lu bytes\n", label, (unsigned long)w->len);
	free(out);
	free(w);
	return err;
}

static fs_err_t remove_entry(const char *path, const struct fs_dirent *e, void *arg);

static fs_err_t remove_tree(const char *path)
{
	struct fs_stat st;
	fs_err_t err = vfs_stat(&vfs, path, &st);

	if (err == FS_OK && (st.mode & FS_IFMT) == FS_IFDIR) {
		/* entries go while the directory is read: always take the first */
		struct fs_dirent *e = malloc(sizeof(*e));
		char *sub = malloc(FS_PATH_MAX + 1);
		bool end = false;
		int fd;

		err = e && sub ? FS_OK : FS_E_NOMEM;
		while (err == FS_OK && !end) {
			err = vfs_open(&vfs, path, 0, 0, &fd);
			if (err != FS_OK)
				break;
			err = vfs_readdir(&vfs, fd, e, &end);
			vfs_close(&vfs, fd);
			if (err == FS_OK && !end && (err = join(sub, FS_PATH_MAX + 1, path, e->name)) == FS_OK)
				err = remove_entry(sub, e, 0);
		}
		free(e);
		free(sub);
	}
	return err == FS_OK ? vfs_unlink(&vfs, path) : err;
}

static fs_err_t remove_entry(const char *path, const struct fs_dirent *e, void *arg)
{
	(void)e;
	(void)arg;
	return remove_tree(path);
}

static fs_err_t step(const struct cfg_node *n)
{
	char hex[SHA256_HEX];
	uint64_t size;
	fs_err_t err;

	if (cfg_is(n, "vfs"))
		return FS_OK;
	if (cfg_is(n, "write"))
		return do_write(n);
	if (cfg_is(n, "tree"))
		return do_tree(n);
	if (cfg_is(n, "mkdir"))
		return cfg_attr(n, "path") ? vfs_mkdir(&vfs, cfg_attr(n, "path"), 0755) : FS_E_INVAL;
	if (cfg_is(n, "copy")) {
		if (!cfg_attr(n, "from") || !cfg_attr(n, "to"))
			return FS_E_INVAL;
		err = copy(cfg_attr(n, "from"), cfg_attr(n, "to"));
		if (err == FS_OK)
			printf("copy %s %s: done\n", cfg_attr(n, "from"), cfg_attr(n, "to"));
		return err;
	}
	if (cfg_is(n, "checksum")) {
		if (!cfg_attr(n, "path"))
			return FS_E_INVAL;
		err = checksum(cfg_attr(n, "path"), hex, &size);
		if (err == FS_OK)
			printf("sha256 %s  %s (%llu bytes)\n", hex, cfg_attr(n, "path"),
			       (unsigned long long)size);
		return err;
	}
	if (cfg_is(n, "compare"))
		return do_compare(n);
	if (cfg_is(n, "list"))
		return do_list(n);
	if (cfg_is(n, "report"))
		return do_report(n);
	if (cfg_is(n, "remove"))
		return cfg_attr(n, "path") ? remove_tree(cfg_attr(n, "path")) : FS_E_INVAL;
	if (cfg_is(n, "rename"))
		return cfg_attr(n, "from") && cfg_attr(n, "to")
			       ? vfs_rename(&vfs, cfg_attr(n, "from"), cfg_attr(n, "to")) : FS_E_INVAL;
	if (cfg_is(n, "sync")) {
		err = vfs_sync(&vfs);
		if (err == FS_OK)
			printf("sync returned\n");
		return err;
	}
	return FS_E_UNSUPPORTED;
}

void component_construct(struct component_env *env)
{
	unsigned steps = 0, failed = 0;
	bool exit = true;
	fs_err_t err;

	(void)env;
	if (config_rom_open(&config, "config", &env->ep, 0, 0) != RPC_OK || !config.node) {
		log("error: no config");
		component_exit(1);
	}
	err = vfs_init(&vfs, cfg_child(config.node, "vfs"));
	if (err != FS_OK) {
		log("error: cannot mount: %s", fs_err_name(err));
		component_exit(1);
	}
	for (const struct cfg_node *n = cfg_child(config.node, 0); n; n = cfg_next(n, 0)) {
		if (cfg_is(n, "vfs"))
			continue;
		steps++;
		err = step(n);
		if (err != FS_OK) {
			failed++;
			printf("step %u <%s> (line %u) failed: %s\n", steps, n->type, n->line,
			       fs_err_name(err));
		}
	}
	vfs_fini(&vfs);
	printf("fs_tool: %u steps, %u failed\n", steps, failed);
	if (cfg_attr_bool(config.node, "exit", true, &exit) < 0)
		log("error: config: exit= is yes or no");
	if (!exit)
		return;   /* the reports stay */
	for (int i = 0; i < MAX_REPORTS; i++)
		if (report_label[i])
			reporter_close(&reports[i]);
	component_exit(failed ? 1 : 0);
}
