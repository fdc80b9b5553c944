# fs_tool: copy, list, checksum (SHA-256), create test trees, compare and
# report directory listings on lib/vfs's name space, as its config says
# (docs/storage.md).
NAME := fs_tool
KIND := component
LIBS := vfs sha256 report_session
