/*
 * lib/ext2's internals: the mounted file system and what its parts call in
 * one another (super.c: mount and the superblock; alloc.c: bitmaps;
 * inode.c: inodes and their block maps; file.c: file data; dir.c:
 * directories; ops.c: the fs_ops).
 */
#ifndef EXT2_INT_H
#define EXT2_INT_H

#include <bcache.h>
#include <ext2.h>

#include "ext2_disk.h"

struct ext2_fs {
	struct blk_dev *dev;
	const struct fs_env *env;
	struct bcache *cache;
	struct ext2_super sb;       /* the primary superblock, kept here, written at sync */
	struct ext2_group_desc *gd; /* every group's descriptor, checked at mount */
	uint8_t *gd_checked;        /* per group: its bitmaps agree with gd, or do not (alloc.c) */
	uint8_t *super_copy;        /* per group: it starts with a superblock and descriptors */
	uint32_t super_blocks;      /* those blocks: superblock, descriptors, reserved descriptors */
	uint32_t block_size;
	uint32_t groups;
	uint32_t gdt_blocks;        /* blocks of descriptors after each superblock copy */
	uint32_t ptrs;              /* block numbers per indirect block */
	uint32_t inode_size;
	uint32_t itable_blocks;     /* per group */
	uint32_t first_ino;
	uint32_t generation;        /* for new inodes */
	bool readonly;
	bool filetype;              /* directory entries carry the type */
	bool sparse_super;          /* superblock copies only in some groups */
	bool sb_dirty;
};

/* An inode in memory while an operation works on it. */
struct ext2_ino {
	uint32_t num;
	uint32_t extra;             /* bytes beyond 128 that are ours (0 .. 32) */
	bool fresh;                 /* just allocated: the next write clears its slot first */
	struct ext2_inode d;
};

/* FS_E_CORRUPT with a line in the log. */
fs_err_t ext2_corrupt(struct ext2_fs *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* super.c */
/* Is block b inside the file system and not one of its fixed metadata
 * blocks (superblocks, descriptors, bitmaps, inode tables)? */
bool ext2_block_ok(const struct ext2_fs *fs, uint64_t b);
fs_err_t ext2_gd_changed(struct ext2_fs *fs, uint32_t g);
fs_err_t ext2_write_super(struct ext2_fs *fs);
fs_err_t ext2_statfs(void *fs, struct fs_statfs *s);
fs_err_t ext2_sync(void *fs);
fs_err_t ext2_unmount(void *fs);

/* alloc.c */
fs_err_t ext2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *b);
/* Up to max blocks from start on, as many as are free in a row in start's
 * group (*got, maybe 0). */
fs_err_t ext2_alloc_after(struct ext2_fs *fs, uint32_t start, uint32_t max, uint32_t *got);
fs_err_t ext2_free_block(struct ext2_fs *fs, uint32_t b);
fs_err_t ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, bool dir, uint32_t *ino);
fs_err_t ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir);

/* inode.c */
fs_err_t ext2_inode_read(struct ext2_fs *fs, uint64_t num, struct ext2_ino *in);
fs_err_t ext2_inode_write(struct ext2_fs *fs, struct ext2_ino *in);
uint64_t ext2_inode_size(const struct ext2_ino *in);
void ext2_inode_set_size(struct ext2_fs *fs, struct ext2_ino *in, uint64_t size);
uint64_t ext2_max_size(const struct ext2_fs *fs);
enum ext2_time { EXT2_ATIME, EXT2_MTIME, EXT2_CTIME, EXT2_CRTIME };
int64_t ext2_time(const struct ext2_ino *in, enum ext2_time which);
void ext2_set_time(struct ext2_ino *in, enum ext2_time which, int64_t t);
void ext2_touch(struct ext2_fs *fs, struct ext2_ino *in, bool mtime, bool ctime);
bool ext2_is_fast_symlink(const struct ext2_fs *fs, const struct ext2_ino *in);
/* The physical block of logical block lb (0: a hole). With alloc, a hole
 * is filled (goal: where to look first, 0: the inode's group) and *fresh
 * (may be NULL) says so; the inode is
 * changed in memory (the caller writes it). */
