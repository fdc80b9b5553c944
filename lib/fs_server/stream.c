/*
 * The packet stream of a File_system session (fs_session.h), the server
 * being its sink: READ, WRITE, READDIR and READLINK packets, each carried
 * out at once on the back end and acknowledged. The client is trusted for
 * nothing: the packet stream library rejects a descriptor outside the
 * payload area (acknowledged as PS_STATUS_BAD_DESC, its payload never
 * touched), the handle in a packet is looked up in the session's table,
 * and an index the client moved impossibly ends this session's stream
 * only (logged once).
 */
#include <argil/log.h>
#include "fs_server_private.h"

static fs_err_t do_read(struct fs_sess *s, struct fs_handle *h, struct ps_desc *d)
{
	size_t done = 0;
	fs_err_t err;

	if (h->type == FS_IFDIR)
		return FS_E_ISDIR;
	if (h->type != FS_IFREG)
		return FS_E_INVAL;
	if (!d->size)
		return FS_OK;   /* nothing asked: the back end is not bothered */
	err = s->srv->ops->read(s->srv->fs, h->ino, fs_pkt_pos(d->arg), ps_payload(&s->sink.e, d),
				d->size, &done);
	d->size = err == FS_OK && done <= d->size ? (uint32_t)done : 0;
	return err;
}

static fs_err_t do_write(struct fs_sess *s, struct fs_handle *h, struct ps_desc *d)
{
	size_t done = 0;
	fs_err_t err;

	if (!h->writable)
		return s->writable ? FS_E_PERM : FS_E_ROFS;
	if (h->type != FS_IFREG)
		return h->type == FS_IFDIR ? FS_E_ISDIR : FS_E_INVAL;
	if (fs_pkt_pos(d->arg) + d->size > FS_PKT_POS_MAX)
		return FS_E_FBIG;
	if (!d->size)
		return FS_OK;
	err = s->srv->ops->write(s->srv->fs, h->ino, fs_pkt_pos(d->arg), ps_payload(&s->sink.e, d),
				 d->size, &done);
	d->size = err == FS_OK && done <= d->size ? (uint32_t)done : 0;
	if (done)
		notify(s->srv, h->ino, FS_EV_DATA);
	return err;
}

/* Entries from index on, whole records while they fit. The handle keeps
 * where the last call stopped, so that reading a directory in order costs
 * one back-end step an entry. */
static fs_err_t do_readdir(struct fs_sess *s, struct fs_handle *h, struct ps_desc *d)
{
	const struct fs_ops *ops = s->srv->ops;
	uint64_t index = fs_pkt_pos(d->arg), cookie, i;
	uint8_t *out = ps_payload(&s->sink.e, d);
	uint32_t used = 0;
	struct fs_dirent ent;
	bool end = false;
	fs_err_t err;

	if (h->type != FS_IFDIR)
		return FS_E_NOTDIR;
	if (index == h->dir_index && index) {
		cookie = h->dir_cookie;
		i = index;
	} else {
		cookie = 0;
		for (i = 0; i < index; i++) {
			err = ops->readdir(s->srv->fs, h->ino, &cookie, &ent, &end);
			if (err != FS_OK)
				return err;
			if (end)
				break;
		}
	}
	while (!end) {
		uint64_t before = cookie;
		struct fs_session_dirent *r = (void *)(out + used);
		uint16_t reclen;

		err = ops->readdir(s->srv->fs, h->ino, &cookie, &ent, &end);
		if (err != FS_OK)
			return err;
		if (end)
			break;
		if (ent.len > FS_NAME_MAX)
			return FS_E_CORRUPT;
		reclen = FS_DIRENT_RECLEN(ent.len);
		if (reclen > d->size - used) {
			cookie = before;   /* this one again next time */
			if (!used)
				return FS_E_INVAL;   /* the packet holds no record */
			break;
		}
		memset(r, 0, reclen);
		r->ino = ent.ino;
		r->type = ent.type;
		r->len = (uint16_t)ent.len;
		r->reclen = reclen;
		memcpy(r->name, ent.name, ent.len);
		used += reclen;
		i++;
	}
	h->dir_index = i;
	h->dir_cookie = cookie;
	d->size = used;
	return FS_OK;
}

static fs_err_t do_readlink(struct fs_sess *s, struct fs_handle *h, struct ps_desc *d)
{
	size_t len = 0;
	fs_err_t err;

	if (h->type != FS_IFLNK || !d->size)
		return FS_E_INVAL;
	err = s->srv->ops->readlink(s->srv->fs, h->ino, ps_payload(&s->sink.e, d), d->size, &len);
	d->size = err == FS_OK && len <= d->size ? (uint32_t)len : 0;
	return err;
}

static void execute(struct fs_sess *s, struct ps_desc *d)
{
	struct fs_handle *h = handle_of(s, fs_pkt_handle(d->arg));
	fs_err_t err;

	if (d->opcode < FS_OP_READ || d->opcode > FS_OP_READLINK) {
		d->status = PS_STATUS_BAD_OPCODE;
		d->size = 0;
		return;
	}
	if (!h) {
		d->size = 0;
		d->status = FS_STATUS(FS_E_INVAL);
		return;
	}
	switch (d->opcode) {
	case FS_OP_READ: err = do_read(s, h, d); break;
	case FS_OP_WRITE: err = do_write(s, h, d); break;
	case FS_OP_READDIR: err = do_readdir(s, h, d); break;
	default: err = do_readlink(s, h, d); break;
	}
	if (err != FS_OK)
		d->size = 0;
	d->status = err == FS_OK ? PS_STATUS_OK : FS_STATUS(err);
}

void stream_pump(struct fs_sess *s)
{
	struct ps_desc d;
	ps_error_t err;

	for (;;) {
		if (s->has_pending) {
			err = ps_ack(&s->sink, &s->pending);
			if (err == PS_E_FULL)
				return;   /* its slot-free signal brings us back */
			if (err != PS_OK)
				goto dead;
			s->has_pending = false;
		}
		err = ps_get_packet(&s->sink, &d);
		if (err == PS_E_EMPTY)
			return;
		if (err == PS_E_BAD_DESC) {
			d.size = 0;
			d.status = PS_STATUS_BAD_DESC;
		} else if (err != PS_OK) {
			goto dead;
		} else {
			execute(s, &d);
		}
		s->pending = d;
		s->has_pending = true;
	}
dead:
	if (!s->dead_logged)
		log("session '%s': stream dead: %s", s->ss.label, ps_error_name(err));
	s->dead_logged = true;
}
