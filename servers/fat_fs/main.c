/*
 * fat_fs: a FAT12/16/32 file system on a Block session served as
 * File_system sessions (docs/storage.md): lib/fat behind lib/fs_server,
 * on the disk or partition the block multiplexer's policy gives the Block
 * session (lib/fs_block: config, blk_dev, mount). Trusts its parent, its
 * config and the multiplexer; the disk's content is lib/fat's to check,
 * clients are trusted for nothing (fs_server.h).
 */
#include <fat.h>
#include <fs_block.h>

void component_construct(struct component_env *env)
{
	fs_block_component(env, fat_mount, &fat_ops);
}
