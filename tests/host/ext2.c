// sources: lib/ext2/super.c lib/ext2/alloc.c lib/ext2/inode.c lib/ext2/file.c lib/ext2/dir.c lib/ext2/ops.c lib/fs/bcache.c lib/fs/fs.c
// cflags: -Ilib/fs/include -Ilib/ext2/include
/*
 * Host tests of lib/ext2 (ext2.h) on images that Debian's e2fsprogs make
 * and check: mkfs.ext2 -q makes each image (its defaults, or 4 KiB blocks),
 * debugfs puts content in and reads what we wrote back out, e2fsck -fn
 * must find nothing to fix afterwards. Then images damaged on purpose
 * (superblock, block pointers, a directory loop, a bitmap against its
 * counts, a directory block, features we do not support) must give errors
 * and log lines, never a crash, and no request outside the device.
 *
 * Each case works in build/host/ext2-images/<ID>/ (left there when it fails).
 * Area: EXT2.
 */
#include <harness.h>
#include <ext2.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define O (&ext2_ops)
#define NOW 1700000000

/* ---- a device over an image file, counting its requests ---- */

struct fdev {
	struct blk_dev dev;
	int fd;
	unsigned reads, writes, syncs, outside;
	uint64_t read_blocks, write_blocks;
};

static fs_err_t fd_read(void *ctx, uint64_t block, uint32_t n, void *buf)
{
	struct fdev *d = ctx;

	if (block + n > d->dev.count || !n) {
		d->outside++;
		return FS_E_INVAL;
	}
	d->reads++;
	d->read_blocks += n;
	size_t len = (size_t)n * d->dev.block_size;
	return pread(d->fd, buf, len, (off_t)(block * d->dev.block_size)) == (ssize_t)len ? FS_OK : FS_E_IO;
}

static fs_err_t fd_write(void *ctx, uint64_t block, uint32_t n, const void *buf)
{
	struct fdev *d = ctx;

	if (block + n > d->dev.count || !n || !d->dev.writable) {
		d->outside++;
		return FS_E_INVAL;
	}
	d->writes++;
	d->write_blocks += n;
	size_t len = (size_t)n * d->dev.block_size;
	return pwrite(d->fd, buf, len, (off_t)(block * d->dev.block_size)) == (ssize_t)len ? FS_OK : FS_E_IO;
}

static fs_err_t fd_sync(void *ctx)
{
	struct fdev *d = ctx;

	d->syncs++;
	return fsync(d->fd) ? FS_E_IO : FS_OK;
}

/* ---- the environment: log lines kept, a fixed clock ---- */

static char logbuf[16384];
static int64_t now_value = NOW;

static void log_line(void *arg, const char *msg)
{
	(void)arg;
	printf("  log: %s\n", msg);
	size_t used = strlen(logbuf);
	snprintf(logbuf + used, sizeof(logbuf) - used, "%s\n", msg);
}

static int64_t clock_now(void *arg)
{
	(void)arg;
	return now_value;
}

static const struct fs_env env = { log_line, clock_now, NULL };

/* ---- images and the host's tools ---- */

static char dir[256], img[300];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The command's standard output (NUL-terminated; *len without it). */
static char *capture(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *capture(size_t *len, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap + 1);

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	CHECK(p && out);
	for (size_t got; (got = fread(out + n, 1, cap - n, p)) > 0;) {
		n += got;
		if (n == cap) {
			cap *= 2;
			out = realloc(out, cap + 1);
			CHECK(out);
		}
	}
	pclose(p);
	out[n] = 0;
	if (len)
		*len = n;
	return out;
}

/* A fresh image of mb MiB made by mkfs.ext2 -q with opts. */
static void make_image(unsigned mb, const char *opts)
{
	snprintf(dir, sizeof(dir), "build/host/ext2-images/%s", test_current());
	snprintf(img, sizeof(img), "%s/disk.img", dir);
	CHECK_EQ(sh("rm -rf %s && mkdir -p %s && truncate -s %uM %s", dir, dir, mb, img), 0);
	CHECK_EQ(sh("mkfs.ext2 -q -F %s %s >/dev/null 2>&1", opts, img), 0);
	logbuf[0] = 0;
}

static int debugfs_w(const char *req)
{
	return sh("debugfs -w -R '%s' %s >/dev/null 2>&1", req, img);
}

static bool fsck_clean(void)
{
	int st = sh("e2fsck -fn %s > %s/fsck.out 2>&1", img, dir);
	if (st)
		sh("cat %s/fsck.out", dir);
	return st == 0;
}

/* What debugfs reads from a file of the image. */
static char *debugfs_cat(const char *path, size_t *len)
{
	return capture(len, "debugfs -R 'cat %s' %s 2>/dev/null", path, img);
}

/* A number after key in debugfs's stat output of path (-1: none). */
static long debugfs_stat(const char *path, const char *key, int base)
{
	char *out = capture(NULL, "debugfs -R 'stat %s' %s 2>/dev/null", path, img);
	char *p = strstr(out, key);
	long v = p ? strtol(p + strlen(key), NULL, base) : -1;
	free(out);
	return v;
}

static void pattern(uint8_t *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
}

/* Writes a host file in the case's folder with len bytes of pattern seed. */
static void host_file(const char *name, size_t len, uint32_t seed)
{
	char path[400];
	uint8_t *buf = malloc(len + 1);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	pattern(buf, len, seed);
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(buf, 1, len, f) == len);
	fclose(f);
	free(buf);
}

static struct fdev dev;

static void *mount_flags(unsigned flags, fs_err_t want)
{
	void *fs = NULL;

	memset(&dev, 0, sizeof(dev));
	dev.fd = open(img, O_RDWR);
	CHECK(dev.fd >= 0);
	struct stat st;
	CHECK(fstat(dev.fd, &st) == 0);
	dev.dev = (struct blk_dev){ 512, (uint64_t)st.st_size / 512, true, &dev, fd_read, fd_write, fd_sync };
	CHECK_ST(ext2_mount(&dev.dev, flags, &env, &fs), want);
	if (want)
		close(dev.fd);
	return fs;
}

static void *mount(void)
{
	return mount_flags(0, FS_OK);
}

