/*
 * The file-system server's insides (fs_server.h): a session's record and
 * handles, shared by the session code (fs_server.c), the path resolution
 * (fs_walk.h) and the packet stream (stream.c).
 */
#ifndef FS_SERVER_PRIVATE_H
#define FS_SERVER_PRIVATE_H

#include <fs_server.h>
#include <fs_walk.h>

struct fs_handle {
	bool used, writable, watched;
	uint32_t type;           /* FS_IFREG, FS_IFDIR, FS_IFLNK */
	uint64_t ino;
	uint64_t dir_index, dir_cookie;   /* where the last READDIR stopped */
	unsigned events;         /* news not yet fetched (FS_CHANGES) */
};

struct fs_sess {
	struct server_session ss;
	struct fs_server *srv;
	uint64_t root;
	bool writable;
	cptr_t ds;
	uint8_t *mem;
	word_t size;
	struct ps_sink sink;
	struct ps_caps peer;                 /* the client's notifications */
	struct signal_handler submit_ready, ack_slot_free;
	struct ps_desc pending;              /* an ack the full ack ring did not take yet */
	bool has_pending, dead_logged;
	cptr_t watch_sigh;
	struct fs_handle h[FS_SESSION_HANDLES];
};

/* fs_walk below the session's root (fs_server.c) */
fs_err_t walk(struct fs_sess *s, const char *path, bool follow, uint64_t *ino);
fs_err_t walk_parent(struct fs_sess *s, const char *path, uint64_t *dir, const char **name,
		     size_t *len);

/* fs_server.c */
struct fs_handle *handle_of(struct fs_sess *s, word_t h);
/* Note news for every watched handle on ino, in every session. */
void notify(struct fs_server *srv, uint64_t ino, unsigned events);

/* stream.c: take and answer what the client submitted. */
void stream_pump(struct fs_sess *s);

#endif
