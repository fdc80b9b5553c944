# libc_test: the musl port's test in Argil, started by core as init
# (run/libc_test).
NAME := libc_test
KIND := component
LIBS := libc harness
