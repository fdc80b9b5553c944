# The driver side of a NIC's two frame streams and its Uplink session (nic_port.h).
NAME := nic_port
KIND := library
LIBS := driver
INCLUDE := $(DIR)/include servers/nic_router/session/include