static void unmount(void *fs)
{
	CHECK_OK(O->unmount(fs));
	CHECK_EQ(dev.outside, 0);
	close(dev.fd);
}

/* The inode at path (from the root, components split on '/'). */
static fs_err_t walk(void *fs, const char *path, uint64_t *ino)
{
	fs_err_t e = O->root(fs, ino);

	while (!e && *path) {
		while (*path == '/')
			path++;
		size_t n = strcspn(path, "/");
		if (!n)
			break;
		e = O->lookup(fs, *ino, path, n, ino);
		path += n;
	}
	return e;
}

static uint64_t lookup(void *fs, const char *path)
{
	uint64_t ino = 0;
	CHECK_OK(walk(fs, path, &ino));
	return ino;
}

/* Creates path's last component in its parent. */
static uint64_t create(void *fs, const char *path, uint32_t mode)
{
	const char *slash = strrchr(path, '/');
	char parent[256];
	uint64_t d, ino = 0;

	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = 0;
	d = lookup(fs, parent);
	CHECK_OK(O->create(fs, d, slash + 1, strlen(slash + 1), mode, &ino));
	return ino;
}

static void write_all(void *fs, uint64_t ino, uint64_t off, const void *buf, size_t len)
{
	size_t done = 0;
	CHECK_OK(O->write(fs, ino, off, buf, len, &done));
	CHECK_EQ(done, len);
}

/* Writes len bytes of pattern seed to a new file at path. */
static uint64_t new_file(void *fs, const char *path, size_t len, uint32_t seed)
{
	uint64_t ino = create(fs, path, FS_IFREG | 0644);
	uint8_t *buf = malloc(len + 1);
	pattern(buf, len, seed);
	write_all(fs, ino, 0, buf, len);
	free(buf);
	return ino;
}

/* The file at path holds exactly len bytes of pattern seed, read through
 * ext2 (in pieces of piece bytes) and, with the image unmounted, debugfs. */
static void check_ours(void *fs, const char *path, size_t len, uint32_t seed, size_t piece)
{
	uint8_t *want = malloc(len + 1), *got = malloc(len + 1);
	uint64_t ino = lookup(fs, path);
	size_t off = 0, done;

	pattern(want, len, seed);
	while (off < len) {
		size_t n = len - off < piece ? len - off : piece;
		CHECK_OK(O->read(fs, ino, off, got + off, n, &done));
		CHECK_EQ(done, n);
		off += n;
	}
	CHECK_OK(O->read(fs, ino, len, got, 1, &done));
	CHECK_EQ(done, 0);
	CHECK(memcmp(want, got, len) == 0);
	free(want);
	free(got);
}

static void check_debugfs(const char *path, size_t len, uint32_t seed)
{
	uint8_t *want = malloc(len + 1);
	size_t n;
	char *got = debugfs_cat(path, &n);

	pattern(want, len, seed);
	CHECK_EQ(n, len);
	CHECK(memcmp(want, got, len) == 0);
	free(want);
	free(got);
}

static void statfs_of(void *fs, struct fs_statfs *s)
{
	CHECK_OK(O->statfs(fs, s));
}

/* ---- working images ---- */

TEST(EXT2_0001, "a fresh mkfs.ext2 image mounts: sizes as dumpe2fs says, the root holds lost+found only")
{
	make_image(8, "");
	char *dump = capture(NULL, "dumpe2fs -h %s 2>/dev/null", img);
	long blocks = strtol(strstr(dump, "Block count:") + 12, NULL, 10);
	free(dump);
	void *fs = mount();
	struct fs_statfs s;
	statfs_of(fs, &s);
	CHECK_EQ(s.block_size, 1024);
	CHECK_EQ(s.blocks, blocks);
	CHECK(!s.readonly);
	uint64_t root, cookie = 0, lf;
	struct fs_dirent ent;
	bool end;
	CHECK_OK(O->root(fs, &root));
	CHECK_OK(O->readdir(fs, root, &cookie, &ent, &end));
	CHECK(!end);
	CHECK(strcmp(ent.name, "lost+found") == 0);
	CHECK_EQ(ent.type, FS_IFDIR);
	CHECK_OK(O->readdir(fs, root, &cookie, &ent, &end));
	CHECK(end);
	CHECK_OK(O->lookup(fs, root, "lost+found", 10, &lf));
	CHECK_EQ(lf, 11);
	struct fs_stat st;
	CHECK_OK(O->stat(fs, root, &st));
	CHECK_EQ(st.mode, FS_IFDIR | 0755);
	CHECK_EQ(st.nlink, 3);
	CHECK_ST(O->lookup(fs, root, "nothing", 7, &lf), FS_E_NOENT);
	unmount(fs);
	CHECK(fsck_clean());
}

