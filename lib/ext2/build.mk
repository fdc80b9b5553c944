# ext2, read-write, as a struct fs_ops back end over struct blk_dev with
# its metadata in lib/fs's block cache (docs/storage.md, "ext2"). Built for
# the host too: tests/host/ext2.c and tests/fuzz/ext2_fuzz.c.
NAME := ext2
KIND := library
LIBS := fs
