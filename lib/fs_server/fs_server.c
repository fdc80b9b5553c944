/*
 * The file-system server (fs_server.h): File_system sessions over a back
 * end. This file: sessions (policy, stream set-up, release), the handle
 * table, watches, and the metadata RPCs. Path resolution is in walk.c,
 * the packet stream in stream.c.
 */
#include <argil/args.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <rom_server.h>
#include "fs_server_private.h"

/* ---- paths ---- */

static void walker(struct fs_sess *s, struct fs_walker *w)
{
	w->ops = s->srv->ops;
	w->fs = s->srv->fs;
	w->root = s->root;
	w->buf = s->srv->buf;
	w->link = s->srv->link;
}

fs_err_t walk(struct fs_sess *s, const char *path, bool follow, uint64_t *ino)
{
	struct fs_walker w;

	walker(s, &w);
	return fs_walk(&w, path, follow, ino);
}

fs_err_t walk_parent(struct fs_sess *s, const char *path, uint64_t *dir, const char **name,
		     size_t *len)
{
	struct fs_walker w;

	walker(s, &w);
	return fs_walk_parent(&w, path, dir, name, len);
}

/* ---- handles and watches ---- */

struct fs_handle *handle_of(struct fs_sess *s, word_t h)
{
	if (h >= FS_SESSION_HANDLES || !s->h[h].used)
		return 0;
	return &s->h[h];
}

void notify(struct fs_server *srv, uint64_t ino, unsigned events)
{
	for (struct server_session *ss = srv->ss.sessions; ss; ss = ss->next) {
		struct fs_sess *s = (struct fs_sess *)ss;
		bool news = false;

		for (unsigned i = 0; i < FS_SESSION_HANDLES; i++)
			if (s->h[i].used && s->h[i].watched && s->h[i].ino == ino) {
				s->h[i].events |= events;
				news = true;
			}
		if (news && s->watch_sigh)
			signal_submit(s->watch_sigh);
	}
}

/* After an entry went: its node may be gone with it. */
static void notify_gone(struct fs_server *srv, uint64_t ino)
{
	struct fs_stat st;

	if (srv->ops->stat(srv->fs, ino, &st) != FS_OK)
		notify(srv, ino, FS_EV_REMOVED);
	else
		notify(srv, ino, FS_EV_ATTR);   /* one link fewer */
}

#define SESS(c) struct fs_sess *s = (c)->obj
#define OPS s->srv->ops
#define FS s->srv->fs
#define WRITABLE()                                                                      \
	do {                                                                            \
		if (!s->writable) {                                                     \
			c->out.err = FS_E_ROFS;                                         \
			return RPC_OK;                                                  \
		}                                                                       \
	} while (0)

/* ---- RPC: the stream ---- */

static rpc_status_t do_stream(struct fs_stream_call *c)
{
	SESS(c);
	c->out.ds = s->ds;
	c->out.size = s->size;
	return RPC_OK;
}

static rpc_status_t do_sigh(struct fs_sigh_call *c)
{
	SESS(c);
	cptr_t slot;
	rpc_status_t st;

	if (c->in.cond != PS_ACK_READY && c->in.cond != PS_SUBMIT_SLOT_FREE)
		return RPC_E_INVALID_ARGUMENT;
	slot = s->peer.cap[c->in.cond];
	st = rpc_take_sigh(c->in.ntfn, &slot, false);
	s->peer.cap[c->in.cond] = slot;
	return st;
}

static rpc_status_t do_cap(struct fs_cap_call *c)
{
	SESS(c);
	if (c->in.cond == PS_SUBMIT_READY)
		c->out.ntfn = s->submit_ready.cap;
	else if (c->in.cond == PS_ACK_SLOT_FREE)
		c->out.ntfn = s->ack_slot_free.cap;
	else
		return RPC_E_INVALID_ARGUMENT;
	return RPC_OK;
}

/* ---- RPC: handles ---- */

