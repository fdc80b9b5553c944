/*
 * fs_ram_test: File_system sessions at ram_fs (docs/storage.md, "File
 * systems"). Started by core as init; ram_fs (and fs_tool) are its
 * children (testbed.h). The test's own sessions reach ram_fs with the
 * labels given here ("rw", "ro", "jail", ...), matched by the policies of
 * CONFIG; a child's are prefixed with its name.
 *
 * Every operation of the session through the client library, the
 * policies (read-only sessions, roots that ".." and links never leave),
 * watches seen from another session, the quota, and a hostile client
 * (bad handles, descriptors and opcodes, a broken stream) beside one that
 * keeps working.
 */
#include <argil/kernel.h>
#include <argil/rom.h>
#include <fs_session.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define FS_PRIO 200
#define STREAM (64 * KB)

static const char *config =
	"<config quota=\"1M\" verbose=\"yes\">\n"
	"  <policy label=\"rw\" root=\"/\" writable=\"yes\"/>\n"
	"  <policy label=\"rw2\" writable=\"yes\"/>\n"
	"  <policy label=\"ro\" root=\"/\" writable=\"no\"/>\n"
	"  <policy label=\"jail\" root=\"/jail\" writable=\"yes\"/>\n"
	"  <policy label=\"missing\" root=\"/nothere\" writable=\"yes\"/>\n"
	"  <policy label=\"hostile\" root=\"/hostile\" writable=\"yes\"/>\n"
	"  <policy label_prefix=\"fs_tool\" root=\"/tool\" writable=\"yes\"/>\n"
	"</config>\n";

static struct tb_child *ram_fs;
static cptr_t ntfn;
static cptr_t bits[62];

struct conn {
	struct tb_own o;
	struct fs_conn c;
};

static struct conn rw;   /* persistent: the neighbour that keeps working */

static rpc_status_t conn_open(struct conn *k, const char *label)
{
	rpc_status_t st = tb_open(&k->o, ram_fs, FS_SERVICE, label, "size=65536",
				  FS_SESSION_RAM(STREAM), FS_SESSION_CAPS);

	if (st != RPC_OK)
		return st;
	CHECK_EQ(fs_conn_init(&k->c, k->o.cap), FS_OK);
	return RPC_OK;
}

static void conn_close(struct conn *k)
{
	fs_disconnect(&k->c);
	CHECK_OK(tb_close(&k->o));
}

static void setup(void)
{
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&ram_fs, "ram_fs", "ram_fs", 4 * MB, 300, FS_PRIO, config));
	CHECK(tb_wait_announce(ram_fs, FS_SERVICE));
	CHECK_OK(conn_open(&rw, "rw"));
}

/* ---- helpers on a connection ---- */

static void put_file(struct fs_conn *c, const char *path, const char *text)
{
	unsigned h;
	size_t n;

	CHECK_EQ(fs_open(c, path, FS_OPEN_CREATE | FS_OPEN_TRUNC, 0644, &h), FS_OK);
	CHECK_EQ(fs_write(c, h, 0, text, strlen(text), &n), FS_OK);
	CHECK_EQ(n, strlen(text));
	CHECK_EQ(fs_close(c, h), FS_OK);
}

/* The file's content (NUL-terminated) into buf; its length. */
static size_t get_file(struct fs_conn *c, const char *path, char *buf, size_t size)
{
	unsigned h;
	size_t n;

	CHECK_EQ(fs_open(c, path, 0, 0, &h), FS_OK);
	CHECK_EQ(fs_read(c, h, 0, buf, size - 1, &n), FS_OK);
	CHECK_EQ(fs_close(c, h), FS_OK);
	buf[n] = 0;
	return n;
}

/* The names in a directory, sorted by the server's order, joined by ','. */
static void list(struct fs_conn *c, const char *path, char *out, size_t size)
{
	struct fs_dirent e;
	unsigned h;
	bool end;
	size_t at = 0;

	out[0] = 0;
	CHECK_EQ(fs_open(c, path, 0, 0, &h), FS_OK);
	for (uint64_t i = 0;; i++) {
		CHECK_EQ(fs_readdir(c, h, i, &e, &end), FS_OK);
		if (end)
			break;
		CHECK(at + e.len + 2 < size);
		if (at)
			out[at++] = ',';
		memcpy(out + at, e.name, e.len + 1);
		at += e.len;
	}
	CHECK_EQ(fs_close(c, h), FS_OK);
}

/* ---- operations ---- */