TEST(EXT2_0002, "files debugfs wrote read back exactly: small, indirect, double indirect, sparse, symlinks")
{
	make_image(16, "");
	host_file("small", 100, 1);
	host_file("ind", 200 * 1024, 2);      /* single indirect with 1 KiB blocks */
	host_file("dind", 700 * 1024, 3);     /* double indirect */
	CHECK_EQ(sh("truncate -s 3M %s/sparse && printf tail >> %s/sparse", dir, dir), 0);
	CHECK_EQ(debugfs_w("mkdir /d"), 0);
	char req[512];
	const char *names[] = { "small", "ind", "dind", "sparse" };
	for (int i = 0; i < 4; i++) {
		snprintf(req, sizeof(req), "write %s/%s /d/%s", dir, names[i], names[i]);
		CHECK_EQ(debugfs_w(req), 0);
	}
	CHECK_EQ(debugfs_w("symlink /fast /d/small"), 0);
	CHECK_EQ(debugfs_w("symlink /slow /d/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		 0);
	void *fs = mount();
	check_ours(fs, "/d/small", 100, 1, 7);
	check_ours(fs, "/d/ind", 200 * 1024, 2, 4096);
	check_ours(fs, "/d/dind", 700 * 1024, 3, 65536 + 3);
	uint64_t sp = lookup(fs, "/d/sparse");
	struct fs_stat st;
	CHECK_OK(O->stat(fs, sp, &st));
	CHECK_EQ(st.size, 3 * 1024 * 1024 + 4);
	CHECK(st.blocks < 64);   /* the holes take no blocks */
	uint8_t *buf = malloc(st.size);
	size_t done;
	CHECK_OK(O->read(fs, sp, 0, buf, st.size, &done));
	CHECK_EQ(done, st.size);
	for (size_t i = 0; i < st.size - 4; i++)
		CHECK_EQ(buf[i], 0);
	CHECK(memcmp(buf + st.size - 4, "tail", 4) == 0);
	free(buf);
	char target[200];
	size_t n;
	CHECK_OK(O->readlink(fs, lookup(fs, "/fast"), target, sizeof(target), &n));
	CHECK_EQ(n, 8);
	CHECK(memcmp(target, "/d/small", 8) == 0);
	CHECK_OK(O->readlink(fs, lookup(fs, "/slow"), target, sizeof(target), &n));
	CHECK_EQ(n, 92);
	CHECK(memcmp(target, "/d/aaaa", 7) == 0);
	CHECK_OK(O->stat(fs, lookup(fs, "/slow"), &st));
	CHECK_EQ(st.mode & FS_IFMT, FS_IFLNK);
	CHECK_ST(O->read(fs, lookup(fs, "/slow"), 0, target, 10, &n), FS_E_INVAL);
	CHECK_ST(O->read(fs, lookup(fs, "/d"), 0, target, 10, &n), FS_E_ISDIR);
	unmount(fs);
	CHECK(fsck_clean());
}

struct size_row {
	TEST_ROW;
	const char *mkfs;
	size_t len, piece;
};
static const struct size_row size_rows[] = {
	{ "EXT2_0003", "files of 0 to 5 MiB written and read back (1 KiB blocks), debugfs agrees", "", 0, 0 },
	{ "EXT2_0004", "files of 0 to 5 MiB written and read back (4 KiB blocks), debugfs agrees", "-b 4096", 0, 0 },
};

TEST_TABLE(EXT2_0003, size_rows, row)
{
	static const size_t sizes[] = { 0, 1, 1023, 1024, 1025, 4096, 12 * 1024 + 1, 300 * 1024, 5 * 1024 * 1024 + 17 };
	char path[64];

	make_image(64, row->mkfs);
	void *fs = mount();
	struct fs_statfs before, after;
	statfs_of(fs, &before);
	create(fs, "/dir", FS_IFDIR | 0755);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(path, sizeof(path), "/dir/f%u", i);
		new_file(fs, path, sizes[i], 100 + i);
		check_ours(fs, path, sizes[i], 100 + i, 1000);
	}
	unmount(fs);
	CHECK(fsck_clean());
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(path, sizeof(path), "/dir/f%u", i);
		check_debugfs(path, sizes[i], 100 + i);
	}
	fs = mount();
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(path, sizeof(path), "/dir/f%u", i);
		check_ours(fs, path, sizes[i], 100 + i, 65536);
		CHECK_OK(O->unlink(fs, lookup(fs, "/dir"), path + 5, strlen(path + 5)));
	}
	CHECK_OK(O->unlink(fs, lookup(fs, "/"), "dir", 3));
	statfs_of(fs, &after);
	CHECK_EQ(after.blocks_free, before.blocks_free);
	CHECK_EQ(after.files_free, before.files_free);
	unmount(fs);
	CHECK(fsck_clean());
}

TEST(EXT2_0005, "large sequential reads and writes go to the disk in multi-block requests")
{
	size_t len = 4 * 1024 * 1024;
	uint8_t *buf = malloc(len), *back = malloc(len);
	size_t done;

	make_image(64, "-b 4096");
	void *fs = mount();
	uint64_t ino = create(fs, "/big", FS_IFREG | 0644);
	pattern(buf, len, 5);
	unsigned w0 = dev.writes;
	write_all(fs, ino, 0, buf, len);
	/* 1024 blocks of data: at 1 MiB a request and a few breaks for
	 * indirect blocks, far fewer requests than blocks */
	CHECK(dev.writes - w0 <= 16);
	unmount(fs);
	fs = mount();
	unsigned r0 = dev.reads;
	CHECK_OK(O->read(fs, lookup(fs, "/big"), 0, back, len, &done));
	CHECK_EQ(done, len);
	CHECK(dev.reads - r0 <= 24);
	CHECK(memcmp(buf, back, len) == 0);
	unmount(fs);
	CHECK(fsck_clean());
	free(buf);
	free(back);
}

TEST(EXT2_0006, "sparse writes and truncate: holes read as zeros, take no blocks, shrink frees, e2fsck agrees")
{
	uint8_t buf[3000], back[3000];
	size_t done;

	make_image(32, "");
	void *fs = mount();
	struct fs_statfs s0, s1;
	statfs_of(fs, &s0);
	uint64_t ino = create(fs, "/sparse", FS_IFREG | 0600);
	pattern(buf, sizeof(buf), 6);
	write_all(fs, ino, 10 * 1024 * 1024 + 100, buf, sizeof(buf));
	struct fs_stat st;
	CHECK_OK(O->stat(fs, ino, &st));
	CHECK_EQ(st.size, 10 * 1024 * 1024 + 100 + sizeof(buf));
	CHECK(st.blocks <= 8 * 2 + 3 * 2);   /* data plus an indirect chain */
	CHECK_OK(O->read(fs, ino, 5 * 1024 * 1024, back, sizeof(back), &done));
	CHECK_EQ(done, sizeof(back));
	for (size_t i = 0; i < sizeof(back); i++)
		CHECK_EQ(back[i], 0);
	/* shrink into the middle of the data: the rest must read as zeros when grown again */
	CHECK_OK(O->truncate(fs, ino, 10 * 1024 * 1024 + 100 + 1000));
	CHECK_OK(O->truncate(fs, ino, 10 * 1024 * 1024 + 100 + 3000));
	CHECK_OK(O->read(fs, ino, 10 * 1024 * 1024 + 100, back, sizeof(back), &done));
	CHECK_EQ(done, 3000);
	CHECK(memcmp(back, buf, 1000) == 0);
	for (size_t i = 1000; i < 3000; i++)
		CHECK_EQ(back[i], 0);
	/* a write past the end after a shrink within a block */
	uint64_t f2 = new_file(fs, "/tail", 1500, 7);
	CHECK_OK(O->truncate(fs, f2, 700));
	write_all(fs, f2, 1200, "xy", 2);
	CHECK_OK(O->read(fs, f2, 0, back, 1202, &done));
	CHECK_EQ(done, 1202);
	pattern(buf, 700, 7);
	CHECK(memcmp(back, buf, 700) == 0);
	for (size_t i = 700; i < 1200; i++)
		CHECK_EQ(back[i], 0);
	CHECK(memcmp(back + 1200, "xy", 2) == 0);
	CHECK_OK(O->truncate(fs, ino, 0));
	CHECK_OK(O->stat(fs, ino, &st));
	CHECK_EQ(st.size, 0);
	CHECK_EQ(st.blocks, 0);
	CHECK_ST(O->truncate(fs, lookup(fs, "/lost+found"), 0), FS_E_ISDIR);
	unmount(fs);
	CHECK(fsck_clean());
	size_t n;
	char *got = debugfs_cat("/tail", &n);
	CHECK_EQ(n, 1202);
	CHECK(memcmp(got, back, 1202) == 0);
	free(got);
	fs = mount();
	CHECK_OK(O->unlink(fs, lookup(fs, "/"), "tail", 4));
	CHECK_OK(O->unlink(fs, lookup(fs, "/"), "sparse", 6));
	statfs_of(fs, &s1);
	CHECK_EQ(s1.blocks_free, s0.blocks_free);
	unmount(fs);
	CHECK(fsck_clean());
}

