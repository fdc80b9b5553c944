/*
 * libFuzzer harness for lib/fat (`make fuzz/fat`; clang -fsanitize=fuzzer,
 * address,undefined). The input is the start of a disk image (the seeds:
 * images made by mkfs.vfat and mtools, tests/fuzz/fat_seeds.sh); the
 * device is 4 MiB of 512-byte blocks that reads zeros beyond the input.
 * For every input:
 *
 * - mount it read-write (most inputs are refused: a refusal must be
 *   FS_E_CORRUPT or FS_E_UNSUPPORTED with a log line);
 * - walk the tree (depth 4, 64 entries a directory): readdir, lookup of
 *   each name and of "..", stat, read each file whole and in pieces;
 * - change it: create a file and a directory (long and short names),
 *   write past a cluster, rename, truncate, unlink, rmdir, setattr;
 * - sync and unmount.
 *
 * Every error is one of fs.h's; every FS_E_CORRUPT comes with a log line;
 * the back end never asks the device for a block beyond it (the device
 * aborts); names from readdir are NUL-terminated, of the stated length,
 * without '/'; lookup of a listed name finds the same inode. A failed
 * check aborts, which libFuzzer reports as a crash; hangs are caught by
 * -timeout.
 */
#include <fat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)                                                                      \
	do {                                                                            \
		if (!(c)) {                                                             \
			fprintf(stderr, "fat_fuzz: %s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #c);                                          \
			abort();                                                        \
		}                                                                       \
	} while (0)

#define DEV_BYTES (4u << 20)
#define BLOCK 512u

static uint8_t *disk;
static unsigned logged;

static fs_err_t d_read(void *ctx, uint64_t block, uint32_t n, void *buf)
{
	(void)ctx;
	REQUIRE(n && block < DEV_BYTES / BLOCK && n <= DEV_BYTES / BLOCK - block);
	memcpy(buf, disk + block * BLOCK, (size_t)n * BLOCK);
	return FS_OK;
}

static fs_err_t d_write(void *ctx, uint64_t block, uint32_t n, const void *buf)
{
	(void)ctx;
	REQUIRE(n && block < DEV_BYTES / BLOCK && n <= DEV_BYTES / BLOCK - block);
	memcpy(disk + block * BLOCK, buf, (size_t)n * BLOCK);
	return FS_OK;
}

static fs_err_t d_sync(void *ctx)
{
	(void)ctx;
	return FS_OK;
}

static void f_log(void *arg, const char *msg)
{
	(void)arg;
	REQUIRE(msg && strlen(msg) < 256);
	logged++;
}

static int64_t f_now(void *arg)
{
	(void)arg;
	return 1700000000;
}

static const struct fs_env env = { f_log, f_now, NULL };

/* An error fs.h knows; FS_E_CORRUPT only with a log line. */
static fs_err_t seen(fs_err_t e, unsigned before)
{
	REQUIRE(e >= FS_OK && e <= FS_E_PERM);
	if (e == FS_E_CORRUPT)
		REQUIRE(logged > before);
	return e;
}
#define CALL(x) ({ unsigned before_ = logged; seen((x), before_); })

static uint8_t buf[70000];

static void read_file(void *fs, uint64_t ino, uint64_t size)
{
	size_t done, total = 0;

	if (CALL(fat_ops.read(fs, ino, 0, buf, sizeof(buf), &done)))
		return;
	REQUIRE(done <= sizeof(buf) && done == (size < sizeof(buf) ? size : sizeof(buf)));
	for (uint64_t off = 0; off < 3 * 4096 && off < size; off += 1000) {
		if (CALL(fat_ops.read(fs, ino, off, buf, 1000, &done)))
			return;
		REQUIRE(done <= 1000);
		total += done;
	}
	(void)total;
}

static void walk(void *fs, uint64_t dir, int depth)
{
	struct fs_dirent ent;
	struct fs_stat st;
	uint64_t cookie = 0, ino, prev = 0;
	bool end;

	for (int n = 0; n < 64; n++) {
		if (CALL(fat_ops.readdir(fs, dir, &cookie, &ent, &end)) || end)
			break;
		REQUIRE(cookie > prev);
		prev = cookie;
		REQUIRE(ent.len >= 1 && ent.len <= FS_NAME_MAX && strlen(ent.name) == ent.len);
		REQUIRE(!memchr(ent.name, '/', ent.len));
		if (!CALL(fat_ops.lookup(fs, dir, ent.name, ent.len, &ino)) && ino != ent.ino) {
			/* two entries of the same name (a damaged directory): the
			 * lookup finds the first */
		}
		if (CALL(fat_ops.stat(fs, ent.ino, &st)))
			continue;
		REQUIRE(st.ino == ent.ino);
		if ((st.mode & FS_IFMT) == FS_IFDIR) {
			REQUIRE(ent.type == FS_IFDIR);
			CALL(fat_ops.lookup(fs, ent.ino, "..", 2, &ino));
			if (depth < 4)
				walk(fs, ent.ino, depth + 1);
		} else {
			REQUIRE((st.mode & FS_IFMT) == FS_IFREG && ent.type == FS_IFREG);
			read_file(fs, ent.ino, st.size);
		}
	}
}

static void change(void *fs)
{
	static const char *names[] = { "new file with a long name.txt", "SHORT.TXT", "dir",
				       "Ünïcødé", "x" };
	uint64_t f = 0, d = 0, ino;
	size_t done;
	struct fs_attr a = { .mask = FS_ATTR_MODE | FS_ATTR_MTIME, .mode = 0444, .mtime = 1 };
	struct fs_statfs sf;

	memset(buf, 0x5a, 9000);
	if (!CALL(fat_ops.create(fs, 1, names[0], strlen(names[0]), FS_IFREG | 0644, &f))) {
		CALL(fat_ops.write(fs, f, 0, buf, 9000, &done));
		CALL(fat_ops.write(fs, f, 20000, buf, 100, &done));
		CALL(fat_ops.read(fs, f, 0, buf, 30000, &done));
		CALL(fat_ops.truncate(fs, f, 3000));
		CALL(fat_ops.setattr(fs, f, &a));
	}
	if (!CALL(fat_ops.create(fs, 1, names[2], strlen(names[2]), FS_IFDIR | 0755, &d))) {
		CALL(fat_ops.create(fs, d, names[3], strlen(names[3]), FS_IFREG | 0644, &ino));
		CALL(fat_ops.rename(fs, 1, names[0], strlen(names[0]), d, names[1], strlen(names[1])));
		CALL(fat_ops.rename(fs, d, names[1], strlen(names[1]), d, names[3], strlen(names[3])));
		CALL(fat_ops.rename(fs, 1, names[2], strlen(names[2]), d, names[4], 1));
		walk(fs, d, 3);
		CALL(fat_ops.unlink(fs, d, names[3], strlen(names[3])));
		CALL(fat_ops.unlink(fs, 1, names[2], strlen(names[2])));
	}
	/* whatever the image held at the top: renamed, cut, removed */
	{
		struct fs_dirent ent;
		uint64_t cookie = 0;
		bool end;

		if (!CALL(fat_ops.readdir(fs, 1, &cookie, &ent, &end)) && !end) {
			if (ent.type == FS_IFREG)
				CALL(fat_ops.truncate(fs, ent.ino, 1));
			CALL(fat_ops.rename(fs, 1, ent.name, ent.len, 1, "renamed", 7));
			CALL(fat_ops.unlink(fs, 1, "renamed", 7));
		}
	}
	CALL(fat_ops.statfs(fs, &sf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blk_dev dev = { BLOCK, DEV_BYTES / BLOCK, true, NULL, d_read, d_write, d_sync };
	unsigned before;
	void *fs;
	fs_err_t e;

	if (!disk)
		disk = malloc(DEV_BYTES);
	REQUIRE(disk != NULL);
	if (size > DEV_BYTES)
		size = DEV_BYTES;
	memcpy(disk, data, size);
	memset(disk + size, 0, DEV_BYTES - size);
	logged = 0;
	before = logged;
	e = fat_mount(&dev, 0, &env, &fs);
	if (e) {
		REQUIRE(e == FS_E_CORRUPT || e == FS_E_UNSUPPORTED || e == FS_E_NOMEM);
		REQUIRE(logged > before || e == FS_E_NOMEM);
		return 0;
	}
	walk(fs, 1, 0);
	change(fs);
	CALL(fat_ops.sync(fs));
	CALL(fat_ops.unmount(fs));
	return 0;
}
