/*
 * Client side of the File_system session (fs_session.h): RPC stubs, the
 * packet stream's source, and calls that split reads and writes into
 * packets. Trusts the server for nothing but its answers: the stream's
 * dataspace is checked against its real size, every acknowledgement by
 * the packet stream library, and a count the server returns is never
 * taken beyond what was asked.
 */
#include <argil/component.h>
#include <argil/kernel.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include <fs_session.h>

RPC_CLIENT(fs_session, FS_RPC)

static fs_err_t rpc_err(rpc_status_t st, word_t err)
{
	if (st != RPC_OK)
		return st == RPC_E_INVALID_ARGUMENT ? FS_E_INVAL : FS_E_IO;
	return err > FS_E_PERM ? FS_E_IO : (fs_err_t)err;
}

static bool path_ok(const char *p)
{
	return p && strlen(p) <= FS_SESSION_PATH_MAX;
}

fs_err_t fs_conn_init(struct fs_conn *c, cptr_t session)
{
	word_t dsize, at, handle;
	rpc_status_t st;
	cptr_t bit[2] = { 0, 0 };

	memset(c, 0, sizeof(*c));
	c->session = session;
	st = fs_stream(session, &c->ds, &c->size);
	if (st == RPC_OK)
		st = ds_attach_checked(c->ds, c->size, 0, ATTACH_WRITE, &at, &dsize);
	if (st != RPC_OK)
		goto fail;
	c->mem = (uint8_t *)at;
	c->ntfn = cap_slot_alloc();
	st = pd_alloc_ntfn(COMPONENT_PD, c->ntfn, &handle);
	if (st != RPC_OK)
		goto fail;
	/* one notification for both conditions: the client waits on either */
	for (int i = 0; i < 2 && st == RPC_OK; i++) {
		bit[i] = cap_slot_alloc();
		if (cnode_mint(COMPONENT_CNODE, bit[i], 64, COMPONENT_CNODE, c->ntfn, 64,
			       RIGHT_WRITE, 1ull << i) != E_OK)
			st = RPC_E_OUT_OF_SLOTS;
	}
	if (st == RPC_OK)
		st = fs_sigh(session, PS_ACK_READY, bit[0]);
	if (st == RPC_OK)
		st = fs_sigh(session, PS_SUBMIT_SLOT_FREE, bit[1]);
	if (st == RPC_OK)
		st = fs_cap(session, PS_SUBMIT_READY, &c->server.cap[PS_SUBMIT_READY]);
	if (st == RPC_OK)
		st = fs_cap(session, PS_ACK_SLOT_FREE, &c->server.cap[PS_ACK_SLOT_FREE]);
	for (int i = 0; i < 2; i++)
		cap_slot_free(bit[i]);
	if (st != RPC_OK)
		goto fail;
	if (ps_source_init(&c->src, c->mem, c->size, ps_signal_caps, &c->server) != PS_OK)
		goto fail;
	return FS_OK;
fail:
	c->session = 0;
	fs_disconnect(c);
	return FS_E_IO;
}

fs_err_t fs_connect(struct fs_conn *c, const char *label, word_t stream_size)
{
	char args[48];
	cptr_t session;
	word_t id;
	fs_err_t err;

	if (!stream_size)
		stream_size = FS_STREAM_DEFAULT;
	snprintf(args, sizeof(args), "size=%lu", stream_size);
	if (parent_session(COMPONENT_PARENT, FS_SERVICE, label, args, FS_SESSION_RAM(stream_size),
			   FS_SESSION_CAPS, 0, &session, &id) != RPC_OK)
		return FS_E_IO;
	err = fs_conn_init(c, session);
	if (err != FS_OK) {
		parent_close(COMPONENT_PARENT, id);
		cap_slot_free(session);
		return err;
	}
	c->id = id;
	return FS_OK;
}

void fs_disconnect(struct fs_conn *c)
{
	if (c->mem)
		pd_detach(COMPONENT_PD, (word_t)c->mem);
	cap_slot_free(c->ds);
	for (int i = 0; i < PS_CONDS; i++)
		cap_slot_free((cptr_t)c->server.cap[i]);
	cap_slot_free(c->ntfn);
	if (c->id) {
		parent_close(COMPONENT_PARENT, c->id);
		cap_slot_free(c->session);
	}
	memset(c, 0, sizeof(*c));
}

/* ---- metadata ---- */

fs_err_t fs_open(struct fs_conn *c, const char *path, unsigned flags, uint32_t mode,
		 unsigned *handle)
{
	word_t err = 0, h = FS_NO_HANDLE;
	rpc_status_t st;

	if (!path_ok(path))
		return FS_E_NAMETOOLONG;
	st = fs_open_rpc(c->session, flags, mode, path, &err, &h);
	*handle = (unsigned)h;
	return rpc_err(st, err);
}

fs_err_t fs_close(struct fs_conn *c, unsigned handle)
{
	word_t err = 0;
	rpc_status_t st;

	st = fs_close_rpc(c->session, handle, &err);
	return rpc_err(st, err);
}