static rpc_status_t do_open(struct fs_open_rpc_call *c)
{
	SESS(c);
	unsigned flags = (unsigned)c->in.flags;
	bool write = flags & (FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNC);
	struct fs_handle *h = 0;
	struct fs_stat st;
	uint64_t ino = 0, dir;
	const char *name;
	size_t len;
	fs_err_t err;

	c->out.handle = FS_NO_HANDLE;
	if (c->in.flags & ~(word_t)FS_OPEN_FLAGS || c->in.mode & ~(word_t)07777) {
		c->out.err = FS_E_INVAL;
		return RPC_OK;
	}
	if (write)
		WRITABLE();
	for (unsigned i = 0; i < FS_SESSION_HANDLES && !h; i++)
		if (!s->h[i].used)
			h = &s->h[i];
	if (!h) {
		c->out.err = FS_E_NOMEM;
		return RPC_OK;
	}
	if ((flags & (FS_OPEN_CREATE | FS_OPEN_EXCL)) == (FS_OPEN_CREATE | FS_OPEN_EXCL)) {
		/* a new file: the back end's create says whether the name is
		 * taken (also by a link), one directory search instead of two */
		err = walk_parent(s, c->in.path, &dir, &name, &len);
		if (err == FS_OK) {
			err = OPS->create(FS, dir, name, len, FS_IFREG | (uint32_t)c->in.mode, &ino);
			if (err == FS_OK)
				notify(s->srv, dir, FS_EV_ENTRIES);
		} else if (err == FS_E_INVAL) {   /* "/", "..": no name to create */
			err = walk(s, c->in.path, true, &ino);
			if (err == FS_OK)
				err = FS_E_EXIST;
		}
	} else {
		err = walk(s, c->in.path, !(flags & FS_OPEN_NOFOLLOW), &ino);
	}
	if (err == FS_E_NOENT && (flags & (FS_OPEN_CREATE | FS_OPEN_EXCL)) == FS_OPEN_CREATE) {
		err = walk_parent(s, c->in.path, &dir, &name, &len);
		if (err == FS_OK)
			err = OPS->create(FS, dir, name, len, FS_IFREG | (uint32_t)c->in.mode, &ino);
		if (err == FS_OK)
			notify(s->srv, dir, FS_EV_ENTRIES);
	}
	if (err == FS_OK)
		err = OPS->stat(FS, ino, &st);
	if (err == FS_OK && (st.mode & FS_IFMT) == FS_IFDIR && write)
		err = FS_E_ISDIR;
	if (err == FS_OK && flags & FS_OPEN_TRUNC && st.size) {
		err = OPS->truncate(FS, ino, 0);
		if (err == FS_OK)
			notify(s->srv, ino, FS_EV_DATA);
	}
	c->out.err = err;
	if (err != FS_OK)
		return RPC_OK;
	memset(h, 0, sizeof(*h));
	h->used = true;
	h->writable = write;
	h->type = st.mode & FS_IFMT;
	h->ino = ino;
	c->out.handle = (word_t)(h - s->h);
	s->srv->opened++;
	return RPC_OK;
}

static rpc_status_t do_close(struct fs_close_rpc_call *c)
{
	SESS(c);
	struct fs_handle *h = handle_of(s, c->in.handle);

	c->out.err = h ? FS_OK : FS_E_INVAL;
	if (h)
		memset(h, 0, sizeof(*h));
	return RPC_OK;
}

#define STAT_OUT(o, st)                                                                 \
	do {                                                                            \
		(o).ino = (st).ino;                                                     \
		(o).size = (st).size;                                                   \
		(o).blocks = (st).blocks;                                               \
		(o).mode = (st).mode;                                                   \
		(o).nlink = (st).nlink;                                                 \
		(o).uid = (st).uid;                                                     \
		(o).gid = (st).gid;                                                     \
		(o).atime = (word_t)(st).atime;                                         \
		(o).mtime = (word_t)(st).mtime;                                         \
		(o).ctime = (word_t)(st).ctime;                                         \
	} while (0)

static rpc_status_t do_stat(struct fs_stat_rpc_call *c)
{
	SESS(c);
	struct fs_stat st;
	uint64_t ino;
	fs_err_t err;

	if (c->in.flags & ~(word_t)FS_OPEN_NOFOLLOW)
		err = FS_E_INVAL;
	else
		err = walk(s, c->in.path, !(c->in.flags & FS_OPEN_NOFOLLOW), &ino);
	if (err == FS_OK)
		err = OPS->stat(FS, ino, &st);
	if (err == FS_OK)
		STAT_OUT(c->out, st);
	c->out.err = err;
	return RPC_OK;
}

static rpc_status_t do_fstat(struct fs_fstat_rpc_call *c)
{
	SESS(c);
	struct fs_handle *h = handle_of(s, c->in.handle);
	struct fs_stat st;
	fs_err_t err = h ? OPS->stat(FS, h->ino, &st) : FS_E_INVAL;

	if (err == FS_OK)
		STAT_OUT(c->out, st);
	c->out.err = err;
	return RPC_OK;
}

/* ---- RPC: names ---- */