TEST(EXT2_0015, "writes at every level of the block map (direct to triple indirect); debugfs's bmap finds them")
{
	/* 1 KiB blocks: direct below 12, single below 268, double below
	 * 65,804, triple above */
	static const uint64_t lbs[] = { 0, 11, 12, 267, 268, 65803, 65804, 1000000 };
	uint8_t buf[1024], back[1024];
	size_t done;

	make_image(16, "");
	void *fs = mount();
	struct fs_statfs s0, s1;
	statfs_of(fs, &s0);
	uint64_t ino = create(fs, "/levels", FS_IFREG | 0644);
	for (unsigned i = 0; i < sizeof(lbs) / sizeof(lbs[0]); i++) {
		pattern(buf, sizeof(buf), 300 + i);
		write_all(fs, ino, lbs[i] * 1024, buf, sizeof(buf));
	}
	unmount(fs);
	CHECK(fsck_clean());
	int fd = open(img, O_RDONLY);
	CHECK(fd >= 0);
	for (unsigned i = 0; i < sizeof(lbs) / sizeof(lbs[0]); i++) {
		char *out = capture(NULL, "debugfs -R 'bmap /levels %llu' %s 2>/dev/null", (unsigned long long)lbs[i], img);
		long pb = strtol(out, NULL, 10);
		free(out);
		CHECK(pb > 0);
		CHECK_EQ(pread(fd, back, sizeof(back), (off_t)pb * 1024), (ssize_t)sizeof(back));
		pattern(buf, sizeof(buf), 300 + i);
		CHECK(memcmp(buf, back, sizeof(buf)) == 0);
	}
	close(fd);
	fs = mount();
	ino = lookup(fs, "/levels");
	for (unsigned i = 0; i < sizeof(lbs) / sizeof(lbs[0]); i++) {
		pattern(buf, sizeof(buf), 300 + i);
		CHECK_OK(O->read(fs, ino, lbs[i] * 1024, back, sizeof(back), &done));
		CHECK_EQ(done, sizeof(back));
		CHECK(memcmp(buf, back, sizeof(buf)) == 0);
	}
	CHECK_OK(O->read(fs, ino, 500000 * 1024ull, back, sizeof(back), &done));
	CHECK_EQ(done, sizeof(back));
	for (size_t i = 0; i < sizeof(back); i++)
		CHECK_EQ(back[i], 0);
	CHECK_OK(O->truncate(fs, ino, 65804 * 1024ull));   /* the triple indirect tree goes */
	unmount(fs);
	CHECK(fsck_clean());
	fs = mount();
	CHECK_OK(O->truncate(fs, lookup(fs, "/levels"), 0));
	statfs_of(fs, &s1);
	CHECK_EQ(s1.blocks_free, s0.blocks_free);
	unmount(fs);
	CHECK(fsck_clean());
}

TEST(EXT2_0007, "symlinks fast and slow, hard links: e2fsck agrees, debugfs reads them")
{
	char target[300], got[300];
	size_t n;

	make_image(8, "");
	void *fs = mount();
	uint64_t root = lookup(fs, "/"), l1, l2, f;
	memset(target, 'x', sizeof(target));
	memcpy(target, "/a/", 3);
	CHECK_OK(O->symlink(fs, root, "fast", 4, target, 59, &l1));
	CHECK_OK(O->symlink(fs, root, "slow", 4, target, 250, &l2));
	CHECK_ST(O->symlink(fs, root, "fast", 4, target, 5, &l2), FS_E_EXIST);
	CHECK_ST(O->symlink(fs, root, "bad", 3, "a\0b", 3, &l2), FS_E_INVAL);
	CHECK_OK(O->readlink(fs, l1, got, sizeof(got), &n));
	CHECK_EQ(n, 59);
	CHECK(memcmp(got, target, 59) == 0);
	CHECK_OK(O->readlink(fs, lookup(fs, "/slow"), got, sizeof(got), &n));
	CHECK_EQ(n, 250);
	CHECK(memcmp(got, target, 250) == 0);
	CHECK_OK(O->readlink(fs, lookup(fs, "/slow"), got, 10, &n));
	CHECK_EQ(n, 10);
	f = new_file(fs, "/file", 5000, 8);
	CHECK_OK(O->link(fs, root, "hard", 4, f));
	CHECK_ST(O->link(fs, root, "hard", 4, f), FS_E_EXIST);
	CHECK_ST(O->link(fs, root, "d", 1, lookup(fs, "/lost+found")), FS_E_ISDIR);
	struct fs_stat st;
	CHECK_OK(O->stat(fs, f, &st));
	CHECK_EQ(st.nlink, 2);
	unmount(fs);
	CHECK(fsck_clean());
	check_debugfs("/hard", 5000, 8);
	CHECK_EQ(debugfs_stat("/file", "Links: ", 10), 2);
	char *out = capture(NULL, "debugfs -R 'stat /fast' %s 2>/dev/null", img);
	CHECK(strstr(out, "Fast link dest: \"/a/xxx"));
	free(out);
	fs = mount();
	root = lookup(fs, "/");
	CHECK_OK(O->unlink(fs, root, "file", 4));
	check_ours(fs, "/hard", 5000, 8, 999);
	CHECK_OK(O->stat(fs, f, &st));
	CHECK_EQ(st.nlink, 1);
	CHECK_OK(O->unlink(fs, root, "slow", 4));
	CHECK_OK(O->unlink(fs, root, "fast", 4));
	CHECK_OK(O->unlink(fs, root, "hard", 4));
	CHECK_ST(O->stat(fs, f, &st), FS_E_STALE);
	unmount(fs);
	CHECK(fsck_clean());
}