fs_err_t ext2_bmap(struct ext2_fs *fs, struct ext2_ino *in, uint64_t lb, uint32_t goal, bool alloc,
		   uint32_t *pb, bool *fresh);
/* The mapping of lb and how many blocks from lb on (*n, 1 .. max) map
 * alike: to the disk blocks after *pb, or all holes (*pb 0). */
fs_err_t ext2_bmap_run(struct ext2_fs *fs, struct ext2_ino *in, uint64_t lb, uint32_t max, uint32_t *pb,
		       uint32_t *n);
/* lb is mapped to pb: maps up to max holes right after it (in the same
 * map block) to the disk blocks right after pb where those are free
 * (*got of them); the inode is changed in memory. */
fs_err_t ext2_bmap_extend(struct ext2_fs *fs, struct ext2_ino *in, uint64_t lb, uint32_t pb, uint32_t max,
			  uint32_t *got);
/* Frees every block from logical block `from` on (and indirect blocks
 * left empty). */
fs_err_t ext2_free_from(struct ext2_fs *fs, struct ext2_ino *in, uint64_t from);
/* Drops the last link's resources: blocks, xattr block, the inode. */
fs_err_t ext2_release(struct ext2_fs *fs, struct ext2_ino *in);

/* file.c */
fs_err_t ext2_file_read(struct ext2_fs *fs, struct ext2_ino *in, uint64_t off, void *buf, size_t len,
			size_t *done);
fs_err_t ext2_file_write(struct ext2_fs *fs, struct ext2_ino *in, uint64_t off, const void *buf,
			 size_t len, size_t *done);
fs_err_t ext2_file_truncate(struct ext2_fs *fs, struct ext2_ino *in, uint64_t size);

/* dir.c */
struct ext2_dirpos {
	uint64_t off;               /* of the entry in the directory */
	uint32_t ino;
	uint8_t type;
};
fs_err_t ext2_dir_find(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len,
		       struct ext2_dirpos *pos);
/* Where name would go in dir (one pass, which also finds a name that is
 * there: FS_E_EXIST); then ext2_dir_insert puts it there, with nothing
 * else changing dir in between. ext2_dir_add does both. */
struct ext2_slot {
	bool found;                 /* false: a new block at the end */
	uint64_t lb;                /* the block and the entry whose room it takes */
	uint32_t off;
};
fs_err_t ext2_dir_slot(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len,
		       struct ext2_slot *slot);
fs_err_t ext2_dir_insert(struct ext2_fs *fs, struct ext2_ino *dir, const struct ext2_slot *slot,
			 const char *name, size_t len, uint32_t ino, uint32_t mode);
fs_err_t ext2_dir_add(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len,
		      uint32_t ino, uint32_t mode);
fs_err_t ext2_dir_remove(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len);
/* Points the existing entry name at ino (rename over a target). */
fs_err_t ext2_dir_retarget(struct ext2_fs *fs, struct ext2_ino *dir, const char *name, size_t len,
			   uint32_t ino, uint32_t mode);
fs_err_t ext2_dir_empty(struct ext2_fs *fs, struct ext2_ino *dir, bool *empty);
fs_err_t ext2_dir_next(struct ext2_fs *fs, struct ext2_ino *dir, uint64_t *cookie, struct fs_dirent *ent,
		       bool *end);
/* A directory's ".." entry: *parent (may be NULL) gets it, set (0: no
 * change) replaces it. */
fs_err_t ext2_dir_dotdot(struct ext2_fs *fs, struct ext2_ino *dir, uint32_t *parent, uint32_t set);
/* A new directory's first block with "." and "..". */
fs_err_t ext2_dir_init(struct ext2_fs *fs, struct ext2_ino *dir, uint32_t parent);
uint8_t ext2_ft_of_mode(uint32_t mode);

#endif
