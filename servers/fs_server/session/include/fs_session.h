/*
 * The File_system session (docs/storage.md, "File systems"): files and
 * directories of one file system, served by a file-system server (the
 * server library lib/fs_server over a back end: ram_fs, ext2_fs, fat_fs).
 *
 * Names travel as paths in RPC requests ("/a/b/c", relative to the root
 * that the server's policy gave the session; "." and ".." are resolved by
 * the server and ".." never leaves that root; symbolic links are followed
 * inside it, an absolute target from the session's root). Paths are at
 * most FS_SESSION_PATH_MAX bytes. Metadata operations are RPCs answered
 * at once; every one answers RPC_OK with an fs_err_t in its first result
 * word `err` (a malformed request alone is RPC_E_INVALID_ARGUMENT).
 *
 * File data, directory entries and link targets go through a packet
 * stream (argil/packet_stream.h): the client is the source, the server the
 * sink; the server allocates the dataspace from the session's donation.
 * A descriptor:
 *
 *   opcode  FS_OP_READ, FS_OP_WRITE, FS_OP_READDIR, FS_OP_READLINK
 *   arg     FS_PKT_ARG(handle, position): the handle (16 bits) and a
 *           position (48 bits): the byte offset for READ and WRITE, the
 *           index of the first directory entry for READDIR, 0 for READLINK
 *   offset, size   the payload: READ, READDIR, READLINK fill it (the
 *           acknowledgement's size says how many bytes: less than asked
 *           only at the end of the file, 0 at its end; READDIR whole
 *           records of struct fs_session_dirent, 0: no entry at that
 *           index), WRITE takes it (the acknowledgement's size says how
 *           many bytes were written)
 *   status  PS_STATUS_OK, PS_STATUS_BAD_DESC, PS_STATUS_BAD_OPCODE, or
 *           FS_STATUS(err) for an fs_err_t (FS_STATUS_ERR(status) gives
 *           it back)
 *
 * Handles (FS_OPEN) are numbers local to the session, at most
 * FS_SESSION_HANDLES open at a time (FS_E_NOMEM beyond); one names a file,
 * a directory or a symbolic link (FS_OPEN_NOFOLLOW). A handle whose file
 * was removed meanwhile answers FS_E_STALE. A number that names no open
 * handle is FS_E_INVAL, for RPCs and packets alike.
 *
 *   FS_STREAM   -> cap: the stream's dataspace (RAM, writable), w0 size
 *   FS_SIGH     w0 condition (PS_ACK_READY or PS_SUBMIT_SLOT_FREE), cap:
 *               the client's notification for it
 *   FS_CAP      w0 condition (PS_SUBMIT_READY or PS_ACK_SLOT_FREE)
 *               -> cap: the server's notification for it
 *   FS_OPEN     w0 flags (enum fs_open_flags), w1 mode (permission bits
 *               of a new file), str path -> err, w1 handle
 *   FS_CLOSE    w0 handle -> err
 *   FS_STAT     w0 flags (FS_OPEN_NOFOLLOW or 0), str path -> err, stat
 *   FS_FSTAT    w0 handle -> err, stat
 *   FS_MKDIR    w0 mode, str path -> err
 *   FS_SYMLINK  str path, str target -> err
 *   FS_UNLINK   str path -> err (a file, a link, or an empty directory)
 *   FS_RENAME   str from, str to -> err
 *   FS_TRUNCATE w0 handle, w1 size -> err (the handle opened for writing)
 *   FS_SETATTR  w0 handle, w1 mask (enum fs_attr_mask), w2 mode, w3 uid,
 *               w4 gid, w5 atime, w6 mtime -> err
 *   FS_SYNC     -> err (everything written is on the medium)
 *   FS_STATFS   -> err, w1 block size, w2 blocks, w3 free, w4 files,
 *               w5 free files, w6 1: read-only (for this session)
 *   FS_WATCH    w0 handle, w1 1: watch / 0: stop -> err
 *   FS_WATCH_SIGH  cap: notification signalled when a watched handle has
 *               news (also when more news arrive before FS_CHANGES)
 *   FS_CHANGES  -> err, w1 handle (FS_NO_HANDLE: none), w2 events (enum
 *               fs_events): the next handle with news, whose news are
 *               then cleared
 *
 * Writes (WRITE, TRUNCATE, SETATTR, OPEN with FS_OPEN_CREATE or
 * FS_OPEN_TRUNC or FS_OPEN_WRITE, MKDIR, SYMLINK, UNLINK, RENAME) on a
 * session that its policy makes read-only are FS_E_ROFS.
 *
 * Session arguments: "size=N" (bytes of the stream's dataspace, default
 * FS_STREAM_DEFAULT, 16 KiB .. FS_STREAM_MAX), "slots=N" (per ring,
 * default 16). Quota: FS_SESSION_RAM(size) and FS_SESSION_CAPS.
 */
