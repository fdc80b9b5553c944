# lib/vfs (include/vfs.h): one path name space for a component over a
# mount table from its config: File_system sessions, ram file systems,
# ROMs as read-only files, a log file (docs/storage.md).
NAME := vfs
KIND := library
LIBS := fs_session fs_server ram_fs_backend fs