TEST(FSR_0001, "open creates, EXCL refuses an existing file, TRUNC empties; write, read, stat agree")
{
	struct fs_conn *c = &rw.c;
	static char big[200000], back[200000];
	struct fs_stat st;
	unsigned h, h2;
	size_t n;

	CHECK_EQ(fs_open(c, "/f1", 0, 0, &h), FS_E_NOENT);
	CHECK_EQ(fs_open(c, "/f1", FS_OPEN_CREATE | FS_OPEN_EXCL, 0640, &h), FS_OK);
	CHECK_EQ(fs_open(c, "/f1", FS_OPEN_CREATE | FS_OPEN_EXCL, 0640, &h2), FS_E_EXIST);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 251);
	/* more than the stream holds: the library splits it */
	CHECK_EQ(fs_write(c, h, 0, big, sizeof(big), &n), FS_OK);
	CHECK_EQ(n, sizeof(big));
	CHECK_EQ(fs_read(c, h, 0, back, sizeof(back), &n), FS_OK);
	CHECK_EQ(n, sizeof(big));
	CHECK(!memcmp(big, back, sizeof(big)));
	CHECK_EQ(fs_read(c, h, sizeof(big) - 10, back, 100, &n), FS_OK);
	CHECK_EQ(n, 10u);
	CHECK_EQ(fs_fstat(c, h, &st), FS_OK);
	CHECK_EQ(st.size, sizeof(big));
	CHECK_EQ(st.mode, FS_IFREG | 0640);
	CHECK_EQ(fs_close(c, h), FS_OK);
	CHECK_EQ(fs_stat(c, "/f1", 0, &st), FS_OK);
	CHECK_EQ(st.size, sizeof(big));
	CHECK_EQ(fs_open(c, "f1", FS_OPEN_TRUNC, 0, &h), FS_OK);
	CHECK_EQ(fs_fstat(c, h, &st), FS_OK);
	CHECK_EQ(st.size, 0u);
	CHECK_EQ(fs_close(c, h), FS_OK);
	CHECK_EQ(fs_close(c, h), FS_E_INVAL);   /* closed twice */
	CHECK_EQ(fs_unlink(c, "/f1"), FS_OK);
}

TEST(FSR_0002, "mkdir, readdir in order with types, nested paths, '.' and '..' in paths")
{
	struct fs_conn *c = &rw.c;
	char names[256];
	struct fs_dirent e;
	struct fs_stat st;
	unsigned h;
	bool end;

	CHECK_EQ(fs_mkdir(c, "/d", 0755), FS_OK);
	CHECK_EQ(fs_mkdir(c, "/d", 0755), FS_E_EXIST);
	CHECK_EQ(fs_mkdir(c, "/d/sub/", 0700), FS_OK);
	put_file(c, "/d/a", "A");
	put_file(c, "/d/./sub/../b", "B");
	list(c, "/d", names, sizeof(names));
	CHECK_MSG(!strcmp(names, "sub,a,b"), "listed '%s'", names);
	CHECK_EQ(fs_open(c, "/d", 0, 0, &h), FS_OK);
	CHECK_EQ(fs_readdir(c, h, 0, &e, &end), FS_OK);
	CHECK_EQ(e.type, FS_IFDIR);
	CHECK_EQ(fs_readdir(c, h, 2, &e, &end), FS_OK);   /* out of order */
	CHECK(!end && !strcmp(e.name, "b") && e.type == FS_IFREG);
	CHECK_EQ(fs_readdir(c, h, 3, &e, &end), FS_OK);
	CHECK(end);
	CHECK_EQ(fs_close(c, h), FS_OK);
	CHECK_EQ(fs_stat(c, "/d/sub", 0, &st), FS_OK);
	CHECK_EQ(st.mode, FS_IFDIR | 0700);
	CHECK_EQ(fs_open(c, "/d/a", 0, 0, &h), FS_OK);
	CHECK_EQ(fs_readdir(c, h, 0, &e, &end), FS_E_NOTDIR);
	CHECK_EQ(fs_close(c, h), FS_OK);
	CHECK_EQ(fs_open(c, "/d", FS_OPEN_WRITE, 0, &h), FS_E_ISDIR);
	CHECK_EQ(fs_stat(c, "/d/a/x", 0, &st), FS_E_NOTDIR);
	CHECK_EQ(fs_mkdir(c, "/nope/x", 0755), FS_E_NOENT);
}