#ifndef FS_SESSION_H
#define FS_SESSION_H

#include <argil/packet_stream.h>
#include <argil/rpc_gen.h>
#include <argil/session_server.h>
#include <fs.h>
#include <stdint.h>

#define FS_SERVICE "File_system"
#define FS_SESSION_PATH_MAX 440u    /* two paths fit into one request */
#define FS_SESSION_HANDLES 64u
#define FS_NO_HANDLE 0xffffu
#define FS_STREAM_DEFAULT (128ul << 10)
#define FS_STREAM_MAX (4ul << 20)
#define FS_SESSION_BASE_RAM 16384ul  /* the record with its handles, and slots */
#define FS_SESSION_RAM(bytes) (FS_SESSION_BASE_RAM + DS_COST(PAGES(bytes)))
#define FS_SESSION_CAPS 10ul

enum fs_pkt_op {
	FS_OP_READ = 1,
	FS_OP_WRITE = 2,
	FS_OP_READDIR = 3,
	FS_OP_READLINK = 4,
};

/* A packet's arg: the handle in the top 16 bits, a position below. */
#define FS_PKT_POS_BITS 48
#define FS_PKT_POS_MAX ((1ull << FS_PKT_POS_BITS) - 1)
static inline uint64_t FS_PKT_ARG(unsigned handle, uint64_t pos)
{
	return (uint64_t)(handle & 0xffffu) << FS_PKT_POS_BITS | (pos & FS_PKT_POS_MAX);
}
static inline unsigned fs_pkt_handle(uint64_t arg) { return (unsigned)(arg >> FS_PKT_POS_BITS); }
static inline uint64_t fs_pkt_pos(uint64_t arg) { return arg & FS_PKT_POS_MAX; }

/* The status of an acknowledgement that failed with an fs_err_t. */
#define FS_STATUS_BASE 16u
#define FS_STATUS(err) ((uint16_t)(FS_STATUS_BASE + (unsigned)(err)))
static inline fs_err_t FS_STATUS_ERR(uint16_t status)
{
	if (status == PS_STATUS_OK)
		return FS_OK;
	if (status > FS_STATUS_BASE && status <= FS_STATUS_BASE + FS_E_PERM)
		return (fs_err_t)(status - FS_STATUS_BASE);
	return FS_E_INVAL;  /* the stream refused the descriptor itself */
}

enum fs_open_flags {
	FS_OPEN_WRITE = 1u << 0,     /* write through the handle too */
	FS_OPEN_CREATE = 1u << 1,    /* create a file if the name is free */
	FS_OPEN_EXCL = 1u << 2,      /* with CREATE: FS_E_EXIST if it exists */
	FS_OPEN_TRUNC = 1u << 3,     /* truncate to 0 (implies WRITE) */
	FS_OPEN_NOFOLLOW = 1u << 4,  /* a link at the end of the path is opened itself */
	FS_OPEN_FLAGS = 0x1fu,
};

