# nic_router_test (run/nic_router_test): lib/net over Nic sessions of
# nic_router; one instance serves (echo), the other runs the cases.
NAME := nic_router_test
KIND := component
LIBS := net_nic net nic_session harness