TEST(FSR_0003, "symlink and readlink; links followed inside paths; NOFOLLOW; a loop is LOOP")
{
	struct fs_conn *c = &rw.c;
	char buf[64];
	struct fs_stat st;
	size_t n;

	CHECK_EQ(fs_symlink(c, "/ln", "d/sub/../a"), FS_OK);
	CHECK_EQ(fs_readlink(c, "/ln", buf, sizeof(buf), &n), FS_OK);
	CHECK_EQ(n, 10u);
	CHECK(!strcmp(buf, "d/sub/../a"));
	CHECK_EQ(get_file(c, "/ln", buf, sizeof(buf)), 1u);
	CHECK(!strcmp(buf, "A"));
	CHECK_EQ(fs_stat(c, "/ln", FS_OPEN_NOFOLLOW, &st), FS_OK);
	CHECK_EQ(st.mode & FS_IFMT, FS_IFLNK);
	CHECK_EQ(fs_symlink(c, "/dl", "/d"), FS_OK);
	CHECK_EQ(get_file(c, "/dl/b", buf, sizeof(buf)), 1u);
	CHECK(!strcmp(buf, "B"));
	CHECK_EQ(fs_symlink(c, "/loop1", "loop2"), FS_OK);
	CHECK_EQ(fs_symlink(c, "/loop2", "loop1"), FS_OK);
	CHECK_EQ(fs_stat(c, "/loop1", 0, &st), FS_E_LOOP);
	CHECK_EQ(fs_readlink(c, "/d/a", buf, sizeof(buf), &n), FS_E_INVAL);
	CHECK_EQ(fs_unlink(c, "/loop1"), FS_OK);
	CHECK_EQ(fs_unlink(c, "/loop2"), FS_OK);
	CHECK_EQ(fs_unlink(c, "/dl"), FS_OK);
	CHECK_EQ(fs_stat(c, "/d/a", 0, &st), FS_OK);   /* the link went, not its target */
}

TEST(FSR_0004, "unlink and rename: files, directories, replacing, never a directory below itself")
{
	struct fs_conn *c = &rw.c;
	char buf[64];
	struct fs_stat st;

	CHECK_EQ(fs_unlink(c, "/d"), FS_E_NOTEMPTY);
	CHECK_EQ(fs_unlink(c, "/d/none"), FS_E_NOENT);
	CHECK_EQ(fs_rename(c, "/d/a", "/d/sub/a2"), FS_OK);
	CHECK_EQ(fs_stat(c, "/d/a", 0, &st), FS_E_NOENT);
	CHECK_EQ(get_file(c, "/d/sub/a2", buf, sizeof(buf)), 1u);
	CHECK_EQ(fs_rename(c, "/d/sub/a2", "/d/b"), FS_OK);   /* replaces b */
	CHECK_EQ(get_file(c, "/d/b", buf, sizeof(buf)), 1u);
	CHECK(!strcmp(buf, "A"));
	CHECK_EQ(fs_rename(c, "/d", "/d/sub/d"), FS_E_LOOP);
	CHECK_EQ(fs_rename(c, "/d/b", "/d/sub"), FS_E_ISDIR);
	CHECK_EQ(fs_rename(c, "/d", "/e"), FS_OK);
	CHECK_EQ(fs_stat(c, "/e/sub", 0, &st), FS_OK);
	CHECK_EQ(fs_rename(c, "/", "/x"), FS_E_INVAL);
	CHECK_EQ(fs_rename(c, "/e/..", "/x"), FS_E_INVAL);
	CHECK_EQ(fs_unlink(c, "/e/sub"), FS_OK);
	CHECK_EQ(fs_unlink(c, "/e/b"), FS_OK);
	CHECK_EQ(fs_unlink(c, "/e"), FS_OK);
	CHECK_EQ(fs_unlink(c, "/ln"), FS_OK);
	CHECK_EQ(fs_unlink(c, "/"), FS_E_INVAL);
}