TEST(EXT2_0008, "rename: in a directory, across, over a file, a directory across (.. and link counts), refusals")
{
	make_image(8, "");
	void *fs = mount();
	uint64_t root = lookup(fs, "/"), a = create(fs, "/a", FS_IFDIR | 0755), b = create(fs, "/b", FS_IFDIR | 0700);
	uint64_t sub = create(fs, "/a/sub", FS_IFDIR | 0755);
	create(fs, "/a/sub/deep", FS_IFDIR | 0755);
	new_file(fs, "/a/f1", 10, 1);
	new_file(fs, "/a/f2", 20, 2);
	new_file(fs, "/b/f3", 30, 3);
	CHECK_OK(O->rename(fs, a, "f1", 2, a, "g1", 2));
	CHECK_OK(O->rename(fs, a, "g1", 2, b, "h1", 2));
	CHECK_OK(O->rename(fs, a, "f2", 2, b, "f3", 2));   /* replaces f3 */
	CHECK_OK(O->rename(fs, b, "f3", 2, b, "f3", 2));   /* itself: nothing */
	CHECK_ST(O->rename(fs, root, "a", 1, sub, "x", 1), FS_E_LOOP);
	CHECK_ST(O->rename(fs, a, "sub", 3, sub, "x", 1), FS_E_LOOP);
	CHECK_ST(O->rename(fs, a, "nope", 4, b, "x", 1), FS_E_NOENT);
	CHECK_ST(O->rename(fs, b, "h1", 2, root, "a", 1), FS_E_ISDIR);
	CHECK_ST(O->rename(fs, a, "sub", 3, b, "h1", 2), FS_E_NOTDIR);
	CHECK_ST(O->rename(fs, root, "b", 1, root, "a", 1), FS_E_NOTEMPTY);
	CHECK_ST(O->rename(fs, a, "..", 2, b, "x", 1), FS_E_INVAL);
	CHECK_OK(O->rename(fs, a, "sub", 3, b, "moved", 5));   /* a directory across */
	create(fs, "/a/empty", FS_IFDIR | 0755);
	CHECK_OK(O->rename(fs, b, "moved", 5, a, "empty", 5));   /* over an empty directory */
	struct fs_stat st;
	CHECK_OK(O->stat(fs, a, &st));
	CHECK_EQ(st.nlink, 3);
	CHECK_OK(O->stat(fs, b, &st));
	CHECK_EQ(st.nlink, 2);
	uint64_t up;
	CHECK_OK(O->lookup(fs, lookup(fs, "/a/empty"), "..", 2, &up));
	CHECK_EQ(up, a);
	CHECK_EQ(lookup(fs, "/a/empty"), sub);
	check_ours(fs, "/b/h1", 10, 1, 100);
	check_ours(fs, "/b/f3", 20, 2, 100);
	CHECK_ST(walk(fs, "/a/f1", &up), FS_E_NOENT);
	unmount(fs);
	CHECK(fsck_clean());
	check_debugfs("/b/f3", 20, 2);
	CHECK_EQ(debugfs_stat("/a", "Links: ", 10), 3);
	CHECK_EQ(debugfs_stat("/a/empty/deep", "Links: ", 10), 2);
}

TEST(EXT2_0009, "mode, owner and times are kept and set; new files take the clock's time")
{
	make_image(8, "");
	void *fs = mount();
	now_value = 1800000000;
	uint64_t f = new_file(fs, "/f", 10, 9);
	struct fs_stat st;
	CHECK_OK(O->stat(fs, f, &st));
	CHECK_EQ(st.mtime, 1800000000);
	CHECK_EQ(st.ctime, 1800000000);
	CHECK_EQ(st.mode, FS_IFREG | 0644);
	CHECK_EQ(st.uid, 0);
	struct fs_attr a = { FS_ATTR_MODE | FS_ATTR_UID | FS_ATTR_GID | FS_ATTR_ATIME | FS_ATTR_MTIME, 04751, 70000,
			     1234, 1000000000, 1100000000 };
	CHECK_OK(O->setattr(fs, f, &a));
	a.mode = 010000;
	a.mask = FS_ATTR_MODE;
	CHECK_ST(O->setattr(fs, f, &a), FS_E_INVAL);
	/* beyond 2038: the large inode's epoch bits */
	uint64_t g = new_file(fs, "/g", 1, 1);
	struct fs_attr late = { FS_ATTR_MTIME, 0, 0, 0, 0, 5000000000ll };
	CHECK_OK(O->setattr(fs, g, &late));
	CHECK_OK(O->stat(fs, g, &st));
	CHECK_EQ(st.mtime, 5000000000ll);
	unmount(fs);
	CHECK(fsck_clean());
	CHECK_EQ(debugfs_stat("/f", "Mode:  ", 8), 04751);
	CHECK_EQ(debugfs_stat("/f", "User: ", 10), 70000);
	CHECK_EQ(debugfs_stat("/f", "Group: ", 10), 1234);
	CHECK_EQ(debugfs_stat("/f", "mtime: 0x", 16), 1100000000);
	CHECK_EQ(debugfs_stat("/f", "atime: 0x", 16), 1000000000);
	fs = mount();
	CHECK_OK(O->stat(fs, lookup(fs, "/f"), &st));
	CHECK_EQ(st.mode, FS_IFREG | 04751);
	CHECK_EQ(st.uid, 70000);
	CHECK_EQ(st.gid, 1234);
	CHECK_EQ(st.atime, 1000000000);
	CHECK_EQ(st.mtime, 1100000000);
	CHECK_EQ(st.ctime, 1800000000);
	unmount(fs);
	now_value = NOW;
}

