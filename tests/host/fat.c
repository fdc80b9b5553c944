// sources: lib/fat/volume.c lib/fat/table.c lib/fat/name.c lib/fat/dir.c lib/fat/file.c lib/fs/fs.c lib/fs/bcache.c
// cflags: -Ilib/fs/include -Ilib/fat/include
/*
 * Host tests of the FAT back end (lib/fat) on images that dosfstools'
 * mkfs.vfat makes (FAT12, FAT16 and FAT32, each case on each), with
 * content put there and read back by mtools (mcopy, mdir, mattrib) and
 * every image checked by `fsck.vfat -n` after the back end wrote to it:
 * reading what mtools wrote, every fs_ops call, long and short names
 * (~N tails, case flags), the free count and the dirty flag as fsck
 * expects them, inode numbers across rename and remove, large transfers
 * in multi-block requests, a full disk and a full root, and damaged
 * images (boot sector fields, a chain that loops, clusters out of range)
 * that give FS_E_CORRUPT and a log line, never a crash.
 *
 * Area: FAT.
 */
#include <harness.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fat.h>

/* ---- a block device on a file, counting its requests ---- */

struct img {
	char dir[64], path[96];
	int fd;
	struct blk_dev dev;
	void *fs;
	unsigned bits;
	uint64_t reads, writes, max_read, max_write, syncs;
	uint64_t lo, hi;           /* the bytes a write may touch */
	bool out_of_range;
};

static fs_err_t f_read(void *ctx, uint64_t block, uint32_t n, void *buf)
{
	struct img *im = ctx;
	ssize_t want = (ssize_t)n * im->dev.block_size;

	if (block + n > im->dev.count)
		return FS_E_IO;
	im->reads++;
	if (n > im->max_read)
		im->max_read = n;
	return pread(im->fd, buf, (size_t)want, (off_t)(block * im->dev.block_size)) == want ? FS_OK :
													     FS_E_IO;
}

static fs_err_t f_write(void *ctx, uint64_t block, uint32_t n, const void *buf)
{
	struct img *im = ctx;
	ssize_t want = (ssize_t)n * im->dev.block_size;
	uint64_t at = block * im->dev.block_size;

	if (block + n > im->dev.count)
		return FS_E_IO;
	if (at < im->lo || at + (uint64_t)want > im->hi)
		im->out_of_range = true;
	im->writes++;
	if (n > im->max_write)
		im->max_write = n;
	return pwrite(im->fd, buf, (size_t)want, (off_t)at) == want ? FS_OK : FS_E_IO;
}

static fs_err_t f_sync(void *ctx)
{
	struct img *im = ctx;

	im->syncs++;
	return fsync(im->fd) ? FS_E_IO : FS_OK;
}

static char logbuf[16384];
static int64_t clock_now = 1700000000;   /* 2023-11-14 22:13:20 UTC */

