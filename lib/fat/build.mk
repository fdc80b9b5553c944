# FAT12/16/32 read-write with long names, a struct fs_ops back end over a
# struct blk_dev (docs/storage.md). Host-tested by tests/host/fat.c,
# fuzzed by tests/fuzz/fat_fuzz.c.
NAME := fat
KIND := library
LIBS := fs