TEST(FSR_0005, "truncate grows with zeros and shrinks; setattr; sync; statfs")
{
	struct fs_conn *c = &rw.c;
	struct fs_attr a = { .mask = FS_ATTR_MODE | FS_ATTR_MTIME, .mode = 0600, .mtime = 1234567 };
	struct fs_statfs sf;
	struct fs_stat st;
	char buf[32];
	unsigned h;
	size_t n;

	put_file(c, "/t", "0123456789");
	CHECK_EQ(fs_open(c, "/t", FS_OPEN_WRITE, 0, &h), FS_OK);
	CHECK_EQ(fs_truncate(c, h, 4), FS_OK);
	CHECK_EQ(fs_truncate(c, h, 8), FS_OK);
	CHECK_EQ(fs_read(c, h, 0, buf, sizeof(buf), &n), FS_OK);
	CHECK_EQ(n, 8u);
	CHECK(!memcmp(buf, "0123\0\0\0\0", 8));
	CHECK_EQ(fs_setattr(c, h, &a), FS_OK);
	CHECK_EQ(fs_fstat(c, h, &st), FS_OK);
	CHECK_EQ(st.mode, FS_IFREG | 0600);
	CHECK_EQ(st.mtime, 1234567);
	a.mask = 1u << 9;
	CHECK_EQ(fs_setattr(c, h, &a), FS_E_INVAL);
	CHECK_EQ(fs_close(c, h), FS_OK);
	CHECK_EQ(fs_sync(c), FS_OK);
	CHECK_EQ(fs_statfs(c, &sf), FS_OK);
	CHECK_EQ(sf.block_size, 4096u);
	CHECK_EQ(sf.blocks, 256u);
	CHECK(sf.blocks_free > 0 && sf.blocks_free < sf.blocks);
	CHECK(!sf.readonly);
	CHECK_EQ(fs_unlink(c, "/t"), FS_OK);
}

/* ---- policy ---- */

TEST(FSR_0006, "a read-only session reads but every change is ROFS; a read handle does not write")
{
	struct conn ro;
	struct fs_statfs sf;
	struct ps_desc d;
	char buf[16];
	unsigned h;
	size_t n;

	put_file(&rw.c, "/shared", "shared");
	CHECK_OK(conn_open(&ro, "ro"));
	CHECK_EQ(get_file(&ro.c, "/shared", buf, sizeof(buf)), 6u);
	CHECK_EQ(fs_open(&ro.c, "/shared", FS_OPEN_WRITE, 0, &h), FS_E_ROFS);
	CHECK_EQ(fs_open(&ro.c, "/new", FS_OPEN_CREATE, 0644, &h), FS_E_ROFS);
	CHECK_EQ(fs_open(&ro.c, "/shared", FS_OPEN_TRUNC, 0, &h), FS_E_ROFS);
	CHECK_EQ(fs_mkdir(&ro.c, "/dir", 0755), FS_E_ROFS);
	CHECK_EQ(fs_symlink(&ro.c, "/l", "shared"), FS_E_ROFS);
	CHECK_EQ(fs_unlink(&ro.c, "/shared"), FS_E_ROFS);
	CHECK_EQ(fs_rename(&ro.c, "/shared", "/s2"), FS_E_ROFS);
	CHECK_EQ(fs_statfs(&ro.c, &sf), FS_OK);
	CHECK(sf.readonly);
	/* a write packet through a handle opened for reading */
	CHECK_EQ(fs_open(&ro.c, "/shared", 0, 0, &h), FS_OK);
	CHECK_EQ(fs_write(&ro.c, h, 0, "x", 1, &n), FS_E_ROFS);
	CHECK_EQ(fs_truncate(&ro.c, h, 0), FS_E_ROFS);
	CHECK_EQ(ps_alloc(&ro.c.src, 16, &d), PS_OK);
	d.opcode = FS_OP_WRITE;
	d.arg = FS_PKT_ARG(h, 0);
	CHECK_EQ(fs_transact(&ro.c, &d), FS_E_ROFS);
	CHECK_EQ(d.status, FS_STATUS(FS_E_ROFS));
	d.size = 16;
	CHECK_EQ(ps_free(&ro.c.src, &d), PS_OK);
	conn_close(&ro);
	/* a writable session's read handle: not through that handle */
	CHECK_EQ(fs_open(&rw.c, "/shared", 0, 0, &h), FS_OK);
	CHECK_EQ(fs_write(&rw.c, h, 0, "x", 1, &n), FS_E_PERM);
	CHECK_EQ(fs_close(&rw.c, h), FS_OK);
	CHECK_EQ(get_file(&rw.c, "/shared", buf, sizeof(buf)), 6u);
	CHECK(!strcmp(buf, "shared"));
}

