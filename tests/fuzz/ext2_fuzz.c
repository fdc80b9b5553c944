/*
 * libFuzzer harness for lib/ext2 (`make fuzz/ext2`; clang with
 * -fsanitize=fuzzer,address,undefined). The input is a disk image (seeds:
 * tests/fuzz/ext2_seeds.sh) on a device in memory of 512-byte blocks. For
 * every input:
 *
 * - mount it writable (and, if that fails, nothing more);
 * - walk the tree from the root (bounded: depth, entries), stat every
 *   inode, read files and symlinks, statfs;
 * - change it: create a file and write to it, a directory, fast and slow
 *   symlinks, a hard link, rename, truncate, unlink what the walk found
 *   first in the root and in a subdirectory, sync, unmount;
 * - mount the result again and walk it once more.
 *
 * Every call must return (a hang is a libFuzzer timeout), with FS_OK or a
 * defined error, never a request outside the device; statfs's counts stay
 * within the totals; a new file whose writes all succeeded reads back what
 * was written while still mounted. A failed check aborts, which libFuzzer
 * reports as a crash.
 */
#include <ext2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)                                                                         \
	do {                                                                               \
		if (!(c)) {                                                                \
			fprintf(stderr, "ext2_fuzz: %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                           \
		}                                                                          \
	} while (0)

#define MAX_DEPTH 6
#define MAX_ENTRIES 300
#define READ_MAX (64 * 1024)
#define DISK_MAX (1024 * 1024)

struct mdev {
	struct blk_dev dev;
	uint8_t *disk;
};

static fs_err_t m_read(void *ctx, uint64_t block, uint32_t n, void *buf)
{
	struct mdev *m = ctx;

	REQUIRE(n && block < m->dev.count && n <= m->dev.count - block);
	memcpy(buf, m->disk + block * 512, (size_t)n * 512);
	return FS_OK;
}

static fs_err_t m_write(void *ctx, uint64_t block, uint32_t n, const void *buf)
{
	struct mdev *m = ctx;

	REQUIRE(n && block < m->dev.count && n <= m->dev.count - block);
	memcpy(m->disk + block * 512, buf, (size_t)n * 512);
	return FS_OK;
}

static fs_err_t m_sync(void *ctx)
{
	(void)ctx;
	return FS_OK;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	REQUIRE(msg && strlen(msg) < 256);
}

static int64_t clock_now(void *arg)
{
	(void)arg;
	return 1700000000;
}

static const struct fs_env env = { quiet, clock_now, NULL };

static bool known(fs_err_t e)
{
	return e >= FS_OK && e <= FS_E_PERM;
}

struct walk {
	void *fs;
	unsigned entries;
	uint8_t *buf;
	uint64_t first_file_dir, sub_dir;   /* what the change step removes */
	char first_file[FS_NAME_MAX + 1], sub_name[FS_NAME_MAX + 1];
};

static void visit(struct walk *w, uint64_t dir, unsigned depth)
{
	uint64_t cookie = 0;
	struct fs_dirent ent;
	bool end = false;

	while (w->entries < MAX_ENTRIES) {
		uint64_t before = cookie;
		fs_err_t e = ext2_ops.readdir(w->fs, dir, &cookie, &ent, &end);
		REQUIRE(known(e));
		if (e || end)
			return;
		REQUIRE(cookie > before);
		REQUIRE(ent.len >= 1 && ent.len <= FS_NAME_MAX && strlen(ent.name) == ent.len);
		w->entries++;
		uint64_t ino;
		e = ext2_ops.lookup(w->fs, dir, ent.name, ent.len, &ino);
		REQUIRE(known(e));
		struct fs_stat st;
		e = ext2_ops.stat(w->fs, ent.ino, &st);
		REQUIRE(known(e));
		if (e)
			continue;
		size_t done;
		switch (st.mode & FS_IFMT) {
		case FS_IFREG:
			e = ext2_ops.read(w->fs, ent.ino, 0, w->buf, READ_MAX, &done);
			REQUIRE(known(e) && done <= READ_MAX);
			if (!e)
				REQUIRE(done == (st.size < READ_MAX ? st.size : READ_MAX));
			if (!w->first_file[0]) {
				memcpy(w->first_file, ent.name, ent.len + 1);
				w->first_file_dir = dir;
			}
			break;
		case FS_IFLNK:
			e = ext2_ops.readlink(w->fs, ent.ino, (char *)w->buf, 4096, &done);
			REQUIRE(known(e) && done <= 4096);
			break;
		case FS_IFDIR:
			if (!w->sub_name[0] && depth == 0) {
				memcpy(w->sub_name, ent.name, ent.len + 1);
				w->sub_dir = dir;
			}
			if (depth < MAX_DEPTH)
				visit(w, ent.ino, depth + 1);
			break;
		}
	}
}

static void walk_all(void *fs, struct walk *w)
{
	uint64_t root;
	struct fs_statfs s;

	w->fs = fs;
	REQUIRE(ext2_ops.root(fs, &root) == FS_OK);
	visit(w, root, 0);
	REQUIRE(ext2_ops.statfs(fs, &s) == FS_OK);
	REQUIRE(s.blocks_free <= s.blocks && s.files_free <= s.files);
}

/* Changes the file system; every call must end in a defined status. */
static void change(void *fs, struct walk *w)
{
	static const char target[] = "/a/target/that/is/long/enough/to/need/a/block/of/its/own/not/fit/in/the/inode";
	uint64_t root, f, d, l;
	fs_err_t e;
	size_t done;

	REQUIRE(ext2_ops.root(fs, &root) == FS_OK);
	for (size_t i = 0; i < 5000; i++)
		w->buf[i] = (uint8_t)(i * 7 + 3);
	e = ext2_ops.create(fs, root, "fz", 2, FS_IFREG | 0644, &f);
	REQUIRE(known(e));
	if (!e) {
		fs_err_t e1 = ext2_ops.write(fs, f, 0, w->buf, 5000, &done);
		REQUIRE(known(e1));
		fs_err_t e2 = ext2_ops.write(fs, f, 20000, w->buf, 100, &done);
		REQUIRE(known(e2));
		if (!e1 && !e2) {
			uint8_t back[5000];
			fs_err_t e3 = ext2_ops.read(fs, f, 0, back, sizeof(back), &done);
			REQUIRE(known(e3));
			if (!e3)
				REQUIRE(done == sizeof(back) && !memcmp(back, w->buf, sizeof(back)));
		}
		REQUIRE(known(ext2_ops.truncate(fs, f, 3000)));
		REQUIRE(known(ext2_ops.link(fs, root, "fz-link", 7, f)));
	}
	e = ext2_ops.create(fs, root, "dz", 2, FS_IFDIR | 0755, &d);
	REQUIRE(known(e));
	REQUIRE(known(ext2_ops.symlink(fs, root, "sfast", 5, "x/y", 3, &l)));
	REQUIRE(known(ext2_ops.symlink(fs, root, "sslow", 5, target, sizeof(target) - 1, &l)));
	if (!e) {
		REQUIRE(known(ext2_ops.rename(fs, root, "fz", 2, d, "moved", 5)));
		REQUIRE(known(ext2_ops.rename(fs, root, "sfast", 5, d, "sfast", 5)));
	}
	if (w->sub_name[0]) {
		REQUIRE(known(ext2_ops.rename(fs, w->sub_dir, w->sub_name, strlen(w->sub_name), root, "renamed", 7)));
		REQUIRE(known(ext2_ops.unlink(fs, root, "renamed", 7)));
	}
	if (w->first_file[0]) {
		REQUIRE(known(ext2_ops.truncate(fs, root, 1)));
		REQUIRE(known(ext2_ops.unlink(fs, w->first_file_dir, w->first_file, strlen(w->first_file))));
	}
	struct fs_attr a = { FS_ATTR_MODE | FS_ATTR_MTIME, 0600, 0, 0, 0, 1 };
	REQUIRE(known(ext2_ops.setattr(fs, root, &a)));
	REQUIRE(known(ext2_ops.sync(fs)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdev m;
	struct walk w;
	void *fs;

	/* static buffers: a fresh mapping of this size for every input would
	 * cost more than the run (the device checks every request's range) */
	static uint8_t disk[DISK_MAX], buf[READ_MAX];

	if (size < 2048 || size > DISK_MAX)
		return 0;
	m.disk = disk;
	memcpy(m.disk, data, size);
	m.dev = (struct blk_dev){ 512, size / 512, true, &m, m_read, m_write, m_sync };

	fs_err_t e = ext2_mount(&m.dev, 0, &env, &fs);
	REQUIRE(known(e));
	if (!e) {
		memset(&w, 0, sizeof(w));
		w.buf = buf;
		walk_all(fs, &w);
		change(fs, &w);
		REQUIRE(known(ext2_ops.unmount(fs)));
		if (ext2_mount(&m.dev, FS_MOUNT_READONLY, &env, &fs) == FS_OK) {
			memset(&w, 0, sizeof(w));
			w.buf = buf;
			walk_all(fs, &w);
			REQUIRE(ext2_ops.unmount(fs) == FS_OK);
		}
	}
	return 0;
}