#define STAT_COPY(st, w)                                                                \
	do {                                                                            \
		(st)->ino = (w).ino;                                                    \
		(st)->size = (w).size;                                                  \
		(st)->blocks = (w).blocks;                                              \
		(st)->mode = (uint32_t)(w).mode;                                        \
		(st)->nlink = (uint32_t)(w).nlink;                                      \
		(st)->uid = (uint32_t)(w).uid;                                          \
		(st)->gid = (uint32_t)(w).gid;                                          \
		(st)->atime = (int64_t)(w).atime;                                       \
		(st)->mtime = (int64_t)(w).mtime;                                       \
		(st)->ctime = (int64_t)(w).ctime;                                       \
	} while (0)

fs_err_t fs_stat(struct fs_conn *c, const char *path, unsigned flags, struct fs_stat *st)
{
	struct fs_stat_words w;
	rpc_status_t s;

	memset(&w, 0, sizeof(w));
	if (!path_ok(path))
		return FS_E_NAMETOOLONG;
	s = fs_stat_rpc(c->session, flags, path, &w);
	if (s == RPC_OK && !w.err)
		STAT_COPY(st, w);
	return rpc_err(s, w.err);
}

fs_err_t fs_fstat(struct fs_conn *c, unsigned handle, struct fs_stat *st)
{
	struct fs_fstat_words w;
	rpc_status_t s;

	memset(&w, 0, sizeof(w));
	s = fs_fstat_rpc(c->session, handle, &w);
	if (s == RPC_OK && !w.err)
		STAT_COPY(st, w);
	return rpc_err(s, w.err);
}

fs_err_t fs_mkdir(struct fs_conn *c, const char *path, uint32_t mode)
{
	word_t err = 0;
	rpc_status_t st;

	if (!path_ok(path))
		return FS_E_NAMETOOLONG;
	st = fs_mkdir_rpc(c->session, mode, path, &err);
	return rpc_err(st, err);
}

fs_err_t fs_symlink(struct fs_conn *c, const char *path, const char *target)
{
	word_t err = 0;
	rpc_status_t st;

	if (!path_ok(path) || !path_ok(target))
		return FS_E_NAMETOOLONG;
	st = fs_symlink_rpc(c->session, path, target, &err);
	return rpc_err(st, err);
}

fs_err_t fs_unlink(struct fs_conn *c, const char *path)
{
	word_t err = 0;
	rpc_status_t st;

	if (!path_ok(path))
		return FS_E_NAMETOOLONG;
	st = fs_unlink_rpc(c->session, path, &err);
	return rpc_err(st, err);
}

fs_err_t fs_rename(struct fs_conn *c, const char *from, const char *to)
{
	word_t err = 0;
	rpc_status_t st;

	if (!path_ok(from) || !path_ok(to))
		return FS_E_NAMETOOLONG;
	st = fs_rename_rpc(c->session, from, to, &err);
	return rpc_err(st, err);
}

fs_err_t fs_truncate(struct fs_conn *c, unsigned handle, uint64_t size)
{
	word_t err = 0;
	rpc_status_t st;

	st = fs_truncate_rpc(c->session, handle, size, &err);
	return rpc_err(st, err);
}

fs_err_t fs_setattr(struct fs_conn *c, unsigned handle, const struct fs_attr *a)
{
	word_t err = 0;
	rpc_status_t st;

	st = fs_setattr_rpc(c->session, handle, a->mask, a->mode, a->uid, a->gid,
				      (word_t)a->atime, (word_t)a->mtime, &err);
	return rpc_err(st, err);
}

fs_err_t fs_sync(struct fs_conn *c)
{
	word_t err = 0;
	rpc_status_t st;

	st = fs_sync_rpc(c->session, &err);
	return rpc_err(st, err);
}

fs_err_t fs_statfs(struct fs_conn *c, struct fs_statfs *s)
{
	word_t err = 0, bs = 0, b = 0, bf = 0, f = 0, ff = 0, ro = 0;
	rpc_status_t st = fs_statfs_rpc(c->session, &err, &bs, &b, &bf, &f, &ff, &ro);

	if (st == RPC_OK && !err) {
		s->block_size = (uint32_t)bs;
		s->blocks = b;
		s->blocks_free = bf;
		s->files = f;
		s->files_free = ff;
		s->readonly = ro != 0;
	}
	return rpc_err(st, err);
}

fs_err_t fs_watch(struct fs_conn *c, unsigned handle, bool on)
{
	word_t err = 0;
	rpc_status_t st;

	st = fs_watch_rpc(c->session, handle, on, &err);
	return rpc_err(st, err);
}

fs_err_t fs_changes(struct fs_conn *c, unsigned *handle, unsigned *events)
{
	word_t err = 0, h = FS_NO_HANDLE, ev = 0;
	rpc_status_t st = fs_changes_rpc(c->session, &err, &h, &ev);

	*handle = (unsigned)h;
	*events = (unsigned)ev;
	return rpc_err(st, err);
}

/* ---- the stream ---- */

