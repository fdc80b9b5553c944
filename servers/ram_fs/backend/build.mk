# ram_fs's back end (include/ram_fs.h): a file system in memory behind
# struct fs_ops, its memory counted against a quota; used by the ram_fs
# component and lib/vfs. Host-tested by tests/host/ram_fs.c.
NAME := ram_fs_backend
KIND := library
LIBS := fs
