# net_stack_test: lib/net and the lwIP port inside a component
# (run/net_stack_test): stacks joined by in-memory wires and a loopback.
NAME := net_stack_test
KIND := component
LIBS := net sha256 harness