static rpc_status_t do_mkdir(struct fs_mkdir_rpc_call *c)
{
	SESS(c);
	uint64_t dir, ino;
	const char *name;
	size_t len;
	fs_err_t err;

	WRITABLE();
	err = c->in.mode & ~(word_t)07777 ? FS_E_INVAL : walk_parent(s, c->in.path, &dir, &name, &len);
	if (err == FS_OK)
		err = OPS->create(FS, dir, name, len, FS_IFDIR | (uint32_t)c->in.mode, &ino);
	if (err == FS_OK)
		notify(s->srv, dir, FS_EV_ENTRIES);
	c->out.err = err;
	return RPC_OK;
}

static rpc_status_t do_symlink(struct fs_symlink_rpc_call *c)
{
	SESS(c);
	uint64_t dir, ino;
	const char *name;
	size_t len;
	fs_err_t err;

	WRITABLE();
	err = walk_parent(s, c->in.path, &dir, &name, &len);
	if (err == FS_OK)
		err = OPS->symlink(FS, dir, name, len, c->in.target, strlen(c->in.target), &ino);
	if (err == FS_OK)
		notify(s->srv, dir, FS_EV_ENTRIES);
	c->out.err = err;
	return RPC_OK;
}

static rpc_status_t do_unlink(struct fs_unlink_rpc_call *c)
{
	SESS(c);
	uint64_t dir, ino = 0;
	const char *name;
	size_t len;
	fs_err_t err;

	WRITABLE();
	err = walk_parent(s, c->in.path, &dir, &name, &len);
	if (err == FS_OK)
		err = OPS->lookup(FS, dir, name, len, &ino);
	if (err == FS_OK)
		err = OPS->unlink(FS, dir, name, len);
	if (err == FS_OK) {
		notify(s->srv, dir, FS_EV_ENTRIES);
		notify_gone(s->srv, ino);
	}
	c->out.err = err;
	return RPC_OK;
}

static rpc_status_t do_rename(struct fs_rename_rpc_call *c)
{
	SESS(c);
	uint64_t fdir, tdir, moved = 0, old = 0;
	const char *from, *to;
	size_t flen, tlen;
	fs_err_t err;

	WRITABLE();
	err = walk_parent(s, c->in.from, &fdir, &from, &flen);
	if (err == FS_OK)
		err = OPS->lookup(FS, fdir, from, flen, &moved);
	if (err == FS_OK)
		err = walk_parent(s, c->in.to, &tdir, &to, &tlen);
	if (err == FS_OK && OPS->lookup(FS, tdir, to, tlen, &old) != FS_OK)
		old = 0;
	/* a directory moved into itself or below is the back end's FS_E_LOOP */
	if (err == FS_OK)
		err = OPS->rename(FS, fdir, from, flen, tdir, to, tlen);
	if (err == FS_OK) {
		notify(s->srv, fdir, FS_EV_ENTRIES);
		if (tdir != fdir)
			notify(s->srv, tdir, FS_EV_ENTRIES);
		notify(s->srv, moved, FS_EV_ATTR);
		if (old && old != moved)
			notify_gone(s->srv, old);
	}
	c->out.err = err;
	return RPC_OK;
}

/* ---- RPC: changes through a handle ---- */

static rpc_status_t do_truncate(struct fs_truncate_rpc_call *c)
{
	SESS(c);
	struct fs_handle *h = handle_of(s, c->in.handle);
	fs_err_t err;

	if (!h)
		err = FS_E_INVAL;
	else if (!h->writable)
		err = s->writable ? FS_E_PERM : FS_E_ROFS;
	else if (c->in.size > FS_PKT_POS_MAX)
		err = FS_E_FBIG;
	else
		err = OPS->truncate(FS, h->ino, c->in.size);
	if (err == FS_OK)
		notify(s->srv, h->ino, FS_EV_DATA);
	c->out.err = err;
	return RPC_OK;
}

static rpc_status_t do_setattr(struct fs_setattr_rpc_call *c)
{
	SESS(c);
	struct fs_handle *h = handle_of(s, c->in.handle);
	struct fs_attr a = {
		.mask = (uint32_t)c->in.mask, .mode = (uint32_t)c->in.mode,
		.uid = (uint32_t)c->in.uid, .gid = (uint32_t)c->in.gid,
		.atime = (int64_t)c->in.atime, .mtime = (int64_t)c->in.mtime,
	};
	fs_err_t err;

	WRITABLE();
	if (!h)
		err = FS_E_INVAL;
	else if (c->in.mask > 0x1f || c->in.mode > 07777 || c->in.uid > UINT32_MAX ||
		 c->in.gid > UINT32_MAX)
		err = FS_E_INVAL;
	else
		err = OPS->setattr(FS, h->ino, &a);
	if (err == FS_OK)
		notify(s->srv, h->ino, FS_EV_ATTR);
	c->out.err = err;
	return RPC_OK;
}

