# The Platform session's interface and client library (include/platform_session.h):
# what a driver, acpi and pci_decode name, LIBS := platform_session (docs/devices.md).
NAME := platform_session
KIND := library