static void t_log(void *arg, const char *msg)
{
	size_t n = strlen(logbuf);

	(void)arg;
	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

static int64_t t_now(void *arg)
{
	(void)arg;
	return clock_now;
}

static const struct fs_env env = { t_log, t_now, NULL };

/* ---- shell ---- */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The command's output (up to size - 1 bytes). */
static size_t sh_out(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static size_t sh_out(char *out, size_t size, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	size_t n = 0, r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	CHECK(p != NULL);
	while (n + 1 < size && (r = fread(out + n, 1, size - 1 - n, p)) > 0)
		n += r;
	out[n] = 0;
	pclose(p);
	return n;
}

/* ---- images ---- */

struct kind {
	unsigned bits;
	const char *mkfs;
	unsigned kib;
};
static const struct kind kinds[] = {
	{ 12, "-F 12", 2048 },
	{ 16, "-F 16", 16384 },
	{ 32, "-F 32 -s 1", 40960 },
	{ 32, "-F 32 -S 4096 -s 1", 300000 },   /* sparse: 75000 clusters of 4 KiB */
	{ 12, "-F 12 -S 2048", 1024 },
};

struct krow {
	TEST_ROW;
	int k;
};
#define KROWS(id, desc)                                                  \
	{ id "1", desc " (FAT12)", 0 }, { id "2", desc " (FAT16)", 1 },  \
	{ id "3", desc " (FAT32)", 2 }

static void img_make(struct img *im, int k, const char *extra)
{
	memset(im, 0, sizeof(*im));
	strcpy(im->dir, "/tmp/argil-fat-XXXXXX");
	CHECK(mkdtemp(im->dir) != NULL);
	snprintf(im->path, sizeof(im->path), "%s/img", im->dir);
	im->bits = kinds[k].bits;
	CHECK_EQ(sh("mkfs.vfat -C %s %s %s %u >/dev/null 2>&1", kinds[k].mkfs, extra ? extra : "",
		    im->path, kinds[k].kib), 0);
	logbuf[0] = 0;
}

static void img_open(struct img *im)
{
	struct stat st;

	im->fd = open(im->path, O_RDWR);
	CHECK(im->fd >= 0);
	CHECK(fstat(im->fd, &st) == 0);
	im->dev.block_size = 512;
	im->dev.count = (uint64_t)st.st_size / 512;
	im->dev.writable = true;
	im->dev.ctx = im;
	im->dev.read = f_read;
	im->dev.write = f_write;
	im->dev.sync = f_sync;
	im->lo = 0;
	im->hi = (uint64_t)st.st_size;
}

static void mnt(struct img *im, unsigned flags)
{
	img_open(im);
	CHECK_OK(fat_mount(&im->dev, flags, &env, &im->fs));
}

static void umnt(struct img *im)
{
	CHECK_OK(fat_ops.unmount(im->fs));
	im->fs = NULL;
	close(im->fd);
	CHECK(!im->out_of_range);
}

static void img_done(struct img *im)
{
	sh("rm -rf %s", im->dir);
}

/* fsck.vfat -n finds nothing to fix */
static void fsck_clean(struct img *im)
{
	char out[4096];

	sh_out(out, sizeof(out), "fsck.vfat -n %s 2>&1; echo rc=$?", im->path);
	CHECK_MSG(strstr(out, "rc=0") && !strstr(out, "Dirty") && !strstr(out, "differences") &&
			  !strstr(out, "Free cluster summary") && !strstr(out, "Orphan"),
		  "fsck: %s", out);
}

static void put_host(struct img *im, const char *name, const void *data, size_t n)
{
	char p[160];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", im->dir, name);
	f = fopen(p, "wb");
	CHECK(f != NULL);
	CHECK_EQ(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* The file at path in the image as mtools reads it; its length, or -1. */
static long mread(struct img *im, const char *path, uint8_t *buf, size_t size)
{
	char p[160];
	long n;
	FILE *f;

	snprintf(p, sizeof(p), "%s/mout", im->dir);
	unlink(p);
	if (sh("MTOOLS_SKIP_CHECK=1 mcopy -n -i %s '::%s' %s >/dev/null 2>&1", im->path, path, p))
		return -1;
	f = fopen(p, "rb");
	CHECK(f != NULL);
	n = (long)fread(buf, 1, size, f);
	fclose(f);
	return n;
}

static void fill(uint8_t *b, size_t n, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (uint8_t)(x >> 16);
	}
}

/* ---- paths on the back end ---- */

static fs_err_t walk(void *fs, const char *path, uint64_t *ino)
{
	char part[FS_NAME_MAX + 1];
	fs_err_t e;

	*ino = 1;
	while (*path) {
		size_t n = 0;

		while (*path == '/')
			path++;
		while (path[n] && path[n] != '/')
			n++;
		if (!n)
			break;
		memcpy(part, path, n);
		e = fat_ops.lookup(fs, *ino, part, n, ino);
		if (e)
			return e;
		path += n;
	}
	return FS_OK;
}

/* dir ino and last name of path */
static uint64_t parent_of(void *fs, const char *path, const char **name)
{
	char dir[256];
	const char *slash = strrchr(path, '/');
	uint64_t ino;

	CHECK(slash != NULL);
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = 0;
	CHECK_OK(walk(fs, dir, &ino));
	*name = slash + 1;
	return ino;
}

static fs_err_t mk(void *fs, const char *path, uint32_t mode, uint64_t *ino)
{
	const char *name;
	uint64_t dir = parent_of(fs, path, &name), i;

	return fat_ops.create(fs, dir, name, strlen(name), mode, ino ? ino : &i);
}

static void put(void *fs, const char *path, const void *data, size_t n)
{
	uint64_t ino;
	size_t done;

	CHECK_OK(mk(fs, path, FS_IFREG | 0644, &ino));
	CHECK_OK(fat_ops.write(fs, ino, 0, data, n, &done));
	CHECK_EQ(done, n);
}

/* the whole file at path equals data[0..n) */
static void same(void *fs, const char *path, const void *data, size_t n)
{
	uint64_t ino;
	struct fs_stat st;
	uint8_t *b = malloc(n + 1);
	size_t done;

	CHECK(b != NULL);
	CHECK_OK(walk(fs, path, &ino));
	CHECK_OK(fat_ops.stat(fs, ino, &st));
	CHECK_EQ(st.size, n);
	CHECK_OK(fat_ops.read(fs, ino, 0, b, n + 1, &done));
	CHECK_EQ(done, n);
	CHECK(!memcmp(b, data, n));
	free(b);
}

static void msame(struct img *im, const char *path, const void *data, size_t n)
{
	uint8_t *b = malloc(n + 16);

	CHECK(b != NULL);
	CHECK_EQ(mread(im, path, b, n + 16), n);
	CHECK(!memcmp(b, data, n));
	free(b);
}

static unsigned count_dir(void *fs, uint64_t dir)
{
	struct fs_dirent ent;
	uint64_t cookie = 0;
	unsigned n = 0;
	bool end;

	for (;;) {
		CHECK_OK(fat_ops.readdir(fs, dir, &cookie, &ent, &end));
		if (end)
			return n;
		n++;
	}
}

static bool dir_has(void *fs, uint64_t dir, const char *name, uint64_t *ino, uint32_t *type)
{
	struct fs_dirent ent;
	uint64_t cookie = 0;
	bool end;

	for (;;) {
		CHECK_OK(fat_ops.readdir(fs, dir, &cookie, &ent, &end));
		if (end)
			return false;
		CHECK_EQ(strlen(ent.name), ent.len);
		if (!strcmp(ent.name, name)) {
			if (ino)
				*ino = ent.ino;
			if (type)
				*type = ent.type;
			return true;
		}
	}
}

/* ---- the boot sector, for the damaging cases ---- */

struct geo {
	uint32_t bps, spc, rsvd, nfats, fatsz, root_ents, data;
	uint32_t root_clus;
};

static void geo_of(struct img *im, struct geo *g)
{
	uint8_t b[512];

	CHECK_EQ(pread(im->fd, b, 512, 0), 512);
	g->bps = b[11] | b[12] << 8;
	g->spc = b[13];
	g->rsvd = b[14] | b[15] << 8;
	g->nfats = b[16];
	g->root_ents = b[17] | b[18] << 8;
	g->fatsz = b[22] | b[23] << 8;
	if (!g->fatsz)
		g->fatsz = (uint32_t)(b[36] | b[37] << 8 | b[38] << 16 | b[39] << 24);
	g->root_clus = (uint32_t)(b[44] | b[45] << 8 | b[46] << 16 | (uint32_t)b[47] << 24);
	g->data = g->rsvd + g->nfats * g->fatsz + g->root_ents * 32 / g->bps;
}

/* FAT entry c of every copy := v (FAT16/32) */
static void poke_fat(struct img *im, const struct geo *g, uint32_t c, uint32_t v)
{
	for (uint32_t k = 0; k < g->nfats; k++) {
		off_t at = (off_t)(g->rsvd + k * g->fatsz) * g->bps + (off_t)c * (im->bits / 8);
		uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

		CHECK_EQ(pwrite(im->fd, b, im->bits / 8, at), im->bits / 8);
	}
}

static uint32_t peek_fat(struct img *im, const struct geo *g, uint32_t c)
{
	uint8_t b[4] = { 0 };

	CHECK_EQ(pread(im->fd, b, im->bits / 8, (off_t)g->rsvd * g->bps + (off_t)c * (im->bits / 8)),
		 im->bits / 8);
	return (uint32_t)(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24) &
	       (im->bits == 16 ? 0xffff : 0x0fffffff);
}

/* The first cluster of the entry of ino (its position: fat.h). */
static uint32_t first_of(struct img *im, uint64_t ino)
{
	uint8_t de[32];

	CHECK_EQ(pread(im->fd, de, 32, (off_t)((ino - 2) * 32)), 32);
	return (uint32_t)(de[26] | de[27] << 8 | (im->bits == 32 ? de[20] << 16 | de[21] << 24 : 0));
}

static void poke(struct img *im, off_t at, const void *b, size_t n)
{
	CHECK_EQ(pwrite(im->fd, b, n, at), (ssize_t)n);
}

/* ======================================================================== */

static const struct krow read_rows[] = { KROWS("FAT_000", "files, long names and directories that mtools wrote read back") };
TEST_TABLE(FAT_0001, read_rows, row)
{
	static uint8_t big[150000], small[] = "hello, fat\n", buf[200];
	struct img im;
	uint64_t ino, sub, dino;
	uint32_t type;
	struct fs_stat st;
	size_t done;

	img_make(&im, row->k, "-n TESTVOL");   /* a volume label in the root: not listed */
	fill(big, sizeof(big), 1);
	put_host(&im, "small", small, sizeof(small) - 1);
	put_host(&im, "big", big, row->k == 0 ? 50000 : sizeof(big));
	CHECK_EQ(sh("cd %s && MTOOLS_SKIP_CHECK=1 mmd -i img ::/Sub ::/Sub/Deeper && "
		    "MTOOLS_SKIP_CHECK=1 mcopy -i img small '::/A long file name.txt' && "
		    "MTOOLS_SKIP_CHECK=1 mcopy -i img small '::/Ünïcødé ñame.TXT' && "
		    "MTOOLS_SKIP_CHECK=1 mcopy -i img small ::/short.txt && "
		    "MTOOLS_SKIP_CHECK=1 mcopy -i img big ::/Sub/Deeper/big.bin", im.dir), 0);
	mnt(&im, 0);
	same(im.fs, "/A long file name.txt", small, sizeof(small) - 1);
	same(im.fs, "/a LONG file NAME.TXT", small, sizeof(small) - 1);   /* case-blind */
	same(im.fs, "/Ünïcødé ñame.TXT", small, sizeof(small) - 1);
	same(im.fs, "/short.txt", small, sizeof(small) - 1);
	same(im.fs, "/SHORT.TXT", small, sizeof(small) - 1);
	same(im.fs, "/Sub/Deeper/big.bin", big, row->k == 0 ? 50000 : sizeof(big));
	CHECK_ST(walk(im.fs, "/nothere", &ino), FS_E_NOENT);
	CHECK_ST(walk(im.fs, "/short.txt/x", &ino), FS_E_NOTDIR);
	CHECK_OK(walk(im.fs, "/Sub", &sub));
	CHECK(dir_has(im.fs, 1, "A long file name.txt", NULL, &type));
	CHECK_EQ(type, FS_IFREG);
	CHECK(dir_has(im.fs, 1, "Ünïcødé ñame.TXT", NULL, NULL));
	CHECK(dir_has(im.fs, 1, "Sub", &ino, &type));
	CHECK_EQ(type, FS_IFDIR);
	CHECK_EQ(ino, sub);
	CHECK_EQ(count_dir(im.fs, 1), 4);
	CHECK_EQ(count_dir(im.fs, sub), 1);
	CHECK_ST(walk(im.fs, "/TESTVOL", &ino), FS_E_NOENT);
	CHECK_OK(walk(im.fs, "/Sub/Deeper", &dino));
	CHECK_OK(fat_ops.lookup(im.fs, dino, "..", 2, &ino));
	CHECK_EQ(ino, sub);
	CHECK_OK(fat_ops.lookup(im.fs, sub, "..", 2, &ino));
	CHECK_EQ(ino, 1);
	CHECK_OK(fat_ops.lookup(im.fs, sub, ".", 1, &ino));
	CHECK_EQ(ino, sub);
	CHECK_OK(fat_ops.stat(im.fs, sub, &st));
	CHECK_EQ(st.mode & FS_IFMT, FS_IFDIR);
	CHECK_OK(fat_ops.stat(im.fs, 1, &st));
	CHECK_EQ(st.mode & FS_IFMT, FS_IFDIR);
	CHECK_EQ(st.ino, 1);
	/* reads at odd offsets, past the end */
	CHECK_OK(walk(im.fs, "/Sub/Deeper/big.bin", &ino));
	CHECK_OK(fat_ops.read(im.fs, ino, 1000, buf, 100, &done));
	CHECK_EQ(done, 100);
	CHECK(!memcmp(buf, big + 1000, 100));
	CHECK_OK(fat_ops.read(im.fs, ino, (row->k == 0 ? 50000 : sizeof(big)) - 10, buf, 100, &done));
	CHECK_EQ(done, 10);
	CHECK_OK(fat_ops.read(im.fs, ino, 1u << 30, buf, 100, &done));
	CHECK_EQ(done, 0);
	CHECK_ST(fat_ops.read(im.fs, sub, 0, buf, 1, &done), FS_E_ISDIR);
	umnt(&im);
	fsck_clean(&im);
	img_done(&im);
}

static const struct krow write_rows[] = { KROWS("FAT_001", "files and directories written read back by mtools; both FATs alike; fsck clean") };
TEST_TABLE(FAT_0011, write_rows, row)
{
	static uint8_t data[300016], back[300016];
	static const size_t sizes[] = { 0, 1, 511, 512, 513, 4097, 65536, 300000 };
	struct img im;
	char path[64];
	uint64_t ino;
	size_t done, max = row->k == 0 ? 65536 : 300000;
	char out[8192];

	img_make(&im, row->k, NULL);
	fill(data, sizeof(data), 2);
	mnt(&im, 0);
	CHECK_OK(mk(im.fs, "/dir", FS_IFDIR | 0755, NULL));
	CHECK_OK(mk(im.fs, "/dir/Sub Directory", FS_IFDIR | 0755, NULL));
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i] > max)
			continue;
		snprintf(path, sizeof(path), "/dir/Sub Directory/File number %u.bin", i);
		put(im.fs, path, data + i, sizes[i]);
		snprintf(path, sizeof(path), "/f%u.dat", i);
		put(im.fs, path, data + i, sizes[i]);
	}
	/* in pieces, out of order, rewritten */
	CHECK_OK(mk(im.fs, "/pieces", FS_IFREG | 0644, &ino));
	for (size_t off = 0; off < max; off += 7000) {
		size_t n = off + 7000 > max ? max - off : 7000;
		size_t at = max - off - n;

		CHECK_OK(fat_ops.write(im.fs, ino, at, data + at, n, &done));
		CHECK_EQ(done, n);
	}
	CHECK_OK(fat_ops.write(im.fs, ino, 100, data + 100, 3000, &done));
	same(im.fs, "/pieces", data, max);
	CHECK_OK(fat_ops.sync(im.fs));
	umnt(&im);
	fsck_clean(&im);
	/* both FATs the same */
	{
		struct geo g;
		uint8_t *f0, *f1;

		img_open(&im);
		geo_of(&im, &g);
		CHECK_EQ(g.nfats, 2);
		f0 = malloc((size_t)g.fatsz * g.bps);
		f1 = malloc((size_t)g.fatsz * g.bps);
		CHECK(f0 && f1);
		CHECK_EQ(pread(im.fd, f0, (size_t)g.fatsz * g.bps, (off_t)g.rsvd * g.bps), g.fatsz * g.bps);
		CHECK_EQ(pread(im.fd, f1, (size_t)g.fatsz * g.bps, (off_t)(g.rsvd + g.fatsz) * g.bps),
			 g.fatsz * g.bps);
		CHECK(!memcmp(f0, f1, (size_t)g.fatsz * g.bps));
		CHECK(f0[2] || f0[3] || f0[4]);   /* and not empty */
		free(f0);
		free(f1);
		close(im.fd);
	}
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i] > max)
			continue;
		snprintf(path, sizeof(path), "/dir/Sub Directory/File number %u.bin", i);
		msame(&im, path, data + i, sizes[i]);
		snprintf(path, sizeof(path), "/f%u.dat", i);
		msame(&im, path, data + i, sizes[i]);
	}
	CHECK_EQ(mread(&im, "/pieces", back, sizeof(back)), max);
	CHECK(!memcmp(back, data, max));
	/* short names of exact 8.3 names keep their case */
	sh_out(out, sizeof(out), "MTOOLS_SKIP_CHECK=1 mdir -i %s ::/ 2>&1", im.path);
	CHECK_MSG(strstr(out, "f0       dat") && strstr(out, "pieces  "), "%s", out);
	/* and mounted again: the same */
	mnt(&im, 0);
	same(im.fs, "/pieces", data, max);
	snprintf(path, sizeof(path), "/dir/Sub Directory/File number %u.bin", 2);
	same(im.fs, path, data + 2, 511);
	umnt(&im);
	img_done(&im);
}

