# The 82574L driver (QEMU's e1000e, q35's default NIC; MSI-X), an Uplink client of nic_router (docs/network.md).
NAME := e1000e
KIND := component
LIBS := e1000_core uplink_dma nic_session driver
