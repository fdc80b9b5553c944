# fs_bench: the file-system figures of `make bench` through ext2_fs
# (run/fs_bench).
NAME := fs_bench
KIND := component
LIBS := fs_session
