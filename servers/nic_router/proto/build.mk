# nic_router's frame parsers (nic_proto.h): Ethernet, ARP, IPv4, ICMP, UDP,
# TCP and DHCP, each checked field by field; portable (host tests in
# tests/host/nic_proto.c, libFuzzer harness tests/fuzz/nic_router_fuzz.c).
NAME := nic_proto
KIND := library