enum fs_events {
	FS_EV_DATA = 1u << 0,        /* a file's data or size changed */
	FS_EV_ENTRIES = 1u << 1,     /* a directory gained, lost or renamed an entry */
	FS_EV_ATTR = 1u << 2,        /* mode, owner or times were set */
	FS_EV_REMOVED = 1u << 3,     /* the watched file or directory is gone */
};

/* One READDIR record in the payload; records follow each other at
 * reclen (a multiple of 8) bytes. */
struct fs_session_dirent {
	uint64_t ino;
	uint32_t type;               /* FS_IFREG, FS_IFDIR, FS_IFLNK, 0 */
	uint16_t len;                /* of name, without the NUL */
	uint16_t reclen;
	char name[];                 /* len bytes and a NUL */
};
#define FS_DIRENT_RECLEN(len) ((uint16_t)((sizeof(struct fs_session_dirent) + (len) + 1 + 7) & ~7u))

#define FS_STAT_OUT                                                                     \
	(WORD, err), (WORD, ino), (WORD, size), (WORD, blocks), (WORD, mode), (WORD, nlink), \
	(WORD, uid), (WORD, gid), (WORD, atime), (WORD, mtime), (WORD, ctime)

#define FS_RPC(OP, OPS)                                                                 \
	OP(fs_stream, FS_STREAM, 1, (), ((CAP, ds), (WORD, size)))                      \
	OP(fs_sigh, FS_SIGH, 2, ((WORD_REQ, cond), (CAP, ntfn)), ())                    \
	OP(fs_cap, FS_CAP, 3, ((WORD_REQ, cond)), ((CAP, ntfn)))                        \
	OP(fs_open_rpc, FS_OPEN, 4,                                                     \
	   ((WORD_REQ, flags), (WORD_REQ, mode), (STR, path, FS_SESSION_PATH_MAX + 1)),  \
	   ((WORD, err), (WORD, handle)))                                               \
	OP(fs_close_rpc, FS_CLOSE, 5, ((WORD_REQ, handle)), ((WORD, err)))              \
	OPS(fs_stat_rpc, FS_STAT, 6, ((WORD_REQ, flags), (STR, path, FS_SESSION_PATH_MAX + 1)), \
	    fs_stat_words, (FS_STAT_OUT))                                               \
	OPS(fs_fstat_rpc, FS_FSTAT, 7, ((WORD_REQ, handle)), fs_fstat_words, (FS_STAT_OUT)) \
	OP(fs_mkdir_rpc, FS_MKDIR, 8, ((WORD_REQ, mode), (STR, path, FS_SESSION_PATH_MAX + 1)), \
	   ((WORD, err)))                                                               \
	OP(fs_symlink_rpc, FS_SYMLINK, 9,                                               \
	   ((STR, path, FS_SESSION_PATH_MAX + 1), (STR, target, FS_SESSION_PATH_MAX + 1)), \
	   ((WORD, err)))                                                               \
	OP(fs_unlink_rpc, FS_UNLINK, 10, ((STR, path, FS_SESSION_PATH_MAX + 1)), ((WORD, err))) \
	OP(fs_rename_rpc, FS_RENAME, 11,                                                \
	   ((STR, from, FS_SESSION_PATH_MAX + 1), (STR, to, FS_SESSION_PATH_MAX + 1)),   \
	   ((WORD, err)))                                                               \
	OP(fs_truncate_rpc, FS_TRUNCATE, 12, ((WORD_REQ, handle), (WORD_REQ, size)),    \
	   ((WORD, err)))                                                               \
	OP(fs_setattr_rpc, FS_SETATTR, 13,                                              \
	   ((WORD_REQ, handle), (WORD_REQ, mask), (WORD, mode), (WORD, uid), (WORD, gid), \
	    (WORD, atime), (WORD, mtime)),                                              \
	   ((WORD, err)))                                                               \
	OP(fs_sync_rpc, FS_SYNC, 14, (), ((WORD, err)))                                 \
	OP(fs_statfs_rpc, FS_STATFS, 15, (),                                            \
	   ((WORD, err), (WORD, block_size), (WORD, blocks), (WORD, blocks_free),       \
	    (WORD, files), (WORD, files_free), (WORD, readonly)))                       \
	OP(fs_watch_rpc, FS_WATCH, 16, ((WORD_REQ, handle), (WORD_REQ, on)), ((WORD, err))) \
	OP(fs_watch_sigh, FS_WATCH_SIGH, 17, ((CAP, ntfn)), ())                         \
	OP(fs_changes_rpc, FS_CHANGES, 18, (), ((WORD, err), (WORD, handle), (WORD, events)))