TEST(EXT2_0010, "a directory of 600 long names: every name listed once, found, removed; e2fsck agrees")
{
	char name[64];
	static uint8_t seen[600];

	make_image(16, "");
	void *fs = mount();
	uint64_t d = create(fs, "/many", FS_IFDIR | 0755), ino;
	for (unsigned i = 0; i < 600; i++) {
		int n = snprintf(name, sizeof(name), "a-rather-long-file-name-number-%u", i);
		CHECK_OK(O->create(fs, d, name, (size_t)n, FS_IFREG | 0644, &ino));
	}
	CHECK_ST(O->create(fs, d, "a-rather-long-file-name-number-7", 32, FS_IFREG | 0644, &ino), FS_E_EXIST);
	uint64_t cookie = 0;
	struct fs_dirent ent;
	bool end = false;
	unsigned count = 0;
	while (!end) {
		CHECK_OK(O->readdir(fs, d, &cookie, &ent, &end));
		if (end)
			break;
		unsigned i = (unsigned)atoi(ent.name + 31);
		CHECK(i < 600 && !seen[i]);
		seen[i] = 1;
		count++;
	}
	CHECK_EQ(count, 600);
	unmount(fs);
	CHECK(fsck_clean());
	char *ls = capture(NULL, "debugfs -R 'ls /many' %s 2>/dev/null | tr -s ' ' '\\n' | grep -c a-rather", img);
	CHECK_EQ(atoi(ls), 600);
	free(ls);
	fs = mount();
	d = lookup(fs, "/many");
	for (unsigned i = 0; i < 600; i += 2) {
		int n = snprintf(name, sizeof(name), "a-rather-long-file-name-number-%u", i);
		CHECK_OK(O->unlink(fs, d, name, (size_t)n));
	}
	CHECK_ST(O->unlink(fs, lookup(fs, "/"), "many", 4), FS_E_NOTEMPTY);
	for (unsigned i = 1; i < 600; i += 2) {
		int n = snprintf(name, sizeof(name), "a-rather-long-file-name-number-%u", i);
		CHECK_OK(O->lookup(fs, d, name, (size_t)n, &ino));
	}
	unmount(fs);
	CHECK(fsck_clean());
}

TEST(EXT2_0011, "an htree directory (e2fsck -D) reads; adding a name clears its index; Linux's tools agree")
{
	make_image(16, "");
	char script[300];
	snprintf(script, sizeof(script), "%s/script", dir);
	FILE *f = fopen(script, "w");
	CHECK(f);
	fprintf(f, "mkdir /h\ncd /h\n");
	for (int i = 0; i < 400; i++)
		fprintf(f, "mknod entry-with-a-long-name-%d p\n", i);
	fclose(f);
	CHECK_EQ(sh("debugfs -w -f %s %s >/dev/null 2>&1", script, img), 0);
	CHECK_EQ(sh("e2fsck -fyD %s >/dev/null 2>&1; true", img), 0);
	CHECK(debugfs_stat("/h", "Flags: 0x", 16) & 0x1000);
	void *fs = mount();
	uint64_t h = lookup(fs, "/h"), ino;
	for (int i = 0; i < 400; i += 37) {
		char name[64];
		int n = snprintf(name, sizeof(name), "entry-with-a-long-name-%d", i);
		CHECK_OK(O->lookup(fs, h, name, (size_t)n, &ino));
	}
	new_file(fs, "/h/new-one", 100, 11);
	CHECK_OK(O->unlink(fs, h, "entry-with-a-long-name-5", 24));
	unmount(fs);
	CHECK(!(debugfs_stat("/h", "Flags: 0x", 16) & 0x1000));
	CHECK(fsck_clean());
	check_debugfs("/h/new-one", 100, 11);
}

TEST(EXT2_0012, "sync alone leaves an image e2fsck finds clean and debugfs reads")
{
	make_image(8, "");
	void *fs = mount();
	create(fs, "/d", FS_IFDIR | 0755);
	new_file(fs, "/d/a", 12345, 12);
	CHECK_OK(O->sync(fs));
	CHECK(dev.syncs >= 1);
	CHECK(fsck_clean());   /* while still mounted: everything is on the image */
	check_debugfs("/d/a", 12345, 12);
	CHECK_OK(O->unmount(fs));
	close(dev.fd);
}

TEST(EXT2_0013, "a full disk: short writes then FS_E_NOSPC; removing the file gives every block back")
{
	make_image(2, "");
	void *fs = mount();
	struct fs_statfs s0, s1;
	statfs_of(fs, &s0);
	uint64_t ino = create(fs, "/fill", FS_IFREG | 0644);
	static uint8_t buf[256 * 1024];
	size_t done, total = 0;
	fs_err_t e;
	do {
		e = O->write(fs, ino, total, buf, sizeof(buf), &done);
		total += done;
	} while (!e && done == sizeof(buf));
	CHECK(e == FS_OK || e == FS_E_NOSPC);
	CHECK_ST(O->write(fs, ino, total, buf, 1024, &done), FS_E_NOSPC);
	CHECK(total > 1024 * 1024);
	statfs_of(fs, &s1);
	CHECK_EQ(s1.blocks_free, 0);
	CHECK_OK(O->sync(fs));
	CHECK(fsck_clean());
	CHECK_OK(O->unlink(fs, lookup(fs, "/"), "fill", 4));
	statfs_of(fs, &s1);
	CHECK_EQ(s1.blocks_free, s0.blocks_free);
	unmount(fs);
	CHECK(fsck_clean());
}

