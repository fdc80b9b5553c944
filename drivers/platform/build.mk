# The platform driver: PCI configuration space, devices by policy, their
# registers, interrupts and DMA memory, the VT-d IOMMU (docs/devices.md).
NAME := platform
KIND := component
LIBS := platform_session rom_server report_session timer_session
