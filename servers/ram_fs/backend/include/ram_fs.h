/*
 * ram_fs's back end (docs/storage.md, "ram_fs"): a file system in memory
 * behind struct fs_ops (fs.h), for the ram_fs component, lib/vfs's ram
 * mounts and the host tests.
 *
 * Every byte it holds for the file system (nodes, names, directory
 * tables, data pages, link targets) is counted against the quota given
 * at mount; what would exceed it is FS_E_NOSPC (a write stops at the page
 * that does not fit), and the count falls again when things are removed.
 * Data is kept in 4 KiB pages allocated when first written: holes cost
 * nothing and read as zeros. Inode numbers are never reused while the
 * file system is mounted (a slot and a generation), so a number whose
 * node was removed is FS_E_STALE, never another file.
 */
#ifndef RAM_FS_H
#define RAM_FS_H

#include <fs.h>

#define RAM_FS_PAGE 4096u
#define RAM_FS_MAX_FILE (1ull << 40)     /* FS_E_FBIG beyond */
#define RAM_FS_MAX_NODES (1u << 24)

extern const struct fs_ops ram_fs_ops;

/* A fresh file system with an empty root directory; quota in bytes
 * (at least RAM_FS_MIN_QUOTA). flags: enum fs_mount_flags. env may be
 * NULL (no log, times 0); it must outlive the file system. */
#define RAM_FS_MIN_QUOTA 4096u
fs_err_t ram_fs_mount(void **fs, uint64_t quota, uint32_t flags, const struct fs_env *env);

/* Bytes counted against the quota now. */
uint64_t ram_fs_used(void *fs);

#endif
