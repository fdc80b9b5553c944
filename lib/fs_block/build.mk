# A file system on a Block session (include/fs_block.h): a struct blk_dev
# over a Block session and the frame of the ext2_fs and fat_fs components.
NAME := fs_block
KIND := library
LIBS := fs_server block_session timer_session fs
