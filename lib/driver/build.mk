# The driver kit (docs/devices.md): register fields defined once, register
# access over MMIO or I/O ports, devices through the Platform session, DMA
# buffers and pools, interrupt wait and ack, the virtio 1.0 PCI transport
# with split virtqueues and MSI-X.
NAME := driver
KIND := library
LIBS := platform_session
SRCS := $(wildcard $(DIR)/*.c $(DIR)/arch/$(ARCH)/*.c)
