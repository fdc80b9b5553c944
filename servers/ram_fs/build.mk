# ram_fs: a file system in memory served as File_system sessions
# (backend/ over lib/fs_server; docs/storage.md).
NAME := ram_fs
KIND := component
LIBS := ram_fs_backend fs_server