TEST(EXT2_0014, "read-only mounts refuse changes; names are checked")
{
	make_image(8, "");
	void *fs = mount_flags(FS_MOUNT_READONLY, FS_OK);
	uint64_t root = lookup(fs, "/"), ino;
	struct fs_statfs s;
	statfs_of(fs, &s);
	CHECK(s.readonly);
	CHECK_ST(O->create(fs, root, "x", 1, FS_IFREG | 0644, &ino), FS_E_ROFS);
	CHECK_ST(O->unlink(fs, root, "lost+found", 10), FS_E_ROFS);
	CHECK_OK(O->unmount(fs));
	CHECK_EQ(dev.writes, 0);
	close(dev.fd);
	fs = mount();
	root = lookup(fs, "/");
	CHECK_ST(O->create(fs, root, "a/b", 3, FS_IFREG | 0644, &ino), FS_E_INVAL);
	CHECK_ST(O->create(fs, root, "..", 2, FS_IFDIR | 0755, &ino), FS_E_INVAL);
	char longname[300];
	memset(longname, 'n', sizeof(longname));
	CHECK_ST(O->create(fs, root, longname, 256, FS_IFREG | 0644, &ino), FS_E_NAMETOOLONG);
	CHECK_OK(O->create(fs, root, longname, 255, FS_IFREG | 0644, &ino));
	CHECK_ST(O->create(fs, root, "dev", 3, 0020644, &ino), FS_E_INVAL);
	CHECK_ST(O->lookup(fs, ino, "x", 1, &ino), FS_E_NOTDIR);
	CHECK_ST(O->stat(fs, 999999, &(struct fs_stat){ 0 }), FS_E_INVAL);
	CHECK_ST(O->stat(fs, 50, &(struct fs_stat){ 0 }), FS_E_STALE);
	unmount(fs);
	CHECK(fsck_clean());
}

/* ---- features ---- */

struct feature_row {
	TEST_ROW;
	const char *feature;
	fs_err_t mount;
	bool readonly;
};
static const struct feature_row feature_rows[] = {
	{ "EXT2_0020", "an incompatible feature (extent) refuses the mount, naming it", "extent", FS_E_UNSUPPORTED, false },
	{ "EXT2_0021", "an incompatible feature (meta_bg) refuses the mount, naming it", "meta_bg", FS_E_UNSUPPORTED, false },
	{ "EXT2_0022", "a read-only compatible feature (huge_file) mounts read-only, naming it", "huge_file", FS_OK, true },
	{ "EXT2_0023", "a compatible feature (has_journal flag) mounts writable", "has_journal", FS_OK, false },
};

TEST_TABLE(EXT2_0020, feature_rows, row)
{
	char req[100];
	make_image(8, "");
	snprintf(req, sizeof(req), "feature %s", row->feature);
	CHECK_EQ(debugfs_w(req), 0);
	void *fs = mount_flags(0, row->mount);
	if (row->mount) {
		CHECK(strstr(logbuf, row->feature));
		return;
	}
	struct fs_statfs s;
	statfs_of(fs, &s);
	CHECK_EQ(s.readonly, row->readonly);
	if (row->readonly)
		CHECK(strstr(logbuf, row->feature));
	unmount(fs);
}

/* ---- damaged images: errors, log lines, no crash ---- */

