# What drivers/e1000 and drivers/e1000e share: the Intel 8254x/8257x Ethernet controllers' registers, rings and the Uplink (e1000_core.h).
NAME := e1000_core
KIND := library
LIBS := uplink_dma nic_session driver