static rpc_status_t do_sync(struct fs_sync_rpc_call *c)
{
	SESS(c);
	c->out.err = OPS->sync(FS);
	return RPC_OK;
}

static rpc_status_t do_statfs(struct fs_statfs_rpc_call *c)
{
	SESS(c);
	struct fs_statfs f;
	fs_err_t err = OPS->statfs(FS, &f);

	if (err == FS_OK) {
		c->out.block_size = f.block_size;
		c->out.blocks = f.blocks;
		c->out.blocks_free = f.blocks_free;
		c->out.files = f.files;
		c->out.files_free = f.files_free;
		c->out.readonly = f.readonly || !s->writable;
	}
	c->out.err = err;
	return RPC_OK;
}

static rpc_status_t do_watch(struct fs_watch_rpc_call *c)
{
	SESS(c);
	struct fs_handle *h = handle_of(s, c->in.handle);

	c->out.err = h && c->in.on <= 1 ? FS_OK : FS_E_INVAL;
	if (c->out.err == FS_OK) {
		h->watched = c->in.on;
		h->events = 0;
	}
	return RPC_OK;
}

static rpc_status_t do_watch_sigh(struct fs_watch_sigh_call *c)
{
	SESS(c);
	return rpc_take_sigh(c->in.ntfn, &s->watch_sigh, true);
}

static rpc_status_t do_changes(struct fs_changes_rpc_call *c)
{
	SESS(c);
	c->out.handle = FS_NO_HANDLE;
	for (unsigned i = 0; i < FS_SESSION_HANDLES; i++)
		if (s->h[i].used && s->h[i].events) {
			c->out.handle = i;
			c->out.events = s->h[i].events;
			s->h[i].events = 0;
			break;
		}
	c->out.err = FS_OK;
	return RPC_OK;
}

RPC_SERVER(fs_session, FS_RPC)