fs_err_t fs_transact(struct fs_conn *c, struct ps_desc *d)
{
	struct ps_desc a;
	ps_error_t e;

	d->tag = ++c->tag;
	while ((e = ps_submit(&c->src, d)) == PS_E_FULL)
		sys_wait(c->ntfn);
	if (e != PS_OK)
		return FS_E_IO;
	/* one packet in flight: the next acknowledgement is ours, and one that
	 * names another packet is the server's fault (nothing is freed) */
	while ((e = ps_get_ack(&c->src, &a)) == PS_E_EMPTY)
		sys_wait(c->ntfn);
	if (e != PS_OK || a.tag != d->tag || a.offset != d->offset)
		return FS_E_IO;
	if (a.size > d->size)
		return FS_E_IO;
	d->size = a.size;
	d->status = a.status;
	return FS_STATUS_ERR(a.status);
}

/* The largest packet to allocate: half the payload area, so that a
 * packet the library could not free never blocks the next one. */
static uint32_t chunk_of(struct fs_conn *c, size_t len)
{
	uint64_t max = c->src.e.payload_size / 2;

	if (max > 1u << 20)
		max = 1u << 20;
	return (uint32_t)(len < max ? len : max);
}

static fs_err_t packet(struct fs_conn *c, uint16_t op, unsigned handle, uint64_t pos,
		       uint32_t size, const void *in, void *out, size_t *done)
{
	struct ps_desc d;
	fs_err_t err;

	if (ps_alloc(&c->src, size, &d) != PS_OK)
		return FS_E_NOMEM;
	d.opcode = op;
	d.arg = FS_PKT_ARG(handle, pos);
	if (in)
		memcpy_bulk(ps_payload(&c->src.e, &d), in, size);
	err = fs_transact(c, &d);
	if (err == FS_OK && out && d.size)
		memcpy_bulk(out, ps_payload(&c->src.e, &d), d.size);
	*done = err == FS_OK ? d.size : 0;
	d.size = size;
	ps_free(&c->src, &d);
	return err;
}

fs_err_t fs_read(struct fs_conn *c, unsigned handle, uint64_t pos, void *buf, size_t len,
		 size_t *done)
{
	fs_err_t err = FS_OK;
	size_t n;

	*done = 0;
	while (*done < len) {
		uint32_t want = chunk_of(c, len - *done);

		if (pos + *done > FS_PKT_POS_MAX)
			return FS_E_FBIG;
		err = packet(c, FS_OP_READ, handle, pos + *done, want, 0, (uint8_t *)buf + *done, &n);
		if (err != FS_OK)
			break;
		*done += n;
		if (n < want)
			break;
	}
	return err;
}

fs_err_t fs_write(struct fs_conn *c, unsigned handle, uint64_t pos, const void *buf, size_t len,
		  size_t *done)
{
	fs_err_t err = FS_OK;
	size_t n;

	*done = 0;
	while (*done < len) {
		uint32_t want = chunk_of(c, len - *done);

		if (pos + *done + want > FS_PKT_POS_MAX)
			return FS_E_FBIG;
		err = packet(c, FS_OP_WRITE, handle, pos + *done, want, (const uint8_t *)buf + *done,
			     0, &n);
		if (err != FS_OK)
			break;
		*done += n;
		if (n < want)
			return FS_E_NOSPC;
	}
	return err;
}

fs_err_t fs_readdir(struct fs_conn *c, unsigned handle, uint64_t index, struct fs_dirent *ent,
		    bool *end)
{
	uint8_t rec[FS_DIRENT_RECLEN(FS_NAME_MAX)];
	const struct fs_session_dirent *r = (const void *)rec;
	size_t n;
	fs_err_t err;

	if (index > FS_PKT_POS_MAX)
		return FS_E_INVAL;
	err = packet(c, FS_OP_READDIR, handle, index, sizeof(rec), 0, rec, &n);
	*end = false;
	if (err != FS_OK)
		return err;
	if (!n) {
		*end = true;
		return FS_OK;
	}
	if (n < sizeof(*r) || r->len > FS_NAME_MAX || r->reclen > n ||
	    r->reclen < FS_DIRENT_RECLEN(r->len))
		return FS_E_IO;
	ent->ino = r->ino;
	ent->type = r->type;
	ent->len = r->len;
	memcpy(ent->name, r->name, r->len);
	ent->name[r->len] = 0;
	return FS_OK;
}

fs_err_t fs_readlink(struct fs_conn *c, const char *path, char *buf, size_t size, size_t *len)
{
	unsigned h;
	size_t n = 0;
	fs_err_t err;

	if (!size)
		return FS_E_INVAL;
	err = fs_open(c, path, FS_OPEN_NOFOLLOW, 0, &h);
	if (err != FS_OK)
		return err;
	err = packet(c, FS_OP_READLINK, h, 0, (uint32_t)(size - 1 < FS_PATH_MAX ? size - 1 : FS_PATH_MAX),
		     0, buf, &n);
	fs_close(c, h);
	buf[n] = 0;
	*len = n;
	return err;
}