TEST(FSR_0007, "a session's root: '..' and links never leave it; creations land inside it")
{
	struct conn jail, x;
	struct fs_stat st;
	char buf[64];

	CHECK_EQ(fs_mkdir(&rw.c, "/jail", 0755), FS_OK);
	put_file(&rw.c, "/secret", "outside");
	put_file(&rw.c, "/jail/inside", "in");
	CHECK_OK(conn_open(&jail, "jail"));
	CHECK_EQ(get_file(&jail.c, "/inside", buf, sizeof(buf)), 2u);
	CHECK_EQ(fs_stat(&jail.c, "/secret", 0, &st), FS_E_NOENT);
	CHECK_EQ(fs_stat(&jail.c, "../secret", 0, &st), FS_E_NOENT);
	CHECK_EQ(fs_stat(&jail.c, "/../../../secret", 0, &st), FS_E_NOENT);
	CHECK_EQ(fs_stat(&jail.c, "/..", 0, &st), FS_OK);
	CHECK_EQ(get_file(&jail.c, "/../inside", buf, sizeof(buf)), 2u);
	/* links: relative ones out, absolute ones to the file system's root */
	CHECK_EQ(fs_symlink(&jail.c, "/up", "../secret"), FS_OK);
	CHECK_EQ(fs_symlink(&jail.c, "/abs", "/secret"), FS_OK);
	CHECK_EQ(fs_symlink(&jail.c, "/deep", "../../../.."), FS_OK);
	CHECK_EQ(fs_stat(&jail.c, "/up", 0, &st), FS_E_NOENT);
	CHECK_EQ(fs_stat(&jail.c, "/abs", 0, &st), FS_E_NOENT);
	CHECK_EQ(fs_stat(&jail.c, "/deep/secret", 0, &st), FS_E_NOENT);
	CHECK_EQ(get_file(&jail.c, "/deep/inside", buf, sizeof(buf)), 2u);
	/* what the jail makes is inside /jail */
	put_file(&jail.c, "/../made", "by jail");
	CHECK_EQ(get_file(&rw.c, "/jail/made", buf, sizeof(buf)), 7u);
	CHECK_EQ(fs_stat(&rw.c, "/made", 0, &st), FS_E_NOENT);
	CHECK_EQ(fs_rename(&jail.c, "/made", "/../../made2"), FS_OK);
	CHECK_EQ(fs_stat(&rw.c, "/jail/made2", 0, &st), FS_OK);
	conn_close(&jail);
	/* a root that is not there, and a label without a policy: denied */
	CHECK_ST(tb_open(&x.o, ram_fs, FS_SERVICE, "missing", "size=65536", FS_SESSION_RAM(STREAM),
			 FS_SESSION_CAPS), RPC_E_DENIED);
	CHECK_ST(tb_open(&x.o, ram_fs, FS_SERVICE, "stranger", "size=65536",
			 FS_SESSION_RAM(STREAM), FS_SESSION_CAPS), RPC_E_DENIED);
}

/* ---- watches ---- */

static unsigned next_change(struct fs_conn *c, unsigned *events)
{
	unsigned h;

	CHECK_EQ(fs_changes(c, &h, events), FS_OK);
	return h;
}

TEST(FSR_0008, "watches: another session's write, create, rename and unlink are signalled and told")
{
	struct conn w;
	unsigned hf, hd, ev;
	size_t n;

	CHECK_EQ(fs_mkdir(&rw.c, "/watched", 0755), FS_OK);
	put_file(&rw.c, "/watched/file", "0");
	CHECK_OK(conn_open(&w, "rw2"));
	CHECK_OK(fs_watch_sigh(w.o.cap, bits[5]));
	CHECK_EQ(fs_open(&w.c, "/watched/file", 0, 0, &hf), FS_OK);
	CHECK_EQ(fs_open(&w.c, "/watched", 0, 0, &hd), FS_OK);
	CHECK_EQ(fs_watch(&w.c, hf, true), FS_OK);
	CHECK_EQ(fs_watch(&w.c, hd, true), FS_OK);
	sys_poll(ntfn);
	CHECK_EQ(next_change(&w.c, &ev), FS_NO_HANDLE);
	/* a write through the other session */
	{
		unsigned h;

		CHECK_EQ(fs_open(&rw.c, "/watched/file", FS_OPEN_WRITE, 0, &h), FS_OK);
		CHECK_EQ(fs_write(&rw.c, h, 0, "12", 2, &n), FS_OK);
		CHECK_EQ(fs_close(&rw.c, h), FS_OK);
	}
	while (!(sys_wait(ntfn) & (1ull << 5)))
		;
	CHECK_EQ(next_change(&w.c, &ev), hf);
	CHECK_EQ(ev, FS_EV_DATA);
	CHECK_EQ(next_change(&w.c, &ev), FS_NO_HANDLE);
	/* entries of the directory */
	put_file(&rw.c, "/watched/new", "n");
	while (!(sys_wait(ntfn) & (1ull << 5)))
		;
	CHECK_EQ(next_change(&w.c, &ev), hd);
	CHECK_EQ(ev, FS_EV_ENTRIES);
	CHECK_EQ(fs_rename(&rw.c, "/watched/new", "/watched/new2"), FS_OK);
	while (!(sys_wait(ntfn) & (1ull << 5)))
		;
	CHECK_EQ(next_change(&w.c, &ev), hd);
	CHECK_EQ(ev, FS_EV_ENTRIES);
	/* the file goes: removed, and the directory's entries changed */
	CHECK_EQ(fs_unlink(&rw.c, "/watched/file"), FS_OK);
	while (!(sys_wait(ntfn) & (1ull << 5)))
		;
	CHECK_EQ(next_change(&w.c, &ev), hf);
	CHECK_EQ(ev, FS_EV_REMOVED);
	CHECK_EQ(next_change(&w.c, &ev), hd);
	CHECK_EQ(ev, FS_EV_ENTRIES);
	CHECK_EQ(next_change(&w.c, &ev), FS_NO_HANDLE);
	CHECK_EQ(fs_fstat(&w.c, hf, &(struct fs_stat){ 0 }), FS_E_STALE);
	/* unwatched: nothing more */
	CHECK_EQ(fs_watch(&w.c, hd, false), FS_OK);
	CHECK_EQ(fs_unlink(&rw.c, "/watched/new2"), FS_OK);
	CHECK_EQ(next_change(&w.c, &ev), FS_NO_HANDLE);
	conn_close(&w);
	CHECK_EQ(fs_unlink(&rw.c, "/watched"), FS_OK);
}

