/*
 * lib/fs: what every file system of Argil shares (docs/storage.md).
 *
 * A file system back end (ext2, fat, ram) implements struct fs_ops over
 * inode numbers; the one file-system server (servers/fs_server) serves
 * File_system sessions over any back end, and the host tests and fuzzers
 * drive the same back ends directly. Back ends that live on a disk do
 * their I/O through struct blk_dev (on the host: a file; in Argil: a Block
 * session) and cache metadata in a struct bcache (bcache.h).
 *
 * The code builds both freestanding (components) and hosted (host tests,
 * libFuzzer): it uses malloc/free and the mem and str functions, which
 * both have, and nothing else from a C library.
 *
 * Trust: a back end trusts nothing it reads from the disk. A value out of
 * range (a block number beyond the device, a directory entry that leaves
 * its block, a loop, a count that disagrees) is FS_E_CORRUPT for the
 * operation that met it, with a line through the log function, never a
 * crash, a hang or a write outside the file system. Names come from
 * clients: a back end checks their length (FS_NAME_MAX) and refuses '/'
 * and NUL in them, and "." and ".." as names to create, link or remove.
 */
#ifndef FS_H
#define FS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if __STDC_HOSTED__
#include <stdlib.h>
#include <string.h>
#else
#include <argil/heap.h>
#include <argil/string.h>
#endif

typedef enum fs_err {
	FS_OK = 0,
	FS_E_NOENT = 1,          /* no such name */
	FS_E_EXIST = 2,          /* the name exists */
	FS_E_NOTDIR = 3,         /* not a directory */
	FS_E_ISDIR = 4,          /* is a directory */
	FS_E_NOTEMPTY = 5,       /* directory not empty */
	FS_E_NOSPC = 6,          /* no free block or inode */
	FS_E_IO = 7,             /* the device failed */
	FS_E_CORRUPT = 8,        /* the disk holds something impossible */
	FS_E_ROFS = 9,           /* mounted read-only */
	FS_E_NAMETOOLONG = 10,
	FS_E_INVAL = 11,         /* a bad argument */
	FS_E_NOMEM = 12,
	FS_E_UNSUPPORTED = 13,   /* the file system cannot do that (FAT: symlinks) */
	FS_E_LOOP = 14,          /* too many symlinks, or a directory moved into itself */
	FS_E_FBIG = 15,          /* beyond the largest file */
	FS_E_MLINK = 16,         /* too many links */
	FS_E_STALE = 17,         /* the inode was removed meanwhile */
	FS_E_PERM = 18,          /* not allowed (a policy of the server) */
} fs_err_t;

/* "ok", "no such file or directory", ...; never NULL. */
const char *fs_err_name(fs_err_t e);

/* The file's type in fs_stat.mode (the POSIX values). */
#define FS_IFMT   0170000u
#define FS_IFREG  0100000u
#define FS_IFDIR  0040000u
#define FS_IFLNK  0120000u
#define FS_NAME_MAX 255u
#define FS_PATH_MAX 4096u

struct fs_stat {
	uint64_t ino;
	uint64_t size;           /* bytes */
	uint64_t blocks;         /* 512-byte units allocated */
	uint32_t mode;           /* type | permission bits (07777) */
	uint32_t nlink;
	uint32_t uid, gid;
	int64_t atime, mtime, ctime;   /* seconds since 1970 (UTC) */
};

struct fs_dirent {
	uint64_t ino;
	uint32_t type;           /* FS_IFREG, FS_IFDIR, FS_IFLNK (0: unknown) */
	uint32_t len;            /* of name */
	char name[FS_NAME_MAX + 1];   /* NUL-terminated */
};

/* What setattr changes: the fields whose bit is in mask. */
enum fs_attr_mask {
	FS_ATTR_MODE = 1u << 0,  /* permission bits only; the type stays */
	FS_ATTR_UID = 1u << 1,
	FS_ATTR_GID = 1u << 2,
	FS_ATTR_ATIME = 1u << 3,
	FS_ATTR_MTIME = 1u << 4,
};
struct fs_attr {
	uint32_t mask;
	uint32_t mode, uid, gid;
	int64_t atime, mtime;
};

struct fs_statfs {
	uint32_t block_size;
	uint64_t blocks, blocks_free;
	uint64_t files, files_free;
	bool readonly;
};

