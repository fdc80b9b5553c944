// sources: servers/ram_fs/backend/ram_fs.c lib/fs/fs.c
// cflags: -Iservers/ram_fs/backend/include -Ilib/fs/include
/*
 * Host unit tests of ram_fs's back end (servers/ram_fs/backend): every
 * fs_ops operation, names refused, holes, truncation, hard links, rename
 * rules (replace, loops), readdir while entries go, stale inode numbers,
 * and the quota: exhausted gives FS_E_NOSPC, freed space comes back.
 *
 * Area: RAMFS.
 */
#include <harness.h>
#include <ram_fs.h>

#define Q (1u << 20)

static void *fs;
static uint64_t root;

static void mount(uint64_t quota)
{
	CHECK_EQ(ram_fs_mount(&fs, quota, 0, NULL), FS_OK);
	CHECK_EQ(ram_fs_ops.root(fs, &root), FS_OK);
}

static uint64_t mkfile(uint64_t dir, const char *name)
{
	uint64_t ino;

	CHECK_EQ(ram_fs_ops.create(fs, dir, name, strlen(name), FS_IFREG | 0644, &ino), FS_OK);
	return ino;
}

TEST(RAMFS_0001, "create, write, read back, stat")
{
	uint64_t ino, l;
	char buf[32];
	size_t n;
	struct fs_stat st;

	mount(Q);
	ino = mkfile(root, "a");
	CHECK_EQ(ram_fs_ops.write(fs, ino, 0, "hello world", 11, &n), FS_OK);
	CHECK_EQ(n, 11u);
	CHECK_EQ(ram_fs_ops.lookup(fs, root, "a", 1, &l), FS_OK);
	CHECK_EQ(l, ino);
	CHECK_EQ(ram_fs_ops.read(fs, ino, 6, buf, sizeof(buf), &n), FS_OK);
	CHECK_EQ(n, 5u);
	CHECK(!memcmp(buf, "world", 5));
	CHECK_EQ(ram_fs_ops.stat(fs, ino, &st), FS_OK);
	CHECK_EQ(st.size, 11u);
	CHECK_EQ(st.mode, FS_IFREG | 0644);
	CHECK_EQ(ram_fs_ops.read(fs, ino, 11, buf, 4, &n), FS_OK);
	CHECK_EQ(n, 0u);
	CHECK_EQ(ram_fs_ops.unmount(fs), FS_OK);
}

TEST(RAMFS_0002, "names: empty, too long, with '/', '.' and '..' refused; duplicates EXIST")
{
	char longname[300];
	uint64_t ino;

	mount(Q);
	memset(longname, 'x', sizeof(longname));
	CHECK_EQ(ram_fs_ops.create(fs, root, "", 0, FS_IFREG, &ino), FS_E_INVAL);
	CHECK_EQ(ram_fs_ops.create(fs, root, longname, 256, FS_IFREG, &ino), FS_E_NAMETOOLONG);
	CHECK_EQ(ram_fs_ops.create(fs, root, longname, 255, FS_IFREG, &ino), FS_OK);
	CHECK_EQ(ram_fs_ops.create(fs, root, "a/b", 3, FS_IFREG, &ino), FS_E_INVAL);
	CHECK_EQ(ram_fs_ops.create(fs, root, ".", 1, FS_IFREG, &ino), FS_E_INVAL);
	CHECK_EQ(ram_fs_ops.create(fs, root, "..", 2, FS_IFDIR, &ino), FS_E_INVAL);
	CHECK_EQ(ram_fs_ops.create(fs, root, "x", 1, FS_IFLNK, &ino), FS_E_INVAL);
	mkfile(root, "d");
	CHECK_EQ(ram_fs_ops.create(fs, root, "d", 1, FS_IFDIR, &ino), FS_E_EXIST);
	CHECK_EQ(ram_fs_ops.create(fs, ino, "e", 1, FS_IFREG, &ino), FS_E_NOTDIR);
	ram_fs_ops.unmount(fs);
}

