/*
 * lib/ext2: a read-write ext2 back end (struct fs_ops, fs.h) over a struct
 * blk_dev, its metadata cached in a struct bcache (docs/storage.md, "ext2").
 *
 * What it handles: revision 0 and 1 file systems with the features Debian
 * 12's mkfs.ext2 sets by default (filetype, sparse_super, large_file,
 * resize_inode, dir_index, ext_attr), blocks of 1 to 32 KiB. An
 * incompatible feature it does not know refuses the mount
 * (FS_E_UNSUPPORTED, a log line naming it); an unknown
 * read-only-compatible feature mounts read-only. Directories are
 * read linearly; adding an entry to an indexed (htree) directory clears
 * its index flag, which Linux and e2fsck accept. Extended attributes and
 * the resize inode are left alone (an attribute block's reference is
 * dropped when its last user goes). Reads do not update atime.
 *
 * Trust: nothing read from the disk is trusted (fs.h).
 */
#ifndef EXT2_H
#define EXT2_H

#include <fs.h>

/* Mounts the ext2 file system on dev. flags: enum fs_mount_flags (a
 * device that is not writable mounts read-only too). env may be NULL (no
 * log, time 0); it must outlive the mount. On success *fs is the handle
 * for ext2_ops. FS_E_CORRUPT for an impossible superblock or group
 * descriptor, FS_E_UNSUPPORTED for an incompatible feature, FS_E_IO,
 * FS_E_NOMEM. */
fs_err_t ext2_mount(struct blk_dev *dev, unsigned flags, const struct fs_env *env, void **fs);

extern const struct fs_ops ext2_ops;

#endif
