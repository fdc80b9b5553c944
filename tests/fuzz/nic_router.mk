# nic_router's frame parsers and routing engine (servers/nic_router/proto):
# every layer of a frame, and frames through a router of three domains.
FUZZERS += nic_router
nic_router_FUZZ_SRCS := servers/nic_router/proto/proto.c servers/nic_router/proto/route.c
nic_router_FUZZ_CFLAGS := -Iservers/nic_router/proto/include
nic_router_FUZZ_DEPS := servers/nic_router/proto/include/nic_proto.h servers/nic_router/proto/include/nic_route.h
