/*
 * A file system on a Block session (docs/storage.md, "ext2_fs and
 * fat_fs"): a Block session as a struct blk_dev (fs.h, the Block session
 * library's block_blk_dev.h), and the whole of a disk file-system
 * component: its config, the Block session, the mount, the file-system
 * server (fs_server.h). ext2_fs and fat_fs are this with their back end.
 *
 *   <config block="disk" writable="yes" buffer="1M" time="1796601600">
 *     <policy label_prefix="fs_tool" root="/" writable="yes"/>
 *   </config>
 *
 * block= the label of the Block session (default "disk"; what disk or
 * partition it reaches is the block multiplexer's policy), buffer= its
 * stream (default BLOCK_STREAM_DEFAULT), writable= "no" mounts read-only
 * (default "yes"; a Block session that is not writable mounts read-only
 * as well). time= (seconds since 1970) starts the clock of the time
 * stamps, which a Timer session then advances; Argil has no real-time
 * clock yet, and without time= every time stamp is 0. The policies are
 * lib/fs_server's.
 */
#ifndef FS_BLOCK_H
#define FS_BLOCK_H

#include <argil/component.h>
#include <block_connection.h>
#include <fs.h>

struct fs_block_dev {
	struct block_connection conn;
	struct blk_dev dev;
};

/* Open the Block session labelled label (stream bytes 0: the default)
 * and describe it as b->dev (block_blk_dev.h). */
fs_err_t fs_block_open(struct fs_block_dev *b, const char *label, word_t stream);
void fs_block_close(struct fs_block_dev *b);

typedef fs_err_t (*fs_mount_fn)(struct blk_dev *dev, unsigned flags, const struct fs_env *env,
				void **fs);

/* The component: read the config, open the Block session, mount, serve.
 * Logs and exits on what it cannot do. */
void fs_block_component(struct component_env *env, fs_mount_fn mount, const struct fs_ops *ops);

#endif