RPC_INTERFACE(fs_session, FS_RPC);

/* ---- the client library (fs_session.c) ----
 *
 * A connection: the session, its stream attached, and a notification of
 * the client's own on which it waits for acknowledgements (the calls
 * block the calling thread; one thread per connection at a time). Every
 * call returns an fs_err_t; a failure of the session itself (the server
 * gone, a reply out of shape) is FS_E_IO. */
struct fs_conn {
	cptr_t session;
	word_t id;                   /* at the parent (0: not opened through it) */
	cptr_t ds;
	uint8_t *mem;
	word_t size;
	struct ps_source src;
	struct ps_caps server;       /* the server's notifications */
	cptr_t ntfn;                 /* ours, for both of our conditions */
	uint64_t tag;
};

/* Open a session through the parent (label, stream size 0: default). */
fs_err_t fs_connect(struct fs_conn *c, const char *label, word_t stream_size);
/* Set up a connection over a session opened otherwise (a test's). */
fs_err_t fs_conn_init(struct fs_conn *c, cptr_t session);
/* Release what the connection holds (and the session, if fs_connect
 * opened it). */
void fs_disconnect(struct fs_conn *c);

fs_err_t fs_open(struct fs_conn *c, const char *path, unsigned flags, uint32_t mode,
		 unsigned *handle);
fs_err_t fs_close(struct fs_conn *c, unsigned handle);
fs_err_t fs_stat(struct fs_conn *c, const char *path, unsigned flags, struct fs_stat *st);
fs_err_t fs_fstat(struct fs_conn *c, unsigned handle, struct fs_stat *st);
fs_err_t fs_mkdir(struct fs_conn *c, const char *path, uint32_t mode);
fs_err_t fs_symlink(struct fs_conn *c, const char *path, const char *target);
/* The target of the link at path into buf (NUL-terminated), *len its length. */
fs_err_t fs_readlink(struct fs_conn *c, const char *path, char *buf, size_t size, size_t *len);
fs_err_t fs_unlink(struct fs_conn *c, const char *path);
fs_err_t fs_rename(struct fs_conn *c, const char *from, const char *to);
fs_err_t fs_truncate(struct fs_conn *c, unsigned handle, uint64_t size);
fs_err_t fs_setattr(struct fs_conn *c, unsigned handle, const struct fs_attr *a);
fs_err_t fs_sync(struct fs_conn *c);
fs_err_t fs_statfs(struct fs_conn *c, struct fs_statfs *s);
fs_err_t fs_watch(struct fs_conn *c, unsigned handle, bool on);
fs_err_t fs_changes(struct fs_conn *c, unsigned *handle, unsigned *events);

/* Data: any length (split into packets as the stream allows); *done is
 * what was read (less only at the end of the file) or written. */
fs_err_t fs_read(struct fs_conn *c, unsigned handle, uint64_t pos, void *buf, size_t len,
		 size_t *done);
fs_err_t fs_write(struct fs_conn *c, unsigned handle, uint64_t pos, const void *buf, size_t len,
		  size_t *done);
/* The directory entry at index (of a handle on a directory); *end when
 * there is none. */
fs_err_t fs_readdir(struct fs_conn *c, unsigned handle, uint64_t index, struct fs_dirent *ent,
		    bool *end);

/* One packet, waiting for its acknowledgement: for callers that build
 * their own (tests). d->offset and d->size name an allocated packet. */
fs_err_t fs_transact(struct fs_conn *c, struct ps_desc *d);

#endif