TEST(RAMFS_0003, "holes read as zeros, truncate shrinks and grows with zeros")
{
	uint64_t ino;
	uint8_t buf[9000];
	size_t n;
	struct fs_stat st;

	mount(Q);
	ino = mkfile(root, "sparse");
	CHECK_EQ(ram_fs_ops.write(fs, ino, 100000, "Z", 1, &n), FS_OK);
	CHECK_EQ(ram_fs_ops.stat(fs, ino, &st), FS_OK);
	CHECK_EQ(st.size, 100001u);
	CHECK_EQ(st.blocks, 8u);   /* one page */
	CHECK_EQ(ram_fs_ops.read(fs, ino, 91001, buf, sizeof(buf), &n), FS_OK);
	CHECK_EQ(n, 9000u);
	for (size_t i = 0; i < 8999; i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(buf[8999], 'Z');
	memset(buf, 0xab, sizeof(buf));
	CHECK_EQ(ram_fs_ops.write(fs, ino, 0, buf, 5000, &n), FS_OK);
	CHECK_EQ(ram_fs_ops.truncate(fs, ino, 4500), FS_OK);
	CHECK_EQ(ram_fs_ops.truncate(fs, ino, 6000), FS_OK);
	CHECK_EQ(ram_fs_ops.read(fs, ino, 4400, buf, 1600, &n), FS_OK);
	CHECK_EQ(n, 1600u);
	CHECK_EQ(buf[99], 0xab);
	for (size_t i = 100; i < 1600; i++)
		CHECK_EQ(buf[i], 0);
	ram_fs_ops.unmount(fs);
}

TEST(RAMFS_0004, "directories: mkdir, readdir, unlink of a non-empty one refused, '..' looks up the parent")
{
	uint64_t d, x, cookie = 0;
	struct fs_dirent ent;
	bool end;
	int count = 0;

	mount(Q);
	CHECK_EQ(ram_fs_ops.create(fs, root, "dir", 3, FS_IFDIR | 0755, &d), FS_OK);
	mkfile(d, "one");
	mkfile(d, "two");
	mkfile(d, "three");
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "dir", 3), FS_E_NOTEMPTY);
	CHECK_EQ(ram_fs_ops.lookup(fs, d, "..", 2, &x), FS_OK);
	CHECK_EQ(x, root);
	/* removing the entry just read does not make the reader skip one */
	for (;;) {
		CHECK_EQ(ram_fs_ops.readdir(fs, d, &cookie, &ent, &end), FS_OK);
		if (end)
			break;
		count++;
		CHECK_EQ(ent.type, FS_IFREG);
		CHECK_EQ(ram_fs_ops.unlink(fs, d, ent.name, ent.len), FS_OK);
	}
	CHECK_EQ(count, 3);
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "dir", 3), FS_OK);
	CHECK_EQ(ram_fs_ops.stat(fs, d, &(struct fs_stat){ 0 }), FS_E_STALE);
	ram_fs_ops.unmount(fs);
}

TEST(RAMFS_0005, "rename: same directory, across, replacing a file, no directory below itself")
{
	uint64_t a, b, f1, f2, x;
	size_t n;
	char buf[4];

	mount(Q);
	CHECK_EQ(ram_fs_ops.create(fs, root, "a", 1, FS_IFDIR | 0755, &a), FS_OK);
	CHECK_EQ(ram_fs_ops.create(fs, a, "b", 1, FS_IFDIR | 0755, &b), FS_OK);
	f1 = mkfile(root, "f1");
	f2 = mkfile(root, "f2");
	CHECK_EQ(ram_fs_ops.write(fs, f1, 0, "one", 3, &n), FS_OK);
	CHECK_EQ(ram_fs_ops.rename(fs, root, "f1", 2, root, "g1", 2), FS_OK);
	CHECK_EQ(ram_fs_ops.lookup(fs, root, "f1", 2, &x), FS_E_NOENT);
	CHECK_EQ(ram_fs_ops.rename(fs, root, "g1", 2, b, "f2", 2), FS_OK);
	CHECK_EQ(ram_fs_ops.rename(fs, b, "f2", 2, root, "f2", 2), FS_OK);  /* replaces f2 */
	CHECK_EQ(ram_fs_ops.stat(fs, f2, &(struct fs_stat){ 0 }), FS_E_STALE);
	CHECK_EQ(ram_fs_ops.lookup(fs, root, "f2", 2, &x), FS_OK);
	CHECK_EQ(x, f1);
	CHECK_EQ(ram_fs_ops.read(fs, x, 0, buf, 3, &n), FS_OK);
	CHECK(!memcmp(buf, "one", 3));
	CHECK_EQ(ram_fs_ops.rename(fs, root, "a", 1, b, "a", 1), FS_E_LOOP);
	CHECK_EQ(ram_fs_ops.rename(fs, root, "a", 1, a, "a", 1), FS_E_LOOP);
	CHECK_EQ(ram_fs_ops.rename(fs, root, "f2", 2, root, "a", 1), FS_E_ISDIR);
	CHECK_EQ(ram_fs_ops.rename(fs, a, "b", 1, root, "b", 1), FS_OK);
	CHECK_EQ(ram_fs_ops.lookup(fs, b, "..", 2, &x), FS_OK);
	CHECK_EQ(x, root);
	ram_fs_ops.unmount(fs);
}

