# The 82540EM driver (QEMU's e1000, pc's default NIC), an Uplink client of nic_router (docs/network.md).
NAME := e1000
KIND := component
LIBS := e1000_core uplink_dma nic_session driver
