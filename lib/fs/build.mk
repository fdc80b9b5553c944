# What every file system shares (fs.h): the back-end interface, names,
# errors, and the block cache (bcache.h). Host-tested by tests/host/bcache.c.
NAME := fs
KIND := library
