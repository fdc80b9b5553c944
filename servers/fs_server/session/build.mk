# The File_system session's interface and client library
# (include/fs_session.h): what a client of a file-system server names,
# LIBS := fs_session (docs/storage.md, "File systems").
NAME := fs_session
KIND := library
LIBS := fs
