# A NIC driver's two Uplink streams as DMA buffers of its Platform session (uplink_dma.h).
NAME := uplink_dma
KIND := library
LIBS := nic_session driver
