# The virtio-net driver (modern virtio, MSI-X), an Uplink client of nic_router (docs/network.md).
NAME := virtio_net
KIND := component
LIBS := uplink_dma nic_session driver
