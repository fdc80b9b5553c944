# pci_decode: walks PCI through the Platform session and publishes the devices report (docs/devices.md).
NAME := pci_decode
KIND := component
LIBS := platform_session report_session timer_session