TEST(RAMFS_0006, "symlinks and hard links")
{
	uint64_t f, l, x;
	char buf[16];
	size_t n;
	struct fs_stat st;

	mount(Q);
	f = mkfile(root, "file");
	CHECK_EQ(ram_fs_ops.symlink(fs, root, "ln", 2, "file", 4, &l), FS_OK);
	CHECK_EQ(ram_fs_ops.readlink(fs, l, buf, sizeof(buf), &n), FS_OK);
	CHECK_EQ(n, 4u);
	CHECK(!memcmp(buf, "file", 4));
	CHECK_EQ(ram_fs_ops.stat(fs, l, &st), FS_OK);
	CHECK_EQ(st.mode & FS_IFMT, FS_IFLNK);
	CHECK_EQ(ram_fs_ops.readlink(fs, f, buf, sizeof(buf), &n), FS_E_INVAL);
	CHECK_EQ(ram_fs_ops.link(fs, root, "hard", 4, f), FS_OK);
	CHECK_EQ(ram_fs_ops.stat(fs, f, &st), FS_OK);
	CHECK_EQ(st.nlink, 2u);
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "file", 4), FS_OK);
	CHECK_EQ(ram_fs_ops.lookup(fs, root, "hard", 4, &x), FS_OK);
	CHECK_EQ(x, f);
	CHECK_EQ(ram_fs_ops.stat(fs, f, &st), FS_OK);
	CHECK_EQ(st.nlink, 1u);
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "hard", 4), FS_OK);
	CHECK_EQ(ram_fs_ops.stat(fs, f, &st), FS_E_STALE);
	ram_fs_ops.unmount(fs);
}

TEST(RAMFS_0007, "the quota: a full file system gives NOSPC, short writes, space comes back")
{
	uint64_t ino, ino2, used0;
	static uint8_t buf[64 * 1024];
	size_t n, total = 0;
	struct fs_statfs s;

	mount(64 * 1024);
	mkfile(root, "tmp");    /* the root's entry table stays once grown */
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "tmp", 3), FS_OK);
	used0 = ram_fs_used(fs);
	ino = mkfile(root, "big");
	memset(buf, 1, sizeof(buf));
	CHECK_EQ(ram_fs_ops.write(fs, ino, 0, buf, sizeof(buf), &n), FS_OK);
	CHECK(n > 0 && n < sizeof(buf));
	CHECK_EQ(n % RAM_FS_PAGE, 0u);
	total = n;
	CHECK_EQ(ram_fs_ops.write(fs, ino, total, buf, RAM_FS_PAGE, &n), FS_E_NOSPC);
	CHECK_EQ(n, 0u);
	CHECK_EQ(ram_fs_ops.statfs(fs, &s), FS_OK);
	CHECK_EQ(s.blocks_free, 0u);
	CHECK(ram_fs_used(fs) <= 64 * 1024);
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "big", 3), FS_OK);
	CHECK_EQ(ram_fs_used(fs), used0);
	ino2 = mkfile(root, "again");
	CHECK_EQ(ram_fs_ops.write(fs, ino2, 0, buf, RAM_FS_PAGE * 4, &n), FS_OK);
	CHECK_EQ(n, RAM_FS_PAGE * 4u);
	ram_fs_ops.unmount(fs);
}

TEST(RAMFS_0008, "read-only mount: every change is ROFS; bad mount arguments refused")
{
	uint64_t ino;
	size_t n;

	CHECK_EQ(ram_fs_mount(&fs, 100, 0, NULL), FS_E_INVAL);
	CHECK_EQ(ram_fs_mount(&fs, Q, 0x80, NULL), FS_E_INVAL);
	CHECK_EQ(ram_fs_mount(&fs, Q, FS_MOUNT_READONLY, NULL), FS_OK);
	CHECK_EQ(ram_fs_ops.root(fs, &root), FS_OK);
	CHECK_EQ(ram_fs_ops.create(fs, root, "a", 1, FS_IFREG, &ino), FS_E_ROFS);
	CHECK_EQ(ram_fs_ops.write(fs, root, 0, "x", 1, &n), FS_E_ROFS);
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "a", 1), FS_E_ROFS);
	ram_fs_ops.unmount(fs);
}

TEST(RAMFS_0009, "many files: the node table grows, inode numbers are never reused")
{
	uint64_t first, again;
	char name[16];

	mount(4 * Q);
	first = mkfile(root, "x");
	CHECK_EQ(ram_fs_ops.unlink(fs, root, "x", 1), FS_OK);
	again = mkfile(root, "x");
	CHECK(first != again);
	for (int i = 0; i < 2000; i++) {
		int len = snprintf(name, sizeof(name), "f%d", i);
		uint64_t ino;

		CHECK_EQ(ram_fs_ops.create(fs, root, name, (size_t)len, FS_IFREG | 0600, &ino), FS_OK);
	}
	CHECK_EQ(ram_fs_ops.lookup(fs, root, "f1999", 5, &again), FS_OK);
	CHECK_EQ(ram_fs_ops.stat(fs, first, &(struct fs_stat){ 0 }), FS_E_STALE);
	ram_fs_ops.unmount(fs);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
