/*
 * struct blk_dev (lib/fs, fs.h) over a Block session: what ext2 and FAT
 * run on in Argil. The session must have been opened with the library's
 * own notification (block_connect with sigh 0): requests are synchronous.
 *
 *   struct block_connection c;
 *   struct blk_dev dev;
 *   block_connect(&c, "disk", 0, 0, 0);
 *   block_blk_dev(&c, &dev);
 *
 * Statuses map to FS_E_ROFS (a write on a read-only session), FS_E_INVAL
 * (blocks beyond the device: the file system's own mistake) and FS_E_IO
 * (everything else, logged).
 */
#ifndef BLOCK_BLK_DEV_H
#define BLOCK_BLK_DEV_H

#include <block_connection.h>
#include <fs.h>

void block_blk_dev(struct block_connection *c, struct blk_dev *dev);

#endif
