# net_router_test (run/net_router_test): lib/net clients of nic_router in
# several domains behind a real uplink; one serves (echo), one runs the
# cases, one joins a domain added by a config change.
NAME := net_router_test
KIND := component
LIBS := net_nic net nic_session sha256 harness