/* ---- quota ---- */

TEST(FSR_0009, "the file system's quota: a full one gives NOSPC, space comes back after unlink")
{
	static char block[64 * 1024];
	struct fs_statfs sf;
	unsigned h;
	size_t n, total = 0;
	fs_err_t err;

	memset(block, 0x5a, sizeof(block));
	CHECK_EQ(fs_open(&rw.c, "/fill", FS_OPEN_CREATE, 0644, &h), FS_OK);
	for (int i = 0; i < 64; i++) {
		err = fs_write(&rw.c, h, total, block, sizeof(block), &n);
		total += n;
		if (err != FS_OK)
			break;
	}
	CHECK_EQ(err, FS_E_NOSPC);
	CHECK(total > 512 * KB && total < MB);
	CHECK_EQ(fs_statfs(&rw.c, &sf), FS_OK);
	CHECK_EQ(sf.blocks_free, 0u);
	CHECK_EQ(fs_close(&rw.c, h), FS_OK);
	CHECK_EQ(fs_unlink(&rw.c, "/fill"), FS_OK);
	CHECK_EQ(fs_statfs(&rw.c, &sf), FS_OK);
	CHECK(sf.blocks_free * 4096 >= total);
	CHECK_EQ(fs_mkdir(&rw.c, "/more", 0755), FS_OK);
	CHECK_EQ(fs_unlink(&rw.c, "/more"), FS_OK);
}

/* ---- a hostile client ---- */

/* Put d into the submit ring as it is (the library would refuse it). */
static void raw_submit(struct fs_conn *c, const struct ps_desc *d)
{
	struct ps_ring *r = &c->src.e.submit;

	r->slots[r->mine & (r->nslots - 1)] = *d;
	r->mine++;
	r->ctl->tail = r->mine;
	signal_submit(c->server.cap[PS_SUBMIT_READY]);
}

static struct ps_desc raw_ack(struct fs_conn *c)
{
	struct ps_desc a;
	ps_error_t e;

	while ((e = ps_get_ack(&c->src, &a)) == PS_E_EMPTY)
		sys_wait(c->ntfn);
	CHECK(e == PS_OK || e == PS_E_BAD_DESC);
	return a;
}

