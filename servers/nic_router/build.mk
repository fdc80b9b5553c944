# nic_router (docs/network.md, "nic_router"): domains from its config, Nic
# sessions by label policy, the Uplink session of a NIC driver, routing,
# NAT and port forwards by the engine in proto/, a report of its state.
NAME := nic_router
KIND := component
LIBS := nic_proto nic_session rom_server report_session timer_session
