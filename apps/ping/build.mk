# ping (docs/network.md, "ping"): ICMP echo requests through nic_router,
# with lwIP's raw API on lib/net's stack.
NAME := ping
KIND := component
LIBS := net_nic net nic_session