TEST(FSR_0010, "a hostile client: bad handles, flags, descriptors, opcodes, arguments get errors")
{
	struct conn x;
	struct ps_desc d;
	unsigned h, hs[FS_SESSION_HANDLES];
	word_t err, hh;
	int i;

	CHECK_EQ(fs_mkdir(&rw.c, "/hostile", 0755), FS_OK);
	CHECK_OK(conn_open(&x, "hostile"));
	/* handles that were never opened */
	CHECK_EQ(fs_close(&x.c, 7), FS_E_INVAL);
	CHECK_EQ(fs_close(&x.c, 9999), FS_E_INVAL);
	CHECK_EQ(fs_fstat(&x.c, 63, &(struct fs_stat){ 0 }), FS_E_INVAL);
	CHECK_EQ(fs_truncate(&x.c, FS_NO_HANDLE, 0), FS_E_INVAL);
	CHECK_OK(fs_watch_rpc(x.o.cap, 1ul << 40, 1, &err));
	CHECK_EQ(err, FS_E_INVAL);
	CHECK_EQ(fs_read(&x.c, 3, 0, &d, 8, &(size_t){ 0 }), FS_E_INVAL);
	/* flags and modes out of range, malformed requests */
	CHECK_OK(fs_open_rpc(x.o.cap, 0x100, 0, "/a", &err, &hh));
	CHECK_EQ(err, FS_E_INVAL);
	CHECK_OK(fs_open_rpc(x.o.cap, FS_OPEN_CREATE, 0170000, "/a", &err, &hh));
	CHECK_EQ(err, FS_E_INVAL);
	{
		struct rpc_msg m;

		rpc_init(&m, FS_OPEN);   /* no words, no path */
		CHECK_ST(rpc_call(x.o.cap, &m), RPC_E_INVALID_ARGUMENT);
		rpc_init(&m, 99);
		CHECK_ST(rpc_call(x.o.cap, &m), RPC_E_ILLEGAL_OPERATION);
	}
	/* the handle table is bounded; closing frees */
	for (i = 0; i < (int)FS_SESSION_HANDLES; i++)
		CHECK_EQ(fs_open(&x.c, "/", 0, 0, &hs[i]), FS_OK);
	CHECK_EQ(fs_open(&x.c, "/", 0, 0, &h), FS_E_NOMEM);
	for (i = 0; i < (int)FS_SESSION_HANDLES; i++)
		CHECK_EQ(fs_close(&x.c, hs[i]), FS_OK);
	/* packets: a bad handle, a bad opcode, a descriptor outside the payload */
	CHECK_EQ(ps_alloc(&x.c.src, 64, &d), PS_OK);
	d.opcode = FS_OP_READ;
	d.arg = FS_PKT_ARG(40, 0);
	CHECK_EQ(fs_transact(&x.c, &d), FS_E_INVAL);
	CHECK_EQ(d.status, FS_STATUS(FS_E_INVAL));
	d.size = 64;
	d.opcode = 77;
	CHECK_EQ(fs_transact(&x.c, &d), FS_E_INVAL);
	CHECK_EQ(d.status, PS_STATUS_BAD_OPCODE);
	d.size = 64;
	CHECK_EQ(ps_free(&x.c.src, &d), PS_OK);
	d.offset = x.c.src.e.payload_size - 8;
	d.size = 4096;
	d.opcode = FS_OP_READ;
	d.arg = FS_PKT_ARG(0, 0);
	raw_submit(&x.c, &d);
	d = raw_ack(&x.c);
	CHECK_EQ(d.status, PS_STATUS_BAD_DESC);
	CHECK_EQ(d.size, 0u);
	/* bad session arguments and too little quota */
	{
		struct tb_own y;

		CHECK_ST(tb_open(&y, ram_fs, FS_SERVICE, "rw", "size=1", FS_SESSION_RAM(STREAM),
				 FS_SESSION_CAPS), RPC_E_INVALID_ARGUMENT);
		CHECK_ST(tb_open(&y, ram_fs, FS_SERVICE, "rw", "slots=3", FS_SESSION_RAM(STREAM),
				 FS_SESSION_CAPS), RPC_E_INVALID_ARGUMENT);
		CHECK_ST(tb_open(&y, ram_fs, FS_SERVICE, "rw", "size=1M", FS_SESSION_RAM(STREAM),
				 FS_SESSION_CAPS), RPC_E_NO_RAM_QUOTA);
	}
	/* the neighbour works meanwhile */
	put_file(&rw.c, "/neighbour", "still here");
	/* an index moved impossibly: this stream is dead, nothing else */
	x.c.src.e.submit.ctl->tail = x.c.src.e.submit.mine + 100000;
	signal_submit(x.c.server.cap[PS_SUBMIT_READY]);
	CHECK_EQ(fs_stat(&x.c, "/", 0, &(struct fs_stat){ 0 }), FS_OK);   /* RPCs still answer */
	{
		char buf[32];

		CHECK_EQ(get_file(&rw.c, "/neighbour", buf, sizeof(buf)), 10u);
		CHECK(!strcmp(buf, "still here"));
	}
	conn_close(&x);
	CHECK_EQ(fs_unlink(&rw.c, "/neighbour"), FS_OK);
}

/* ---- fs_tool through lib/vfs ---- */