static const struct krow names_rows[] = { KROWS("FAT_002", "short names: ~N tails unique, case flags, mtools finds each") };
TEST_TABLE(FAT_0021, names_rows, row)
{
	static const char *names[] = {
		"Long File Name 1.txt", "Long File Name 2.txt", "Long File Name 3.txt",
		"Long File Name 4.txt", "Long File Name 5.txt", "Long File Name 6.txt",
		"Long File Name 7.txt", "Long File Name 8.txt", "Long File Name 9.txt",
		"Long File Name 10.txt", "Long File Name 11.txt", "lower.txt", "UPPER.TXT",
		"Mixed.Txt", "mixed2.TXT", ".hidden", "a+b=c;d.txt", "many.dots.in.name",
		"ünï.txt", "ÜNÏ.TXT", "spaces in name", "x.toolong", "emoji 😀 name",
		"12345678.123", "123456789.12",
	};
	uint8_t buf[64];
	struct img im;
	char out[16384], path[300];
	unsigned n = sizeof(names) / sizeof(names[0]);
	uint64_t ino;

	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	CHECK_OK(mk(im.fs, "/d", FS_IFDIR | 0755, NULL));
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/d/%s", names[i]);
		fs_err_t e = mk(im.fs, path, FS_IFREG | 0644, &ino);
		if (!strcmp(names[i], "ÜNÏ.TXT")) {
			/* "ünï.txt" differs only in case */
			CHECK_ST(e, FS_E_EXIST);
			continue;
		}
		CHECK_MSG(e == FS_OK, "%s: %d", names[i], e);
		snprintf(path, sizeof(path), "%u", i);
		size_t done;
		CHECK_OK(fat_ops.write(im.fs, ino, 0, path, strlen(path), &done));
	}
	/* a name that differs only in ASCII case is the same name */
	CHECK_ST(mk(im.fs, "/d/LOWER.TXT", FS_IFREG | 0644, NULL), FS_E_EXIST);
	CHECK_ST(mk(im.fs, "/d/long file name 1.TXT", FS_IFREG | 0644, NULL), FS_E_EXIST);
	CHECK_EQ(count_dir(im.fs, 0 + 1), 1);
	umnt(&im);
	fsck_clean(&im);
	for (unsigned i = 0; i < n; i++) {
		char want[8];
		if (!strcmp(names[i], "ÜNÏ.TXT"))
			continue;
		/* mtools 4.0.32 shows a surrogate pair as "__": its short name */
		snprintf(path, sizeof(path), "/d/%s", strstr(names[i], "😀") ? "EMOJI_~1" : names[i]);
		snprintf(want, sizeof(want), "%u", i);
		CHECK_MSG(mread(&im, path, buf, sizeof(buf)) == (long)strlen(want) &&
				  !memcmp(buf, want, strlen(want)),
			  "mtools reads %s", names[i]);
	}
	sh_out(out, sizeof(out), "MTOOLS_SKIP_CHECK=1 mdir -i %s ::/d 2>&1", im.path);
	CHECK_MSG(strstr(out, "LONGFI~1 TXT") && strstr(out, "LONGFI~9 TXT") &&
			  strstr(out, "LONGF~10 TXT") && strstr(out, "LONGF~11 TXT") &&
			  strstr(out, "lower    txt") && strstr(out, "UPPER    TXT") &&
			  strstr(out, "12345678 123") && strstr(out, "MANYDO~1 NAM"),
		  "%s", out);
	mnt(&im, 0);
	for (unsigned i = 0; i < n; i++) {
		if (!strcmp(names[i], "ÜNÏ.TXT"))
			continue;
		snprintf(path, sizeof(path), "/d/%s", names[i]);
		CHECK_MSG(walk(im.fs, path, &ino) == FS_OK, "%s", names[i]);
		CHECK(dir_has(im.fs, parent_of(im.fs, path, &(const char *){ 0 }), names[i], NULL, NULL));
	}
	/* the short names find the files too */
	CHECK_OK(walk(im.fs, "/d/longfi~1.txt", &ino));
	same(im.fs, "/d/LONGFI~1.TXT", "0", 1);
	umnt(&im);
	img_done(&im);
}

struct bad_name {
	TEST_ROW;
	const char *name;
	fs_err_t want;
};
static const struct bad_name bad_names[] = {
	{ "FAT_0031", "a name with a colon", "a:b", FS_E_INVAL },
	{ "FAT_0032", "a name with a star", "a*b", FS_E_INVAL },
	{ "FAT_0033", "a name with a question mark", "a?", FS_E_INVAL },
	{ "FAT_0034", "a name ending in a dot", "name.", FS_E_INVAL },
	{ "FAT_0035", "a name ending in a space", "name ", FS_E_INVAL },
	{ "FAT_0036", "a backslash", "a\\b", FS_E_INVAL },
	{ "FAT_0037", "a control character", "a\tb", FS_E_INVAL },
	{ "FAT_0038", "bad UTF-8", "a\xff", FS_E_INVAL },
	{ "FAT_0039", "an overlong UTF-8 slash", "a\xc0\xaf", FS_E_INVAL },
	{ "FAT_0040", "dot", ".", FS_E_INVAL },
	{ "FAT_0041", "dot dot", "..", FS_E_INVAL },
	{ "FAT_0042", "a slash", "a/b", FS_E_INVAL },
};
TEST_TABLE(FAT_0031, bad_names, row)
{
	struct img im;
	uint64_t ino;
	char longname[300];

	img_make(&im, 1, NULL);
	mnt(&im, 0);
	CHECK_ST(fat_ops.create(im.fs, 1, row->name, strlen(row->name), FS_IFREG | 0644, &ino),
		 row->want);
	memset(longname, 'x', sizeof(longname));
	CHECK_ST(fat_ops.create(im.fs, 1, longname, 256, FS_IFREG | 0644, &ino), FS_E_NAMETOOLONG);
	CHECK_OK(fat_ops.create(im.fs, 1, longname, 255, FS_IFREG | 0644, &ino));
	CHECK_EQ(count_dir(im.fs, 1), 1);
	umnt(&im);
	fsck_clean(&im);
	img_done(&im);
}

