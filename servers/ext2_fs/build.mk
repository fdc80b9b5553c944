# ext2_fs: lib/ext2 on a Block session, served as File_system sessions
# (docs/storage.md).
NAME := ext2_fs
KIND := component
LIBS := fs_block ext2