static const char *tool_config =
	"<config exit=\"no\">\n"
	"  <vfs>\n"
	"    <fs path=\"/fs\" label=\"tool\"/>\n"
	"    <ram path=\"/tmp\" quota=\"512K\"/>\n"
	"    <rom path=\"/etc/config\" name=\"config\"/>\n"
	"    <log path=\"/dev/log\"/>\n"
	"  </vfs>\n"
	"  <write path=\"/fs/abc\" text=\"abc\"/>\n"
	"  <checksum path=\"/fs/abc\"/>\n"
	"  <tree path=\"/fs/tree\" depth=\"2\" dirs=\"2\" files=\"2\" size=\"5000\" seed=\"3\"/>\n"
	"  <copy from=\"/fs/tree\" to=\"/tmp/tree\"/>\n"
	"  <compare a=\"/fs/tree\" b=\"/tmp/tree\"/>\n"
	"  <copy from=\"/tmp/tree\" to=\"/fs/copy\"/>\n"
	"  <compare a=\"/fs/tree\" b=\"/fs/copy\"/>\n"
	"  <write path=\"/fs/copy/dir1/file0\" text=\"changed\"/>\n"
	"  <compare a=\"/fs/tree\" b=\"/fs/copy\" expect=\"different\"/>\n"
	"  <copy from=\"/etc/config\" to=\"/fs/config.copy\"/>\n"
	"  <write path=\"/dev/log\" text=\"hello through the vfs log&#10;\"/>\n"
	"  <list path=\"/\"/>\n"
	"  <list path=\"/fs\" recursive=\"yes\"/>\n"
	"  <remove path=\"/tmp/tree\"/>\n"
	"  <rename from=\"/fs/abc\" to=\"/fs/abc2\"/>\n"
	"  <sync/>\n"
	"  <report path=\"/fs/tree\" label=\"listing\"/>\n"
	"</config>\n";

static const char *rr_config =
	"<config>\n"
	"  <policy label=\"listing\" report=\"fs_tool -> listing\"/>\n"
	"</config>\n";

static bool contains(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s; s++)
		if (!strncmp(s, part, n))
			return true;
	return false;
}

TEST(FSR_0011, "fs_tool over lib/vfs: trees, copies, compare, checksum, ROM and log files, a listing report")
{
	struct tb_child *tool, *rr;
	struct tb_own rom;
	struct fs_stat st;
	static char buf[8192], other[8192];
	cptr_t ds;
	word_t size, addr;

	CHECK_EQ(fs_mkdir(&rw.c, "/tool", 0755), FS_OK);
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 1 * MB, 200, FS_PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "Report"));
	CHECK_OK(tb_open(&rom, rr, "ROM", "listing", "", ROM_SESSION_RAM + 16384, ROM_SESSION_CAPS));
	sys_poll(ntfn);
	CHECK_OK(rom_sigh(rom.cap, bits[7]));
	CHECK_OK(tb_start(&tool, "fs_tool", "fs_tool", 2 * MB, 200, FS_PRIO - 100, tool_config));
	/* the report is its last step: then everything else is done */
	while (!(sys_wait(ntfn) & (1ull << 7)))
		;
	/* what it made, seen through our own session */
	CHECK_EQ(get_file(&rw.c, "/tool/abc2", buf, sizeof(buf)), 3u);
	CHECK(!strcmp(buf, "abc"));
	CHECK_EQ(fs_stat(&rw.c, "/tool/tree/dir1/file1", 0, &st), FS_OK);
	CHECK_EQ(st.size, 5000u);
	CHECK_EQ(get_file(&rw.c, "/tool/tree/dir0/file1", buf, sizeof(buf)), 5000u);
	CHECK_EQ(get_file(&rw.c, "/tool/copy/dir0/file1", other, sizeof(other)), 5000u);
	CHECK(!memcmp(buf, other, 5000));
	CHECK_EQ(get_file(&rw.c, "/tool/copy/dir1/file0", buf, sizeof(buf)), 7u);
	CHECK_EQ(get_file(&rw.c, "/tool/config.copy", other, sizeof(other)), strlen(tool_config));
	CHECK(!strcmp(other, tool_config));
	/* the listing as a report */
	CHECK_OK(rom_dataspace(rom.cap, &ds, &size));
	CHECK(size > 0 && size < sizeof(buf));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &addr));
	memcpy(buf, (void *)addr, size);
	buf[size] = 0;
	CHECK_OK(pd_detach(tb_env->pd, addr));
	cap_slot_free(ds);
	CHECK_MSG(contains(buf, "<listing path=\"/fs/tree\">") &&
		  contains(buf, "<dir name=\"dir1\">") &&
		  contains(buf, "<file name=\"file0\" size=\"5000\"/>"), "report: %s", buf);
	CHECK_OK(tb_close(&rom));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("fs_ram_test", setup);
}