static const struct krow rename_rows[] = { KROWS("FAT_005", "rename: within and across directories, replacing, case only, into itself refused; inode numbers kept") };
TEST_TABLE(FAT_0051, rename_rows, row)
{
	struct img im;
	uint64_t a, d1, d2, sub, ino, old_b;
	struct fs_stat st;

	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	CHECK_OK(mk(im.fs, "/d1", FS_IFDIR | 0755, &d1));
	CHECK_OK(mk(im.fs, "/d2", FS_IFDIR | 0755, &d2));
	put(im.fs, "/d1/a", "AAAA", 4);
	put(im.fs, "/d1/b", "BB", 2);
	put(im.fs, "/d1/keep", "K", 1);
	CHECK_OK(mk(im.fs, "/d1/sub", FS_IFDIR | 0755, &sub));
	put(im.fs, "/d1/sub/inner", "III", 3);
	CHECK_OK(walk(im.fs, "/d1/a", &a));
	/* within a directory to a long name */
	CHECK_OK(fat_ops.rename(im.fs, d1, "a", 1, d1, "A much longer name", 18));
	CHECK_ST(walk(im.fs, "/d1/a", &ino), FS_E_NOENT);
	CHECK_OK(walk(im.fs, "/d1/A much longer name", &ino));
	CHECK_OK(fat_ops.stat(im.fs, a, &st));   /* the old number still works */
	CHECK_EQ(st.size, 4);
	/* across directories */
	CHECK_OK(fat_ops.rename(im.fs, d1, "A much longer name", 18, d2, "moved", 5));
	CHECK_OK(walk(im.fs, "/d2/moved", &ino));
	CHECK_EQ(ino, a);
	same(im.fs, "/d2/moved", "AAAA", 4);
	/* replacing a file */
	CHECK_OK(walk(im.fs, "/d1/b", &old_b));
	CHECK_OK(fat_ops.rename(im.fs, d2, "moved", 5, d1, "b", 1));
	same(im.fs, "/d1/b", "AAAA", 4);
	CHECK_ST(fat_ops.stat(im.fs, old_b, &st), FS_E_STALE);
	CHECK_OK(fat_ops.stat(im.fs, a, &st));
	/* case only */
	CHECK_OK(fat_ops.rename(im.fs, d1, "b", 1, d1, "B", 1));
	CHECK(dir_has(im.fs, d1, "B", &ino, NULL));
	CHECK_EQ(ino, a);
	CHECK(!dir_has(im.fs, d1, "b", NULL, NULL));
	CHECK_OK(fat_ops.rename(im.fs, d1, "B", 1, d1, "B", 1));
	/* kinds */
	CHECK_ST(fat_ops.rename(im.fs, d1, "B", 1, d1, "sub", 3), FS_E_ISDIR);
	CHECK_ST(fat_ops.rename(im.fs, 1, "d2", 2, d1, "keep", 4), FS_E_NOTDIR);
	put(im.fs, "/d2/x", "x", 1);
	CHECK_ST(fat_ops.rename(im.fs, 1, "d1", 2, 1, "d2", 2), FS_E_NOTEMPTY);
	CHECK_ST(fat_ops.rename(im.fs, d1, "nothing", 7, d1, "x", 1), FS_E_NOENT);
	/* a directory into itself or below */
	CHECK_ST(fat_ops.rename(im.fs, 1, "d1", 2, d1, "x", 1), FS_E_LOOP);
	CHECK_ST(fat_ops.rename(im.fs, 1, "d1", 2, sub, "x", 1), FS_E_LOOP);
	/* a directory elsewhere: its .. follows */
	CHECK_OK(fat_ops.rename(im.fs, d1, "sub", 3, d2, "Sub Moved", 9));
	CHECK_OK(walk(im.fs, "/d2/Sub Moved/inner", &ino));
	CHECK_OK(fat_ops.lookup(im.fs, sub, "..", 2, &ino));
	CHECK_EQ(ino, d2);
	/* a directory over an empty one */
	CHECK_OK(mk(im.fs, "/empty", FS_IFDIR | 0755, NULL));
	CHECK_OK(fat_ops.rename(im.fs, d2, "Sub Moved", 9, 1, "empty", 5));
	same(im.fs, "/empty/inner", "III", 3);
	CHECK_OK(fat_ops.lookup(im.fs, sub, "..", 2, &ino));
	CHECK_EQ(ino, 1);
	umnt(&im);
	fsck_clean(&im);
	{
		uint8_t b[8];
		CHECK_EQ(mread(&im, "/empty/inner", b, 8), 3);
		CHECK_EQ(mread(&im, "/d1/B", b, 8), 4);
		CHECK_EQ(mread(&im, "/d2/moved", b, 8), -1);
	}
	img_done(&im);
}

static const struct krow unlink_rows[] = { KROWS("FAT_006", "unlink and rmdir free the clusters; removed numbers are stale") };
TEST_TABLE(FAT_0061, unlink_rows, row)
{
	static uint8_t data[40000];
	struct img im;
	struct fs_statfs sf0, sf1;
	struct fs_stat st;
	uint64_t d, f, g, ino;
	char out[4096];

	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	CHECK_OK(fat_ops.statfs(im.fs, &sf0));
	CHECK_OK(mk(im.fs, "/dir", FS_IFDIR | 0755, &d));
	put(im.fs, "/dir/file with long name", data, sizeof(data));
	CHECK_OK(walk(im.fs, "/dir/file with long name", &f));
	CHECK_OK(fat_ops.statfs(im.fs, &sf1));
	CHECK(sf1.blocks_free < sf0.blocks_free);
	CHECK_ST(fat_ops.unlink(im.fs, 1, "dir", 3), FS_E_NOTEMPTY);
	CHECK_ST(fat_ops.unlink(im.fs, d, "nothing", 7), FS_E_NOENT);
	CHECK_OK(fat_ops.unlink(im.fs, d, "FILE WITH LONG NAME", 19));
	CHECK_ST(fat_ops.stat(im.fs, f, &st), FS_E_STALE);
	CHECK_ST(walk(im.fs, "/dir/file with long name", &ino), FS_E_NOENT);
	/* the slot is used again, under a number of its own */
	CHECK_OK(mk(im.fs, "/dir/file with long name", FS_IFREG | 0644, &g));
	CHECK(g != f);
	CHECK_ST(fat_ops.stat(im.fs, f, &st), FS_E_STALE);
	CHECK_OK(fat_ops.stat(im.fs, g, &st));
	CHECK_EQ(st.size, 0);
	CHECK_OK(fat_ops.unlink(im.fs, d, "file with long name", 19));
	CHECK_OK(fat_ops.unlink(im.fs, 1, "dir", 3));
	CHECK_ST(fat_ops.stat(im.fs, d, &st), FS_E_STALE);
	CHECK_OK(fat_ops.statfs(im.fs, &sf1));
	CHECK_EQ(sf1.blocks_free, sf0.blocks_free);
	CHECK_EQ(count_dir(im.fs, 1), 0);
	umnt(&im);
	fsck_clean(&im);
	sh_out(out, sizeof(out), "MTOOLS_SKIP_CHECK=1 mdir -i %s ::/ 2>&1", im.path);
	CHECK_MSG(strstr(out, "No files") || strstr(out, "0 files"), "%s", out);
	img_done(&im);
}

static const struct krow trunc_rows[] = { KROWS("FAT_007", "truncate shrinks and grows (zeros), writes past the end leave zeros") };
TEST_TABLE(FAT_0071, trunc_rows, row)
{
	static uint8_t data[20000], want[40000], buf[40000];
	struct img im;
	uint64_t ino;
	struct fs_statfs sf0, sf1;
	size_t done;

	img_make(&im, row->k, NULL);
	fill(data, sizeof(data), 3);
	mnt(&im, 0);
	CHECK_OK(fat_ops.statfs(im.fs, &sf0));
	put(im.fs, "/t", data, sizeof(data));
	CHECK_OK(walk(im.fs, "/t", &ino));
	CHECK_OK(fat_ops.truncate(im.fs, ino, 1000));
	same(im.fs, "/t", data, 1000);
	CHECK_OK(fat_ops.truncate(im.fs, ino, 30000));
	memcpy(want, data, 1000);
	memset(want + 1000, 0, 29000);
	same(im.fs, "/t", want, 30000);
	CHECK_OK(fat_ops.truncate(im.fs, ino, 0));
	same(im.fs, "/t", want, 0);
	CHECK_OK(fat_ops.statfs(im.fs, &sf1));
	CHECK_EQ(sf1.blocks_free, sf0.blocks_free);
	/* a write past the end */
	CHECK_OK(fat_ops.write(im.fs, ino, 5000, data, 100, &done));
	memset(want, 0, 5000);
	memcpy(want + 5000, data, 100);
	same(im.fs, "/t", want, 5100);
	/* a shrink inside a cluster, then a grow: the old bytes do not come back */
	CHECK_OK(fat_ops.truncate(im.fs, ino, 5010));
	CHECK_OK(fat_ops.truncate(im.fs, ino, 5100));
	memset(want + 5010, 0, 90);
	same(im.fs, "/t", want, 5100);
	CHECK_ST(fat_ops.truncate(im.fs, ino, 1ull << 32), FS_E_FBIG);
	CHECK_ST(fat_ops.write(im.fs, ino, 0xffffffffull, data, 1, &done), FS_E_FBIG);
	CHECK_ST(fat_ops.truncate(im.fs, 1, 0), FS_E_ISDIR);
	umnt(&im);
	fsck_clean(&im);
	CHECK_EQ(mread(&im, "/t", buf, sizeof(buf)), 5100);
	CHECK(!memcmp(buf, want, 5100));
	img_done(&im);
}