/* Pokes bytes into the image at off. */
static void poke(uint64_t off, const void *bytes, size_t n)
{
	int fd = open(img, O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(pwrite(fd, bytes, n, (off_t)off), (ssize_t)n);
	close(fd);
}

static void poke32(uint64_t off, uint32_t v)
{
	poke(off, &v, 4);
}

struct super_row {
	TEST_ROW;
	uint32_t off, value;
	unsigned size;
};
static const struct super_row super_rows[] = {
	{ "EXT2_0030", "superblock: no magic", 56, 0x1234, 2 },
	{ "EXT2_0031", "superblock: more blocks than the device", 4, 0x7fffffff, 4 },
	{ "EXT2_0032", "superblock: zero inodes per group", 40, 0, 4 },
	{ "EXT2_0033", "superblock: block size 1024 << 30", 24, 30, 4 },
	{ "EXT2_0034", "superblock: inode size 100", 88, 100, 2 },
	{ "EXT2_0035", "superblock: blocks per group 3", 32, 3, 4 },
	{ "EXT2_0036", "superblock: first inode beyond the inodes", 84, 0x7fffffff, 4 },
	{ "EXT2_0037", "superblock: inode count not groups times inodes per group", 0, 12345, 4 },
	{ "EXT2_0038", "group descriptor: inode table beyond the disk", 1024 + 1024 + 8, 0x00ffffff, 4 },
	{ "EXT2_0039", "group descriptor: block bitmap inside the superblock's copy", 1024 + 1024 + 0, 1, 4 },
};

TEST_TABLE(EXT2_0030, super_rows, row)
{
	make_image(8, "");
	poke(1024 + (row->off >= 1024 ? row->off - 1024 : row->off), &row->value, row->size);
	mount_flags(0, FS_E_CORRUPT);
	CHECK(strstr(logbuf, "corrupt"));
	CHECK_EQ(dev.outside, 0);
}

/* The first data block of path (debugfs's "blocks"). */
static long first_block(const char *path)
{
	char *out = capture(NULL, "debugfs -R 'blocks %s' %s 2>/dev/null", path, img);
	long b = strtol(out, NULL, 10);
	free(out);
	return b;
}

TEST(EXT2_0040, "block pointers out of range or into metadata: FS_E_CORRUPT for that file, others work")
{
	make_image(8, "");
	host_file("f", 20 * 1024, 40);
	char req[400];
	snprintf(req, sizeof(req), "write %s/f /far", dir);
	CHECK_EQ(debugfs_w(req), 0);
	snprintf(req, sizeof(req), "write %s/f /meta", dir);
	CHECK_EQ(debugfs_w(req), 0);
	snprintf(req, sizeof(req), "write %s/f /ind", dir);
	CHECK_EQ(debugfs_w(req), 0);
	snprintf(req, sizeof(req), "write %s/f /good", dir);
	CHECK_EQ(debugfs_w(req), 0);
	CHECK_EQ(debugfs_w("sif /far block[2] 99999999"), 0);
	CHECK_EQ(debugfs_w("sif /meta block[0] 3"), 0);   /* the group's block bitmap, or near it */
	/* the indirect block of /ind: its first entry points beyond the disk */
	long ind = debugfs_stat("/ind", "(IND):", 10);
	CHECK(ind > 0);
	poke32((uint64_t)ind * 1024, 0x7ffffff0);
	void *fs = mount();
	static uint8_t buf[20 * 1024];
	size_t done;
	CHECK_ST(O->read(fs, lookup(fs, "/far"), 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK_ST(O->read(fs, lookup(fs, "/meta"), 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK_ST(O->read(fs, lookup(fs, "/ind"), 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK_ST(O->write(fs, lookup(fs, "/ind"), 13 * 1024, buf, 10, &done), FS_E_CORRUPT);
	CHECK_ST(O->unlink(fs, lookup(fs, "/"), "far", 3), FS_E_CORRUPT);
	CHECK_ST(O->truncate(fs, lookup(fs, "/meta"), 0), FS_E_CORRUPT);
	CHECK(strstr(logbuf, "block pointer"));
	check_ours(fs, "/good", 20 * 1024, 40, 4096);
	new_file(fs, "/new", 5000, 41);
	check_ours(fs, "/new", 5000, 41, 4096);
	unmount(fs);
	CHECK(first_block("/new") > 0);
}

TEST(EXT2_0041, "a directory loop (.. chains that never reach the root): FS_E_CORRUPT, not a hang")
{
	make_image(8, "");
	CHECK_EQ(debugfs_w("mkdir /x"), 0);
	CHECK_EQ(debugfs_w("mkdir /x/y"), 0);
	CHECK_EQ(debugfs_w("mkdir /x/y/z"), 0);
	CHECK_EQ(debugfs_w("unlink /x/.."), 0);
	CHECK_EQ(debugfs_w("link /x/y /x/.."), 0);   /* x's parent is now y, y's is x */
	void *fs = mount();
	uint64_t x = lookup(fs, "/x"), y = lookup(fs, "/x/y"), up;
	CHECK_OK(O->lookup(fs, x, "..", 2, &up));
	CHECK_EQ(up, y);
	CHECK_ST(O->rename(fs, y, "z", 1, x, "z2", 2), FS_E_CORRUPT);
	CHECK(strstr(logbuf, "loop"));
	/* the rest of the file system works on */
	new_file(fs, "/ok", 100, 1);
	check_ours(fs, "/ok", 100, 1, 100);
	unmount(fs);
}

TEST(EXT2_0042, "a bitmap that disagrees with its group's count: allocation there is FS_E_CORRUPT")
{
	make_image(8, "");
	char *dump = capture(NULL, "dumpe2fs %s 2>/dev/null", img);
	long bb = strtol(strstr(dump, "Block bitmap at ") + 16, NULL, 10);
	free(dump);
	CHECK(bb > 0);
	static uint8_t ones[1024];
	memset(ones, 0xff, sizeof(ones));
	poke((uint64_t)bb * 1024, ones, sizeof(ones));   /* all in use; the count says otherwise */
	void *fs = mount();
	uint64_t ino;
	uint8_t buf[100] = { 0 };
	size_t done;
	fs_err_t e = O->create(fs, lookup(fs, "/"), "f", 1, FS_IFREG | 0644, &ino);
	CHECK_OK(e);
	CHECK_ST(O->write(fs, ino, 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK(strstr(logbuf, "bitmap"));
	CHECK_ST(O->create(fs, lookup(fs, "/"), "d", 1, FS_IFDIR | 0755, &ino), FS_E_CORRUPT);
	unmount(fs);
}

TEST(EXT2_0043, "a damaged directory block (rec_len, inode numbers, a / in a name): FS_E_CORRUPT, never beyond the block")
{
	make_image(8, "");
	CHECK_EQ(debugfs_w("mkdir /d"), 0);
	CHECK_EQ(debugfs_w("mkdir /e"), 0);
	CHECK_EQ(debugfs_w("mkdir /s"), 0);
	CHECK_EQ(debugfs_w("mkdir /s/abc"), 0);
	long db = first_block("/d"), eb = first_block("/e"), sb = first_block("/s");
	CHECK(db > 0 && eb > 0 && sb > 0);
	poke((uint64_t)sb * 1024 + 24 + 8 + 1, "/", 1);   /* "abc" (after "." and "..") becomes "a/c" */
	uint16_t bad = 1020;
	poke((uint64_t)db * 1024 + 12 + 4, &bad, 2);    /* "..": rec_len past the block's end */
	poke32((uint64_t)eb * 1024 + 12, 5);          /* "..": a reserved inode */
	void *fs = mount();
	uint64_t d = lookup(fs, "/d"), e = lookup(fs, "/e"), ino;
	CHECK_ST(O->lookup(fs, d, "x", 1, &ino), FS_E_CORRUPT);
	uint64_t cookie = 0;
	struct fs_dirent ent;
	bool end;
	CHECK_ST(O->readdir(fs, d, &cookie, &ent, &end), FS_E_CORRUPT);
	CHECK_ST(O->create(fs, e, "x", 1, FS_IFREG | 0644, &ino), FS_E_CORRUPT);
	CHECK_ST(O->unlink(fs, lookup(fs, "/"), "d", 1), FS_E_CORRUPT);
	cookie = 0;
	CHECK_ST(O->readdir(fs, lookup(fs, "/s"), &cookie, &ent, &end), FS_E_CORRUPT);
	CHECK(strstr(logbuf, "a name with '/' or NUL"));
	CHECK(strstr(logbuf, "directory"));
	unmount(fs);
}

TEST(EXT2_0016, "without a clock, a removed inode gets a dtime e2fsck accepts (not 0, not an orphan link)")
{
	make_image(8, "");
	now_value = 0;
	void *fs = mount();
	new_file(fs, "/gone", 5000, 3);
	create(fs, "/gonedir", FS_IFDIR | 0755);
	CHECK_OK(O->sync(fs));
	uint64_t gone = lookup(fs, "/gone");
	CHECK_OK(O->unlink(fs, lookup(fs, "/"), "gone", 4));
	CHECK_OK(O->unlink(fs, lookup(fs, "/"), "gonedir", 7));
	CHECK_OK(O->sync(fs));
	now_value = NOW;
	CHECK(fsck_clean());
	char *out = capture(NULL, "debugfs -R 'stat <%llu>' %s 2>/dev/null", (unsigned long long)gone, img);
	CHECK(strstr(out, "dtime: 0x") && !strstr(out, "dtime: 0x00000000"));
	free(out);
	unmount(fs);
}

int main(int argc, char **argv)
{
	/* e2fsprogs lives in /sbin, which a user's PATH may lack */
	char path[4096];
	snprintf(path, sizeof(path), "%s:/usr/sbin:/sbin", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", path, 1);
	return test_main(argc, argv);
}
