# http_server's request parser (apps/http_server/http_parse.c): any bytes
# as a request head, the parsed path and ranges checked.
FUZZERS += http_server
http_server_FUZZ_SRCS := apps/http_server/http_parse.c
http_server_FUZZ_CFLAGS := -Iapps/http_server
http_server_FUZZ_DEPS := apps/http_server/http_parse.h
