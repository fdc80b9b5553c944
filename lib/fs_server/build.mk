# The file-system server (include/fs_server.h): File_system sessions
# (servers/fs_server/session) over any back end (struct fs_ops, lib/fs),
# with policies per label (root directory, writable). ram_fs, ext2_fs and
# fat_fs link it.
NAME := fs_server
KIND := library
LIBS := fs_session fs rom_server
