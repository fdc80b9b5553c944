# File_system sessions at ram_fs, started by core as init with ram_fs as
# its child (run/fs_ram_test; testbed.h).
NAME := fs_ram_test
KIND := component
LIBS := testbed fs_session