static const struct krow attr_rows[] = { KROWS("FAT_008", "stat, setattr: times, read-only attribute; no symlinks, links, owners") };
TEST_TABLE(FAT_0081, attr_rows, row)
{
	struct img im;
	uint64_t ino, d;
	struct fs_stat st;
	struct fs_attr a;
	char out[4096], buf[8];
	size_t len;

	img_make(&im, row->k, NULL);
	clock_now = 1700000001;
	mnt(&im, 0);
	put(im.fs, "/f", "x", 1);
	CHECK_OK(walk(im.fs, "/f", &ino));
	CHECK_OK(fat_ops.stat(im.fs, ino, &st));
	CHECK_EQ(st.mtime, 1700000000);   /* two-second steps */
	CHECK_EQ(st.atime, 1700000000 - 80000);   /* a date: 2023-11-14 00:00 */
	CHECK_EQ(st.mode, FS_IFREG | 0777);
	CHECK_EQ(st.nlink, 1);
	CHECK_EQ(st.uid, 0);
	memset(&a, 0, sizeof(a));
	a.mask = FS_ATTR_MODE | FS_ATTR_MTIME | FS_ATTR_ATIME;
	a.mode = 0444;
	a.mtime = 1234567890;   /* 2009-02-13 23:31:30 */
	a.atime = 1234567890;
	CHECK_OK(fat_ops.setattr(im.fs, ino, &a));
	CHECK_OK(fat_ops.stat(im.fs, ino, &st));
	CHECK_EQ(st.mode, FS_IFREG | 0555);
	CHECK_EQ(st.mtime, 1234567890);
	CHECK_EQ(st.atime, 1234483200);
	a.mask = FS_ATTR_MTIME;
	a.mtime = 100;   /* before 1980: the first FAT time */
	CHECK_OK(fat_ops.setattr(im.fs, ino, &a));
	CHECK_OK(fat_ops.stat(im.fs, ino, &st));
	CHECK_EQ(st.mtime, 315532800);
	a.mask = FS_ATTR_UID;
	a.uid = 1000;
	CHECK_ST(fat_ops.setattr(im.fs, ino, &a), FS_E_UNSUPPORTED);
	a.uid = 0;
	CHECK_OK(fat_ops.setattr(im.fs, ino, &a));
	CHECK_ST(fat_ops.symlink(im.fs, 1, "l", 1, "f", 1, &d), FS_E_UNSUPPORTED);
	CHECK_ST(fat_ops.link(im.fs, 1, "l", 1, ino), FS_E_UNSUPPORTED);
	CHECK_ST(fat_ops.create(im.fs, 1, "l", 1, FS_IFLNK | 0777, &d), FS_E_UNSUPPORTED);
	CHECK_ST(fat_ops.readlink(im.fs, ino, buf, sizeof(buf), &len), FS_E_INVAL);
	CHECK_OK(mk(im.fs, "/ro", FS_IFREG | 0444, &d));
	CHECK_OK(fat_ops.stat(im.fs, d, &st));
	CHECK_EQ(st.mode, FS_IFREG | 0555);
	umnt(&im);
	fsck_clean(&im);
	sh_out(out, sizeof(out), "MTOOLS_SKIP_CHECK=1 mattrib -i %s ::/f ::/ro 2>&1", im.path);
	CHECK_MSG(strstr(out, "R     ::/f") && strstr(out, "R     ::/ro"), "%s", out);
	clock_now = 1700000000;
	img_done(&im);
}

static const struct krow many_rows[] = { KROWS("FAT_009", "a directory of 300 long names grows over clusters; listing and fsck agree") };
TEST_TABLE(FAT_0091, many_rows, row)
{
	struct img im;
	char path[128], out[65536];
	uint64_t d;
	unsigned n = row->k == 0 ? 120 : 300;

	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	CHECK_OK(mk(im.fs, "/many", FS_IFDIR | 0755, &d));
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/many/a rather long file name number %04u.text", i);
		put(im.fs, path, path, 10);
	}
	CHECK_EQ(count_dir(im.fs, d), n);
	for (unsigned i = 0; i < n; i += 2) {
		snprintf(path, sizeof(path), "a rather long file name number %04u.text", i);
		CHECK_OK(fat_ops.unlink(im.fs, d, path, strlen(path)));
	}
	CHECK_EQ(count_dir(im.fs, d), n / 2);
	/* freed runs are used again */
	for (unsigned i = 0; i < n; i += 2) {
		snprintf(path, sizeof(path), "/many/again %u", i);
		put(im.fs, path, "y", 1);
	}
	CHECK_EQ(count_dir(im.fs, d), n);
	umnt(&im);
	fsck_clean(&im);
	sh_out(out, sizeof(out), "MTOOLS_SKIP_CHECK=1 mdir -i %s ::/many 2>&1 | tail -3", im.path);
	snprintf(path, sizeof(path), "%u files", n + 2);   /* with . and .. */
	CHECK_MSG(strstr(out, path), "%s", out);
	img_done(&im);
}

static const struct krow full_rows[] = { KROWS("FAT_010", "a full disk: short write, then FS_E_NOSPC; fsck clean, free count right") };
TEST_TABLE(FAT_0101, full_rows, row)
{
	struct img im;
	uint64_t ino;
	struct fs_statfs sf;
	size_t done, chunk = 1 << 20;
	uint8_t *b = calloc(1, chunk);
	uint64_t total = 0;
	fs_err_t e;

	CHECK(b != NULL);
	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	put(im.fs, "/other", "o", 1);
	CHECK_OK(mk(im.fs, "/fill", FS_IFREG | 0644, &ino));
	for (;;) {
		e = fat_ops.write(im.fs, ino, total, b, chunk, &done);
		total += done;
		if (e) {
			CHECK_ST(e, FS_E_NOSPC);
			CHECK_EQ(done, 0);
			break;
		}
		CHECK(done <= chunk);
	}
	CHECK_OK(fat_ops.statfs(im.fs, &sf));
	CHECK_EQ(sf.blocks_free, 0);
	CHECK_ST(mk(im.fs, "/dir", FS_IFDIR | 0755, NULL), FS_E_NOSPC);
	CHECK_OK(fat_ops.truncate(im.fs, ino, total / 2));
	CHECK_OK(fat_ops.statfs(im.fs, &sf));
	CHECK(sf.blocks_free > 0);
	umnt(&im);
	fsck_clean(&im);
	free(b);
	img_done(&im);
}

TEST(FAT_0111, "a full fixed root (FAT16, 16 entries) refuses more names with FS_E_NOSPC")
{
	struct img im;
	struct geo g;
	char name[32];
	unsigned made = 0;
	uint64_t ino;
	fs_err_t e;

	img_make(&im, 1, "-r 16");
	img_open(&im);
	geo_of(&im, &g);
	close(im.fd);
	CHECK(g.root_ents < 512);
	mnt(&im, 0);
	for (;;) {
		snprintf(name, sizeof(name), "F%u", made);
		e = fat_ops.create(im.fs, 1, name, strlen(name), FS_IFREG | 0644, &ino);
		if (e)
			break;
		made++;
	}
	CHECK_ST(e, FS_E_NOSPC);
	CHECK_EQ(made, g.root_ents);
	umnt(&im);
	fsck_clean(&im);
	img_done(&im);
}

TEST(FAT_0121, "the dirty flag: set on the disk by the first change, cleared by sync; kept on a volume mounted unclean")
{
	struct img im;
	uint8_t flag;
	char out[4096];

	img_make(&im, 2, NULL);
	mnt(&im, 0);
	CHECK_EQ(pread(im.fd, &flag, 1, 0x41), 1);
	CHECK_EQ(flag & 1, 0);
	put(im.fs, "/f", "x", 1);
	CHECK_EQ(pread(im.fd, &flag, 1, 0x41), 1);
	CHECK_EQ(flag & 1, 1);
	sh_out(out, sizeof(out), "fsck.vfat -n %s 2>&1", im.path);
	CHECK_MSG(strstr(out, "Dirty bit"), "%s", out);
	CHECK_OK(fat_ops.sync(im.fs));
	CHECK_EQ(pread(im.fd, &flag, 1, 0x41), 1);
	CHECK_EQ(flag & 1, 0);
	fsck_clean(&im);
	/* an unclean volume mounts, with a line saying so */
	put(im.fs, "/g", "y", 1);
	close(im.fd);   /* "power cut": what is still cached is lost */
	im.fd = -1;
	CHECK_ST(fat_ops.unmount(im.fs), FS_E_IO);
	logbuf[0] = 0;
	mnt(&im, 0);
	CHECK_MSG(strstr(logbuf, "not cleanly unmounted"), "%s", logbuf);
	put(im.fs, "/h", "z", 1);
	umnt(&im);
	/* it stays set for fsck to see, as Linux leaves it */
	img_open(&im);
	CHECK_EQ(pread(im.fd, &flag, 1, 0x41), 1);
	CHECK_EQ(flag & 1, 1);
	close(im.fd);
	CHECK_EQ(sh("fsck.vfat -a %s >/dev/null 2>&1", im.path) & ~1, 0);
	fsck_clean(&im);
	img_done(&im);
}

