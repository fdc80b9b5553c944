# Port of lwIP, a small TCP/IP stack (docs/ports.md, docs/network.md): IPv4,
# ARP, TCP, UDP, ICMP, DHCP and DNS with the raw (callback) API, NO_SYS=1:
# no threads, no sequential or socket API of lwIP's own. A component does
# not name it directly: lib/net (LIBS := net) runs it on the component's
# entrypoint and provides what the port asks of its OS (sys_now, the
# random numbers, lwIP's memory on the component's heap). rules.mk builds it.
NAME := lwip
KIND := port
LIBS := libc
PORT_PACKAGE := lwip
PORT_VERSION := 2.1.3+dfsg1-2
PORT_FILES   := lwip_2.1.3+dfsg1-2.dsc:8d8f944db8e6d542fc2d6f01559078fb1b5dda71651c67ee5fa3571ed1342c50 \
                lwip_2.1.3+dfsg1.orig.tar.xz:0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24 \
                lwip_2.1.3+dfsg1-2.debian.tar.xz:c5a48413d362cc757032cdd58f528f75eb64ee781ca46ca24f010b49b0e62a90
PORT_PATCHES :=
# lwIP's headers (installed by rules.mk) and Argil's configuration of them
# (lwipopts.h, arch/cc.h in this folder's include/)
INCLUDE := $(BUILD)/ports/lwip/include $(DIR)/include