static const struct fs_session_server rpc_ops = {
	.fs_stream = do_stream,
	.fs_sigh = do_sigh,
	.fs_cap = do_cap,
	.fs_open_rpc = do_open,
	.fs_close_rpc = do_close,
	.fs_stat_rpc = do_stat,
	.fs_fstat_rpc = do_fstat,
	.fs_mkdir_rpc = do_mkdir,
	.fs_symlink_rpc = do_symlink,
	.fs_unlink_rpc = do_unlink,
	.fs_rename_rpc = do_rename,
	.fs_truncate_rpc = do_truncate,
	.fs_setattr_rpc = do_setattr,
	.fs_sync_rpc = do_sync,
	.fs_statfs_rpc = do_statfs,
	.fs_watch_rpc = do_watch,
	.fs_watch_sigh = do_watch_sigh,
	.fs_changes_rpc = do_changes,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	fs_session_dispatch(&rpc_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

/* ---- sessions ---- */

static void on_signal(void *arg)
{
	stream_pump(arg);
}

static void release(struct fs_sess *s)
{
	struct entrypoint *ep = s->srv->ss.ep;

	signal_handler_fini(ep, &s->submit_ready);
	signal_handler_fini(ep, &s->ack_slot_free);
	for (int i = 0; i < PS_CONDS; i++)
		cap_slot_free((cptr_t)s->peer.cap[i]);
	cap_slot_free(s->watch_sigh);
	if (s->mem)
		pd_detach(COMPONENT_PD, (word_t)s->mem);
	if (s->ds) {
		pd_free_ram(COMPONENT_PD, s->ds);
		cap_slot_free(s->ds);
	}
}

/* The policy for label: root and writable (RPC_E_DENIED: none). */
static rpc_status_t policy(struct fs_sess *s, const char *label)
{
	struct fs_server *srv = s->srv;
	const struct cfg_node *cfg = srv->config ? srv->config->node : 0, *p;
	const char *root;
	bool writable;
	fs_err_t err;

	for (p = cfg_child(cfg, "policy"); p; p = cfg_next(p, "policy"))
		if (policy_matches(p, label))
			break;
	if (!p)
		p = cfg_child(cfg, "default-policy");
	if (!p) {
		log("session '%s' denied: no policy", label);
		return RPC_E_DENIED;
	}
	root = cfg_attr(p, "root");
	if (cfg_attr_bool(p, "writable", false, &writable) < 0 ||
	    (root && strlen(root) > FS_PATH_MAX)) {
		log("session '%s' denied: bad policy (config line %u)", label, p->line);
		return RPC_E_DENIED;
	}
	s->writable = writable && !srv->readonly;
	err = srv->ops->root(srv->fs, &s->root);
	if (err == FS_OK && root)
		err = walk(s, root, true, &s->root);
	if (err == FS_OK) {
		struct fs_stat st;

		err = srv->ops->stat(srv->fs, s->root, &st);
		if (err == FS_OK && (st.mode & FS_IFMT) != FS_IFDIR)
			err = FS_E_NOTDIR;
	}
	if (err != FS_OK) {
		log("session '%s' denied: root '%s': %s", label, root ? root : "/", fs_err_name(err));
		return RPC_E_DENIED;
	}
	if (srv->verbose)
		log("session '%s': root '%s', %s", label, root ? root : "/",
		    s->writable ? "writable" : "read-only");
	return RPC_OK;
}

static rpc_status_t create(struct session_server *ss, struct server_session *sess,
			   const char *args)
{
	struct fs_server *srv = ss->data;
	struct fs_sess *s = (struct fs_sess *)sess;
	uint64_t size, slots;
	word_t addr;
	rpc_status_t st;

	s->srv = srv;
	s->submit_ready.bit = s->ack_slot_free.bit = -1;
	if (args_u64(args, "size", FS_STREAM_DEFAULT, &size) < 0 || size < 16384 ||
	    size > FS_STREAM_MAX || args_u64(args, "slots", 16, &slots) < 0 ||
	    slots < PS_MIN_SLOTS || slots > PS_MAX_SLOTS || (slots & (slots - 1)))
		return RPC_E_INVALID_ARGUMENT;
	st = policy(s, sess->label);
	if (st != RPC_OK)
		return st;
	size = PAGES(size) * 4096;
	if (!budget_take(&sess->budget, FS_SESSION_RAM(size), FS_SESSION_CAPS))
		return sess->budget.ram - sess->budget.ram_used < FS_SESSION_RAM(size)
			       ? RPC_E_NO_RAM_QUOTA : RPC_E_NO_CAP_QUOTA;
	s->size = size;
	st = pd_alloc_ram(COMPONENT_PD, size, &s->ds);
	if (st != RPC_OK) {
		s->ds = 0;
		return st;
	}
	st = pd_attach(COMPONENT_PD, s->ds, 0, 0, 0, ATTACH_WRITE, &addr);
	if (st != RPC_OK)
		goto fail;
	s->mem = (uint8_t *)addr;
	if (ps_format(s->mem, size, (uint32_t)slots) != PS_OK ||
	    ps_sink_init(&s->sink, s->mem, size, ps_signal_caps, &s->peer) != PS_OK) {
		st = RPC_E_INVALID_ARGUMENT;
		goto fail;
	}
	st = signal_handler_init(ss->ep, &s->submit_ready, on_signal, s);
	if (st == RPC_OK)
		st = signal_handler_init(ss->ep, &s->ack_slot_free, on_signal, s);
	if (st != RPC_OK)
		goto fail;
	srv->sessions++;
	return RPC_OK;
fail:
	release(s);
	return st;
}

static void destroy(struct session_server *ss, struct server_session *s)
{
	(void)ss;
	release((struct fs_sess *)s);
}

rpc_status_t fs_server_start(struct fs_server *srv, struct component_env *env,
			     const struct fs_ops *ops, void *fs, struct config_rom *config,
			     bool readonly)
{
	srv->ops = ops;
	srv->fs = fs;
	srv->config = config;
	srv->readonly = readonly;
	if (config && config->node)
		cfg_attr_bool(config->node, "verbose", false, &srv->verbose);
	srv->buf = malloc(FS_WALK_BUF);
	srv->link = malloc(FS_WALK_BUF);
	if (!srv->buf || !srv->link)
		return RPC_E_OUT_OF_MEMORY;
	srv->ss.service = FS_SERVICE;
	srv->ss.ep = &env->ep;
	srv->ss.size = sizeof(struct fs_sess);
	srv->ss.ram = FS_SESSION_BASE_RAM;
	srv->ss.caps = FS_SESSION_CAPS;
	srv->ss.create = create;
	srv->ss.destroy = destroy;
	srv->ss.rpc = session_rpc;
	srv->ss.data = srv;
	return session_server_announce(&srv->ss);
}

static void env_log(void *arg, const char *msg)
{
	(void)arg;
	log("%s", msg);
}

void fs_server_env(struct fs_env *env, int64_t (*now)(void *), void *arg)
{
	env->log = env_log;
	env->now = now;
	env->arg = arg;
}
