# http_server (docs/network.md, "http_server"): an HTTP/1.1 server on
# lib/net through nic_router that serves files of lib/vfs (a File_system
# session): GET, HEAD, one byte range, keep-alive, several connections.
# Its request parser (http_parse.c) is portable: tests/host/http_parse.c,
# tests/fuzz/http_server_fuzz.c.
NAME := http_server
KIND := component
LIBS := net_nic net nic_session vfs
