# nic_router's frame parsers (servers/nic_router/proto): every layer of a frame.
FUZZERS += nic_router
nic_router_FUZZ_SRCS := servers/nic_router/proto/proto.c
nic_router_FUZZ_CFLAGS := -Iservers/nic_router/proto/include
nic_router_FUZZ_DEPS := servers/nic_router/proto/include/nic_proto.h
