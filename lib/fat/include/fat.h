/*
 * lib/fat: FAT12, FAT16 and FAT32 with VFAT long names, read-write, as a
 * file-system back end (struct fs_ops, <fs.h>) over a struct blk_dev, with
 * the FAT and the directories cached in a struct bcache (docs/storage.md,
 * "FAT").
 *
 * Inode numbers: the root directory is 1; any other file or directory is
 * (the byte offset of its short directory entry on the volume) / 32 + 2.
 * That position never changes while the file exists, except by rename:
 * a renamed file keeps its number for the rest of the mount (an in-memory
 * table maps it to the new position, and a file found later at a position
 * whose natural number is taken gets a fresh number above 2^48). A removed
 * file's number is dead for the rest of the mount (FS_E_STALE), so a new
 * file in the same slot gets another number. Numbers are stable across
 * mounts for files not renamed.
 *
 * FAT has no symlinks, hard links or owners (FS_E_UNSUPPORTED; uid and
 * gid read as 0). The mode is 0777 for files and directories, 0555 when
 * the read-only attribute is set (setattr of the mode sets it from the
 * owner's write bit). Times are FAT local times taken as UTC: mtime (and
 * ctime) from the write date and time, atime from the access date.
 */
#ifndef FAT_H
#define FAT_H

#include <fs.h>

/* Mount the FAT file system on dev. flags: enum fs_mount_flags. env may be
 * NULL (no log, the clock stands at 1980). FS_E_CORRUPT for an impossible
 * boot sector (with a log line naming the field), FS_E_UNSUPPORTED for a
 * sector size the device cannot hold. */
fs_err_t fat_mount(struct blk_dev *dev, unsigned flags, const struct fs_env *env, void **fs);

extern const struct fs_ops fat_ops;

#endif
