# net_wire_bench (`make bench`, run/net_wire_bench): lib/net and lwIP
# between two stacks of one component on an in-memory wire.
NAME := net_wire_bench
KIND := component
LIBS := net
