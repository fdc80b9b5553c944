/*
 * Path resolution over a back end (lib/fs_server/walk.c): what the
 * file-system server resolves a session's paths with, and lib/vfs those
 * of its local mounts. A path is resolved below root: ".." never leaves
 * it, symbolic links are followed inside it (an absolute target from
 * root), at most WALK_LINKS of them (FS_E_LOOP), at most WALK_DEPTH
 * directories deep (FS_E_NAMETOOLONG).
 */
#ifndef FS_WALK_H
#define FS_WALK_H

#include <fs.h>

#define WALK_DEPTH 128
#define WALK_LINKS 40
#define FS_WALK_BUF (2 * FS_PATH_MAX + 2)

struct fs_walker {
	const struct fs_ops *ops;
	void *fs;
	uint64_t root;
	char *buf, *link;        /* FS_WALK_BUF bytes each, the walker's scratch */
};

/* The node path names (follow: a link at the end is followed too). */
fs_err_t fs_walk(const struct fs_walker *w, const char *path, bool follow, uint64_t *ino);
/* The directory that holds the last element of path, and that element
 * (pointing into path; FS_E_INVAL when path has none: "/", ".", ".."). */
fs_err_t fs_walk_parent(const struct fs_walker *w, const char *path, uint64_t *dir,
			const char **name, size_t *len);

#endif
