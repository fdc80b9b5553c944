# http_server's request parser (apps/http_server/http_parse.c): any bytes
# as a request head, the parsed path and ranges checked.
FUZZERS += http_server
# not in make test's 60-second runs (the budget of make test; its parser has
# 56 host cases): make fuzz/http_server
FUZZ_SOAK += http_server
http_server_FUZZ_SRCS := apps/http_server/http_parse.c
http_server_FUZZ_CFLAGS := -Iapps/http_server
http_server_FUZZ_DEPS := apps/http_server/http_parse.h
