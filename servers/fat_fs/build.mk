# fat_fs: lib/fat on a Block session, served as File_system sessions
# (docs/storage.md).
NAME := fat_fs
KIND := component
LIBS := fs_block fat