TEST(FAT_0131, "a read-only mount reads and changes nothing")
{
	struct img im;
	char before[128], after[128];
	uint64_t ino;
	size_t done;
	struct fs_attr a = { .mask = FS_ATTR_MODE, .mode = 0444 };

	img_make(&im, 1, NULL);
	CHECK_EQ(sh("cd %s && echo hi > h && MTOOLS_SKIP_CHECK=1 mcopy -i img h ::/h", im.dir), 0);
	sh_out(before, sizeof(before), "sha256sum %s", im.path);
	mnt(&im, FS_MOUNT_READONLY);
	same(im.fs, "/h", "hi\n", 3);
	CHECK_OK(walk(im.fs, "/h", &ino));
	CHECK_ST(fat_ops.write(im.fs, ino, 0, "x", 1, &done), FS_E_ROFS);
	CHECK_ST(fat_ops.truncate(im.fs, ino, 0), FS_E_ROFS);
	CHECK_ST(mk(im.fs, "/n", FS_IFREG | 0644, NULL), FS_E_ROFS);
	CHECK_ST(fat_ops.unlink(im.fs, 1, "h", 1), FS_E_ROFS);
	CHECK_ST(fat_ops.rename(im.fs, 1, "h", 1, 1, "i", 1), FS_E_ROFS);
	CHECK_ST(fat_ops.setattr(im.fs, ino, &a), FS_E_ROFS);
	CHECK_OK(fat_ops.sync(im.fs));
	umnt(&im);
	CHECK_EQ(im.writes, 0);
	sh_out(after, sizeof(after), "sha256sum %s", im.path);
	CHECK(!strcmp(before, after));
	img_done(&im);
}

static const struct krow big_rows[] = { KROWS("FAT_014", "a large file moves in multi-block requests") };
TEST_TABLE(FAT_0141, big_rows, row)
{
	size_t n = row->k == 0 ? 1000000 : 4 << 20;
	uint8_t *data = malloc(n), *back = malloc(n);
	struct img im;
	uint64_t ino;
	size_t done;

	CHECK(data && back);
	fill(data, n, 4);
	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	CHECK_OK(mk(im.fs, "/big", FS_IFREG | 0644, &ino));
	CHECK_OK(fat_ops.write(im.fs, ino, 0, data, n, &done));
	CHECK_EQ(done, n);
	CHECK(im.max_write >= 64);
	CHECK_OK(fat_ops.read(im.fs, ino, 0, back, n, &done));
	CHECK_EQ(done, n);
	CHECK(im.max_read >= 64);
	CHECK(!memcmp(data, back, n));
	umnt(&im);
	fsck_clean(&im);
	msame(&im, "/big", data, n);
	free(data);
	free(back);
	img_done(&im);
}

static const struct krow ino_rows[] = { KROWS("FAT_015", "inode numbers: the same after a remount; lookup and readdir agree") };
TEST_TABLE(FAT_0151, ino_rows, row)
{
	struct img im;
	uint64_t a, b, a2, b2, ino;

	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	put(im.fs, "/a file", "1", 1);
	CHECK_OK(mk(im.fs, "/d", FS_IFDIR | 0755, NULL));
	put(im.fs, "/d/b", "2", 1);
	CHECK_OK(walk(im.fs, "/a file", &a));
	CHECK_OK(walk(im.fs, "/d/b", &b));
	CHECK(a != b && a > 1 && b > 1);
	CHECK(dir_has(im.fs, 1, "a file", &ino, NULL));
	CHECK_EQ(ino, a);
	umnt(&im);
	mnt(&im, 0);
	CHECK_OK(walk(im.fs, "/a file", &a2));
	CHECK_OK(walk(im.fs, "/d/b", &b2));
	CHECK_EQ(a, a2);
	CHECK_EQ(b, b2);
	{
		struct fs_stat st;
		CHECK_ST(fat_ops.stat(im.fs, 12345678, &st), FS_E_STALE);
		CHECK_ST(fat_ops.stat(im.fs, 0, &st), FS_E_STALE);
		CHECK_ST(fat_ops.stat(im.fs, ~0ull, &st), FS_E_STALE);
	}
	umnt(&im);
	img_done(&im);
}