/*
 * A back end. fs is what its mount function returned. Names are (pointer,
 * length) pairs, not NUL-terminated. Directories list neither "." nor "..".
 * New files, directories and symlinks get uid/gid 0 and the times of
 * fs_env.now(); writes set mtime and ctime. A write or truncate beyond the
 * end leaves a hole that reads as zeros (sparse where the format can).
 * An inode whose last link is removed is freed at once: later calls on its
 * number are FS_E_STALE (or FS_E_NOENT), never another file's data.
 */
struct fs_ops {
	const char *name;        /* "ext2", "fat", "ram" */
	fs_err_t (*root)(void *fs, uint64_t *ino);
	fs_err_t (*lookup)(void *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino);
	fs_err_t (*stat)(void *fs, uint64_t ino, struct fs_stat *st);
	/* *done < len only at the end of the file */
	fs_err_t (*read)(void *fs, uint64_t ino, uint64_t off, void *buf, size_t len, size_t *done);
	/* *done < len only when the disk is full (then FS_E_NOSPC if *done is 0) */
	fs_err_t (*write)(void *fs, uint64_t ino, uint64_t off, const void *buf, size_t len,
			  size_t *done);
	fs_err_t (*truncate)(void *fs, uint64_t ino, uint64_t size);
	/* mode: FS_IFREG or FS_IFDIR | permission bits */
	fs_err_t (*create)(void *fs, uint64_t dir, const char *name, size_t len, uint32_t mode,
			   uint64_t *ino);
	fs_err_t (*symlink)(void *fs, uint64_t dir, const char *name, size_t len,
			    const char *target, size_t target_len, uint64_t *ino);
	fs_err_t (*readlink)(void *fs, uint64_t ino, char *buf, size_t size, size_t *len);
	fs_err_t (*link)(void *fs, uint64_t dir, const char *name, size_t len, uint64_t ino);
	/* removes a non-directory, or an empty directory */
	fs_err_t (*unlink)(void *fs, uint64_t dir, const char *name, size_t len);
	/* replaces an existing target of the same kind (an empty directory for
	 * a directory); a directory may not move below itself (FS_E_LOOP) */
	fs_err_t (*rename)(void *fs, uint64_t from_dir, const char *from, size_t from_len,
			   uint64_t to_dir, const char *to, size_t to_len);
	/* the entry after *cookie (0: the first); *end at the end (ent unset) */
	fs_err_t (*readdir)(void *fs, uint64_t dir, uint64_t *cookie, struct fs_dirent *ent,
			    bool *end);
	fs_err_t (*setattr)(void *fs, uint64_t ino, const struct fs_attr *a);
	fs_err_t (*statfs)(void *fs, struct fs_statfs *s);
	/* everything written so far is on the medium when it returns */
	fs_err_t (*sync)(void *fs);
	/* writes back what is dirty, then frees everything */
	fs_err_t (*unmount)(void *fs);
};

/* What a back end needs from its surroundings. */
struct fs_env {
	void (*log)(void *arg, const char *msg);   /* one line, no newline */
	int64_t (*now)(void *arg);                 /* seconds since 1970 (UTC) */
	void *arg;
};

/* Format a line and pass it to env->log (a NULL env or log: dropped). */
void fs_log(const struct fs_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int64_t fs_now(const struct fs_env *env);

/* A block device: on the host a file (tests, fuzzers), in Argil a Block
 * session (servers/block/session). Requests are synchronous. */
struct blk_dev {
	uint32_t block_size;     /* a power of two, 512 .. 65536 */
	uint64_t count;          /* blocks */
	bool writable;
	void *ctx;
	fs_err_t (*read)(void *ctx, uint64_t block, uint32_t n, void *buf);
	fs_err_t (*write)(void *ctx, uint64_t block, uint32_t n, const void *buf);
	/* everything written before is on the medium */
	fs_err_t (*sync)(void *ctx);
};

/* Mount options of every back end. */
enum fs_mount_flags {
	FS_MOUNT_READONLY = 1u << 0,
};

/* Checks a name given by a client (1..FS_NAME_MAX bytes, no '/' or NUL;
 * "." and ".." only if dots_ok). */
fs_err_t fs_check_name(const char *name, size_t len, bool dots_ok);

#endif
