/*
 * lib/vfs (docs/storage.md, "The VFS"): one path name space for a
 * component over a mount table from its config:
 *
 *   <vfs>
 *     <fs  path="/data" label="data" size="128K"/>  a File_system session
 *     <ram path="/tmp" quota="1M"/>                 a file system in memory
 *     <rom path="/etc/config" name="config"/>       a ROM as a read-only file
 *     <log path="/dev/log"/>                        lines written go to the LOG
 *   </vfs>
 *
 * fs: a session (fs_session.h) labelled label= (default: the path without
 * its '/'), with a stream of size= bytes (default FS_STREAM_DEFAULT); what
 * it may do is the server's policy. ram: ram_fs's back end in the
 * component's own memory, at most quota= bytes (default 1M). rom: the
 * whole ROM; it is read once, at mount. log: a write-only file; every
 * line written becomes a LOG line (a line longer than VFS_LOG_LINE is cut
 * into pieces).
 *
 * A path is absolute; "." and ".." are resolved by name before the mount
 * is chosen (".." at "/" stays there). The mount is the one whose path is
 * the longest prefix of the path (at a '/'); the directories above mount
 * points exist as read-only directories that list them. A rename between
 * two mounts is FS_E_UNSUPPORTED. Errors are fs_err_t; a mount table
 * with an error is refused as a whole, with a log line naming it.
 *
 * Files are numbers (VFS_FILES at a time) with a position each; read and
 * write move it. readdir reads the next entry of a directory opened with
 * vfs_open. One thread at a time.
 */
#ifndef VFS_H
#define VFS_H

#include <argil/config.h>
#include <argil/rom.h>
#include <fs.h>
#include <fs_session.h>
#include <fs_walk.h>

#define VFS_FILES 32
#define VFS_MOUNTS 16
#define VFS_MOUNT_PATH 128
#define VFS_LOG_LINE 160

enum vfs_kind { VFS_FS, VFS_RAM, VFS_ROM, VFS_LOG };

struct vfs_mount {
	enum vfs_kind kind;
	char path[VFS_MOUNT_PATH];   /* normalised; "" for "/" */
	size_t plen;
	struct fs_conn conn;         /* VFS_FS */
	struct fs_walker w;          /* VFS_RAM: back end, fs, root */
	struct attached_rom rom;     /* VFS_ROM */
	char line[VFS_LOG_LINE + 1]; /* VFS_LOG: the line not yet ended */
	size_t llen;
};

struct vfs_file {
	bool used, writable;
	struct vfs_mount *m;         /* NULL: a directory above mount points */
	uint64_t pos;                /* bytes; entries for directories */
	uint32_t type;
	unsigned handle;             /* VFS_FS */
	uint64_t ino, cookie;        /* VFS_RAM (cookie: of entry pos - 1) */
	char *vdir;                  /* a directory above mount points: its path */
};

struct vfs {
	struct vfs_mount m[VFS_MOUNTS];
	unsigned nmounts;
	struct vfs_file f[VFS_FILES];
	char *buf, *link;            /* walker scratch */
	char path[FS_PATH_MAX + 1], path2[FS_PATH_MAX + 1];
	struct fs_env env;
};

enum vfs_whence { VFS_SEEK_SET, VFS_SEEK_CUR, VFS_SEEK_END };

/* Mount what the <vfs> node describes (NULL: nothing). */
fs_err_t vfs_init(struct vfs *v, const struct cfg_node *vfs_node);
/* Close every file, sync and unmount every mount. */
void vfs_fini(struct vfs *v);

/* flags: enum fs_open_flags (fs_session.h); *fd the file's number. */
fs_err_t vfs_open(struct vfs *v, const char *path, unsigned flags, uint32_t mode, int *fd);
fs_err_t vfs_close(struct vfs *v, int fd);
fs_err_t vfs_read(struct vfs *v, int fd, void *buf, size_t len, size_t *done);
fs_err_t vfs_write(struct vfs *v, int fd, const void *buf, size_t len, size_t *done);
fs_err_t vfs_seek(struct vfs *v, int fd, int64_t off, enum vfs_whence whence, uint64_t *pos);
fs_err_t vfs_readdir(struct vfs *v, int fd, struct fs_dirent *ent, bool *end);
fs_err_t vfs_fstat(struct vfs *v, int fd, struct fs_stat *st);
fs_err_t vfs_stat(struct vfs *v, const char *path, struct fs_stat *st);
fs_err_t vfs_mkdir(struct vfs *v, const char *path, uint32_t mode);
fs_err_t vfs_unlink(struct vfs *v, const char *path);
fs_err_t vfs_rename(struct vfs *v, const char *from, const char *to);
fs_err_t vfs_sync(struct vfs *v);

#endif