static const struct krow sector_rows[] = {
	{ "FAT_0161", "4096-byte sectors on a device of 512-byte blocks (FAT32)", 3 },
	{ "FAT_0162", "2048-byte sectors on a device of 512-byte blocks (FAT12)", 4 },
};
TEST_TABLE(FAT_0161, sector_rows, row)
{
	static uint8_t data[200000];
	struct img im;
	uint64_t d;
	char path[64];

	fill(data, sizeof(data), 5);
	img_make(&im, row->k, NULL);
	put_host(&im, "m", data, 10000);
	CHECK_EQ(sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i img m '::/From mtools.bin'", im.dir), 0);
	mnt(&im, 0);
	same(im.fs, "/From mtools.bin", data, 10000);
	CHECK_OK(mk(im.fs, "/A directory", FS_IFDIR | 0755, &d));
	for (unsigned i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/A directory/file %u with a long name", i);
		put(im.fs, path, data + i, 100 * i + 1);
	}
	put(im.fs, "/big.bin", data, sizeof(data));
	CHECK_OK(fat_ops.unlink(im.fs, 1, "From mtools.bin", 15));
	umnt(&im);
	fsck_clean(&im);
	msame(&im, "/big.bin", data, sizeof(data));
	msame(&im, "/A directory/file 39 with a long name", data + 39, 3901);
	mnt(&im, 0);
	CHECK_EQ(count_dir(im.fs, d), 40);
	same(im.fs, "/A directory/file 7 with a long name", data + 7, 701);
	umnt(&im);
	img_done(&im);
}

TEST(FAT_0171, "512-byte sectors on a device of 4096-byte blocks: FS_E_UNSUPPORTED, said in the log")
{
	struct img im;
	void *fs;

	img_make(&im, 1, NULL);
	img_open(&im);
	im.dev.block_size = 4096;
	im.dev.count /= 8;
	CHECK_ST(fat_mount(&im.dev, 0, &env, &fs), FS_E_UNSUPPORTED);
	CHECK_MSG(strstr(logbuf, "512 bytes"), "%s", logbuf);
	close(im.fd);
	img_done(&im);
}

TEST(FAT_0172, "FAT32 with mirroring off: only the active FAT is read and written")
{
	static uint8_t data[30000];
	struct img im;
	struct geo g;
	uint8_t ext[2] = { 0x81, 0x00 }, *before, *now;
	size_t fat_bytes;

	fill(data, sizeof(data), 6);
	img_make(&im, 2, NULL);
	img_open(&im);
	geo_of(&im, &g);
	poke(&im, 40, ext, 2);              /* active FAT 1, no mirroring */
	poke(&im, 6 * 512 + 40, ext, 2);    /* and the backup boot sector */
	fat_bytes = (size_t)g.fatsz * g.bps;
	before = malloc(fat_bytes);
	now = malloc(fat_bytes);
	CHECK(before && now);
	CHECK_EQ(pread(im.fd, before, fat_bytes, (off_t)g.rsvd * g.bps), fat_bytes);
	close(im.fd);
	mnt(&im, 0);
	put(im.fs, "/file", data, sizeof(data));
	umnt(&im);
	img_open(&im);
	CHECK_EQ(pread(im.fd, now, fat_bytes, (off_t)g.rsvd * g.bps), fat_bytes);
	CHECK(!memcmp(before, now, fat_bytes));   /* FAT 0 untouched */
	CHECK_EQ(pread(im.fd, now, fat_bytes, (off_t)(g.rsvd + g.fatsz) * g.bps), fat_bytes);
	CHECK(memcmp(before, now, fat_bytes));    /* FAT 1 holds the file */
	close(im.fd);
	mnt(&im, 0);
	same(im.fs, "/file", data, sizeof(data));
	umnt(&im);
	free(before);
	free(now);
	img_done(&im);
}

/* A device that dies: every request from the fail_at-th on fails. */
static uint64_t requests, fail_at;
static fs_err_t dying_read(void *ctx, uint64_t block, uint32_t n, void *buf)
{
	return ++requests >= fail_at ? FS_E_IO : f_read(ctx, block, n, buf);
}
static fs_err_t dying_write(void *ctx, uint64_t block, uint32_t n, const void *buf)
{
	return ++requests >= fail_at ? FS_E_IO : f_write(ctx, block, n, buf);
}
static fs_err_t dying_sync(void *ctx)
{
	return ++requests >= fail_at ? FS_E_IO : f_sync(ctx);
}

/* OK or the device's error, nothing else */
#define IO_OK(x)                                                                           \
	do {                                                                               \
		fs_err_t e_ = (x);                                                         \
		CHECK_MSG(e_ == FS_OK || e_ == FS_E_IO, "%s -> %d at request %llu", #x, e_, \
			  (unsigned long long)fail_at);                                     \
		ok &= e_ == FS_OK;                                                         \
	} while (0)

static const struct krow dying_rows[] = { KROWS("FAT_018", "a device that dies at any request: FS_E_IO from every call, no crash, no leak") };
TEST_TABLE(FAT_0181, dying_rows, row)
{
	static uint8_t data[20000];
	struct img im;
	bool ok = false;

	img_make(&im, row->k, NULL);
	CHECK_EQ(sh("cp %s %s.clean", im.path, im.path), 0);
	for (fail_at = 1; !ok && fail_at < 10000; fail_at++) {
		uint64_t d = 0, f = 0;
		size_t done;
		void *fs;
		fs_err_t e;

		CHECK_EQ(sh("cp %s.clean %s", im.path, im.path), 0);
		img_open(&im);
		im.dev.read = dying_read;
		im.dev.write = dying_write;
		im.dev.sync = dying_sync;
		requests = 0;
		e = fat_mount(&im.dev, 0, &env, &fs);
		CHECK_MSG(e == FS_OK || e == FS_E_IO, "mount -> %d", e);
		if (e) {
			close(im.fd);
			continue;
		}
		ok = true;
		IO_OK(fat_ops.create(fs, 1, "dir", 3, FS_IFDIR | 0755, &d));
		if (ok)
			IO_OK(fat_ops.create(fs, d, "a file with a long name", 23, FS_IFREG | 0644, &f));
		if (ok)
			IO_OK(fat_ops.write(fs, f, 0, data, sizeof(data), &done));
		if (ok)
			IO_OK(fat_ops.rename(fs, d, "a file with a long name", 23, 1, "moved", 5));
		if (ok)
			IO_OK(fat_ops.truncate(fs, f, 100));
		if (ok)
			IO_OK(fat_ops.sync(fs));
		IO_OK(fat_ops.unmount(fs));
		close(im.fd);
	}
	CHECK(ok);   /* the device lived long enough at last */
	CHECK(fail_at > 20);
	/* the last image is whole */
	fsck_clean(&im);
	img_done(&im);
}

/* ---- damaged images ---- */

struct bpb_row {
	TEST_ROW;
	unsigned off, len;
	uint32_t val;
	const char *says;   /* in the log line */
};
static const struct bpb_row bpb_rows[] = {
	{ "FAT_0201", "bytes per sector 1000", 11, 2, 1000, "bytes per sector" },
	{ "FAT_0202", "no bytes per sector", 11, 2, 0, "bytes per sector" },
	{ "FAT_0203", "3 sectors per cluster", 13, 1, 3, "sectors per cluster" },
	{ "FAT_0204", "no reserved sectors", 14, 2, 0, "reserved" },
	{ "FAT_0205", "no FATs", 16, 1, 0, "FATs" },
	{ "FAT_0206", "total sectors beyond the device", 32, 4, 0x7fffffff, "larger than the device" },
	{ "FAT_0207", "FAT size filling the volume", 36, 4, 0x00ffffff, "fills the volume" },
	{ "FAT_0208", "root cluster out of range", 44, 4, 0x0fffff00, "root cluster" },
	{ "FAT_0209", "no boot signature", 510, 2, 0, "signature" },
	{ "FAT_0210", "no jump instruction", 0, 1, 0, "no FAT boot sector" },
	{ "FAT_0211", "a tiny FAT", 36, 4, 1, "too small" },
	{ "FAT_0212", "root entries on FAT32", 17, 2, 512, "root entries" },
};
TEST_TABLE(FAT_0201, bpb_rows, row)
{
	struct img im;
	uint8_t b[4] = { (uint8_t)row->val, (uint8_t)(row->val >> 8), (uint8_t)(row->val >> 16),
			 (uint8_t)(row->val >> 24) };
	void *fs = NULL;

	img_make(&im, 2, NULL);
	img_open(&im);
	poke(&im, row->off, b, row->len);
	CHECK_ST(fat_mount(&im.dev, 0, &env, &fs), FS_E_CORRUPT);
	CHECK_MSG(strstr(logbuf, row->says), "log: %s", logbuf);
	CHECK_EQ(im.writes, 0);
	close(im.fd);
	img_done(&im);
}

static const struct krow loop_rows[] = {
	{ "FAT_0221", "a cluster chain that loops: read, write, unlink fail with FS_E_CORRUPT (FAT16)", 1 },
	{ "FAT_0222", "a cluster chain that loops: read, write, unlink fail with FS_E_CORRUPT (FAT32)", 2 },
};
TEST_TABLE(FAT_0221, loop_rows, row)
{
	static uint8_t data[20000], buf[20000];
	struct img im;
	struct geo g;
	uint64_t ino;
	uint32_t c;
	size_t done;

	img_make(&im, row->k, "-s 1");
	img_open(&im);
	put_host(&im, "f", data, sizeof(data));
	CHECK_EQ(sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i img f ::/f && MTOOLS_SKIP_CHECK=1 mcopy -i img f ::/ok", im.dir), 0);
	mnt(&im, 0);
	CHECK_OK(walk(im.fs, "/f", &ino));
	umnt(&im);
	img_open(&im);
	geo_of(&im, &g);
	c = first_of(&im, ino);
	CHECK(c >= 2);
	poke_fat(&im, &g, peek_fat(&im, &g, c), c);   /* the second cluster links back */
	close(im.fd);
	logbuf[0] = 0;
	mnt(&im, 0);
	CHECK_ST(fat_ops.read(im.fs, ino, 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK_MSG(strstr(logbuf, "loops"), "%s", logbuf);
	CHECK_ST(fat_ops.write(im.fs, ino, 19000, buf, 5000, &done), FS_E_CORRUPT);
	CHECK_ST(fat_ops.truncate(im.fs, ino, 0), FS_E_CORRUPT);
	CHECK_ST(fat_ops.unlink(im.fs, 1, "f", 1), FS_E_CORRUPT);
	/* the rest still works */
	same(im.fs, "/ok", data, sizeof(data));
	put(im.fs, "/new", "n", 1);
	umnt(&im);
	img_done(&im);
}

static const struct krow range_rows[] = {
	{ "FAT_0231", "clusters out of range in an entry and in the FAT: FS_E_CORRUPT (FAT16)", 1 },
	{ "FAT_0232", "clusters out of range in an entry and in the FAT: FS_E_CORRUPT (FAT32)", 2 },
};
TEST_TABLE(FAT_0231, range_rows, row)
{
	static uint8_t data[5000], buf[5000];
	struct img im;
	struct geo g;
	uint64_t a, b, d, ino;
	uint32_t c;
	size_t done;
	struct fs_stat st;
	uint8_t bad[2] = { 0xf0, 0xff };

	img_make(&im, row->k, "-s 1");
	put_host(&im, "f", data, sizeof(data));
	CHECK_EQ(sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i img f ::/a && MTOOLS_SKIP_CHECK=1 mcopy -i img f ::/b && MTOOLS_SKIP_CHECK=1 mmd -i img ::/d", im.dir), 0);
	mnt(&im, 0);
	CHECK_OK(walk(im.fs, "/a", &a));
	CHECK_OK(walk(im.fs, "/b", &b));
	CHECK_OK(walk(im.fs, "/d", &d));
	umnt(&im);
	img_open(&im);
	geo_of(&im, &g);
	/* a: its entry's first cluster beyond the volume */
	poke(&im, (off_t)((a - 2) * 32 + 26), bad, 2);
	if (im.bits == 32)
		poke(&im, (off_t)((a - 2) * 32 + 20), bad, 2);
	/* b: its second cluster's link beyond the FAT's range */
	c = first_of(&im, b);
	poke_fat(&im, &g, c, im.bits == 16 ? 0xfff0 : 0x0ffffff0);
	/* d: a directory whose entry says cluster 0 */
	poke(&im, (off_t)((d - 2) * 32 + 26), "\0\0", 2);
	if (im.bits == 32)
		poke(&im, (off_t)((d - 2) * 32 + 20), "\0\0", 2);
	close(im.fd);
	logbuf[0] = 0;
	mnt(&im, 0);
	CHECK_ST(fat_ops.read(im.fs, a, 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK_ST(fat_ops.stat(im.fs, a, &st), FS_E_CORRUPT);
	CHECK_ST(fat_ops.read(im.fs, b, 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK_ST(walk(im.fs, "/d/x", &ino), FS_E_CORRUPT);
	CHECK_ST(fat_ops.readdir(im.fs, d, &(uint64_t){ 0 }, &(struct fs_dirent){ 0 }, &(bool){ 0 }),
		 FS_E_CORRUPT);
	CHECK_MSG(strstr(logbuf, "starts at cluster") && strstr(logbuf, "links to") &&
			  strstr(logbuf, "without a cluster"),
		  "%s", logbuf);
	put(im.fs, "/fine", "f", 1);
	same(im.fs, "/fine", "f", 1);
	umnt(&im);
	img_done(&im);
}

TEST(FAT_0241, "a file larger than its chain, a directory chain that loops, a directory its own parent: FS_E_CORRUPT")
{
	static uint8_t data[3000], buf[4000];
	struct img im;
	struct geo g;
	uint64_t f, d, e, ino;
	size_t done;
	uint8_t big[4] = { 0x00, 0x00, 0x10, 0x00 };
	char path[64];

	img_make(&im, 2, "-s 1");
	put_host(&im, "f", data, sizeof(data));
	CHECK_EQ(sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -i img f ::/f && MTOOLS_SKIP_CHECK=1 mmd -i img ::/d ::/e ::/x", im.dir), 0);
	mnt(&im, 0);
	CHECK_OK(walk(im.fs, "/e", &e));
	for (int i = 0; i < 40; i++) {   /* d over several clusters */
		snprintf(path, sizeof(path), "/d/name number %d", i);
		put(im.fs, path, "", 0);
	}
	CHECK_OK(walk(im.fs, "/f", &f));
	CHECK_OK(walk(im.fs, "/d", &d));
	umnt(&im);
	img_open(&im);
	geo_of(&im, &g);
	poke(&im, (off_t)((f - 2) * 32 + 28), big, 4);
	uint32_t c = first_of(&im, d), c2 = peek_fat(&im, &g, c);
	CHECK(c2 >= 2 && c2 < 0xfff0);
	poke_fat(&im, &g, c2, c);
	/* e: a directory whose ".." names itself */
	uint32_t ce = first_of(&im, e);
	off_t dotdot = ((off_t)g.data + (off_t)(ce - 2) * g.spc) * g.bps + 32;
	uint8_t self[2] = { (uint8_t)ce, (uint8_t)(ce >> 8) }, hi[2] = { (uint8_t)(ce >> 16), (uint8_t)(ce >> 24) };
	poke(&im, dotdot + 26, self, 2);
	poke(&im, dotdot + 20, hi, 2);
	close(im.fd);
	logbuf[0] = 0;
	mnt(&im, 0);
	CHECK_ST(fat_ops.read(im.fs, f, 0, buf, sizeof(buf), &done), FS_E_CORRUPT);
	CHECK_ST(walk(im.fs, "/d/nothing", &ino), FS_E_CORRUPT);
	CHECK_ST(mk(im.fs, "/d/new", FS_IFREG | 0644, NULL), FS_E_CORRUPT);
	CHECK(strstr(logbuf, "loops") && strstr(logbuf, "clusters"));
	CHECK_ST(fat_ops.lookup(im.fs, e, "..", 2, &ino), FS_E_CORRUPT);
	CHECK_ST(fat_ops.rename(im.fs, 1, "f", 1, e, "g", 1), FS_OK);   /* a file may go there */
	CHECK_ST(fat_ops.rename(im.fs, 1, "x", 1, e, "y", 1), FS_E_CORRUPT);   /* a directory not */
	CHECK_MSG(strstr(logbuf, "parents of directory"), "%s", logbuf);
	umnt(&im);
	img_done(&im);
}

TEST(FAT_0251, "an unclean FAT16 image: the clean bit of FAT[1] noticed")
{
	struct img im;
	struct geo g;

	img_make(&im, 1, NULL);
	img_open(&im);
	geo_of(&im, &g);
	poke_fat(&im, &g, 1, 0x7fff);
	close(im.fd);
	mnt(&im, 0);
	CHECK_MSG(strstr(logbuf, "not cleanly unmounted"), "%s", logbuf);
	umnt(&im);
	img_done(&im);
}

/* ---- random operations against a model ---- */

#define MODEL_FILES 24
#define MODEL_MAX 24000
struct mfile {
	bool used;
	int dir;                  /* index in mdirs */
	const char *name;
	size_t size;
	uint8_t data[MODEL_MAX];
};
static const char *mdirs[] = { "", "/Dir One", "/dir2", "/Dir One/Nested Deeper" };
static const char *mnames[] = {
	"a", "B.TXT", "lower.txt", "A Long Name.text", "another long name with spaces",
	"x.y.z", "Ünïcødé file", "README", "readme.md", "12345678.abc", "longer than eight.c",
	"~tilde", "data.bin", "Mixed.Case", "z",
};

static uint32_t rnd_state;
static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static struct mfile *mfind(struct mfile *m, int dir, const char *name)
{
	for (int i = 0; i < MODEL_FILES; i++)
		if (m[i].used && m[i].dir == dir && !strcmp(m[i].name, name))
			return &m[i];
	return NULL;
}

static void mpath(char *out, size_t n, int dir, const char *name)
{
	snprintf(out, n, "%s/%s", mdirs[dir], name);
}

static const struct krow model_rows[] = { KROWS("FAT_026", "500 random writes, truncates, renames, unlinks and remounts agree with a model; mtools and fsck agree") };
TEST_TABLE(FAT_0261, model_rows, row)
{
	struct mfile *m = calloc(MODEL_FILES, sizeof(*m));
	static uint8_t buf[MODEL_MAX + 100], rbuf[MODEL_MAX];
	struct img im;
	char path[160], path2[160];
	uint64_t ino, d;
	size_t done;

	CHECK(m != NULL);
	rnd_state = 42 + (uint32_t)row->k;
	img_make(&im, row->k, NULL);
	mnt(&im, 0);
	for (int i = 1; i < 4; i++)
		CHECK_OK(mk(im.fs, mdirs[i], FS_IFDIR | 0755, NULL));
	for (int step = 0; step < 500; step++) {
		int dir = (int)rnd(4), op = (int)rnd(10);
		const char *name = mnames[rnd(sizeof(mnames) / sizeof(mnames[0]))];
		struct mfile *f = mfind(m, dir, name);

		mpath(path, sizeof(path), dir, name);
		if (op < 4) {   /* write */
			size_t off = rnd(MODEL_MAX / 2), len = 1 + rnd(MODEL_MAX / 2);

			if (!f) {
				int i = 0;
				while (i < MODEL_FILES && m[i].used)
					i++;
				if (i == MODEL_FILES)
					continue;
				f = &m[i];
				memset(f, 0, sizeof(*f));
				f->used = true;
				f->dir = dir;
				f->name = name;
				CHECK_OK(mk(im.fs, path, FS_IFREG | 0644, &ino));
			} else {
				CHECK_OK(walk(im.fs, path, &ino));
			}
			fill(buf, len, (unsigned)step);
			CHECK_OK(fat_ops.write(im.fs, ino, off, buf, len, &done));
			CHECK_EQ(done, len);
			if (off > f->size)   /* the gap reads as zeros */
				memset(f->data + f->size, 0, off - f->size);
			memcpy(f->data + off, buf, len);
			if (off + len > f->size)
				f->size = off + len;
		} else if (op < 5 && f) {   /* truncate */
			size_t size = rnd(MODEL_MAX);

			CHECK_OK(walk(im.fs, path, &ino));
			CHECK_OK(fat_ops.truncate(im.fs, ino, size));
			if (size > f->size)
				memset(f->data + f->size, 0, size - f->size);
			f->size = size;
		} else if (op < 7 && f) {   /* rename, maybe over another */
			int tdir = (int)rnd(4);
			const char *tname = mnames[rnd(sizeof(mnames) / sizeof(mnames[0]))];
			struct mfile *t = mfind(m, tdir, tname);
			uint64_t fd, td;

			CHECK_OK(walk(im.fs, mdirs[dir], &fd));
			CHECK_OK(walk(im.fs, mdirs[tdir], &td));
			CHECK_OK(walk(im.fs, path, &ino));
			CHECK_OK(fat_ops.rename(im.fs, fd, name, strlen(name), td, tname, strlen(tname)));
			if (t && t != f)
				t->used = false;
			f->dir = tdir;
			f->name = tname;
			mpath(path2, sizeof(path2), tdir, tname);
			CHECK_OK(walk(im.fs, path2, &d));
			CHECK_EQ(d, ino);   /* the number moved with it */
		} else if (op < 8 && f) {   /* unlink */
			CHECK_OK(walk(im.fs, mdirs[dir], &d));
			CHECK_OK(fat_ops.unlink(im.fs, d, name, strlen(name)));
			f->used = false;
		} else if (op < 9 && f) {   /* read back */
			CHECK_OK(walk(im.fs, path, &ino));
			CHECK_OK(fat_ops.read(im.fs, ino, 0, rbuf, sizeof(rbuf), &done));
			CHECK_EQ(done, f->size);
			CHECK(!memcmp(rbuf, f->data, f->size));
		} else if (op == 9 && rnd(8) == 0) {   /* remount */
			umnt(&im);
			mnt(&im, 0);
		} else if (!f) {
			CHECK_ST(walk(im.fs, path, &ino), FS_E_NOENT);
		}
	}
	for (int i = 0; i < MODEL_FILES; i++) {
		if (!m[i].used)
			continue;
		mpath(path, sizeof(path), m[i].dir, m[i].name);
		same(im.fs, path, m[i].data, m[i].size);
	}
	for (int dir = 0; dir < 4; dir++) {
		unsigned want = dir == 0 ? 2 : dir == 1 ? 1 : 0;
		CHECK_OK(walk(im.fs, mdirs[dir], &d));
		for (int i = 0; i < MODEL_FILES; i++)
			want += m[i].used && m[i].dir == dir;
		CHECK_EQ(count_dir(im.fs, d), want);
	}
	umnt(&im);
	fsck_clean(&im);
	for (int i = 0; i < MODEL_FILES; i++) {
		if (!m[i].used)
			continue;
		mpath(path, sizeof(path), m[i].dir, m[i].name);
		msame(&im, path, m[i].data, m[i].size);
	}
	free(m);
	img_done(&im);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
