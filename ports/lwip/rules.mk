# Build rules of the lwIP port (build.mk is the recipe), read by
# ports/port.mk. Built: lwIP's core as its src/Filelists.mk lists it
# (COREFILES and CORE4FILES: init, memory, pbufs, netif, IPv4, ARP, ICMP,
# IGMP, fragments, TCP, UDP, raw, DHCP, AutoIP, DNS, timeouts) and
# netif/ethernet.c. Not built: IPv6 (CORE6FILES: off in lwipopts.h, see
# docs/network.md), the sequential and socket APIs (api/: they need
# threads, NO_SYS=0), PPP, 6LoWPAN, SLIP, the bridge and the apps.
# Configuration: ports/lwip/include/lwipopts.h and arch/cc.h.
LWIP := $(SRC)/src
SRCS := $(addprefix $(LWIP)/core/,init.c def.c dns.c inet_chksum.c ip.c mem.c memp.c netif.c \
                                  pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c \
                                  timeouts.c udp.c) \
        $(addprefix $(LWIP)/core/ipv4/,autoip.c dhcp.c etharp.c icmp.c igmp.c ip4_frag.c ip4.c \
                                       ip4_addr.c) \
        $(LWIP)/netif/ethernet.c

# the C library port's headers come through -isystem (LIBS := libc)
# base/include for argil/inet_csum.h (LWIP_CHKSUM, arch/chksum.h)
PORT_CFLAGS := -std=gnu11 -nostdinc -w -fno-strict-aliasing -I$(PORT_DIR)/include -I$(OUT)/include \
               -Ibase/include
PORT_HEADERS := $(OUT)/include/lwip/init.h

# lwIP's public headers for those that name the port
$(OUT)/include/lwip/init.h: $(LWIP)/include/lwip/init.h
	@rm -rf $(OUT)/include && mkdir -p $(OUT)/include
	cp -R $(LWIP)/include/lwip $(LWIP)/include/netif $(OUT)/include/
