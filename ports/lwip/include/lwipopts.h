/*
 * Argil's configuration of lwIP (ports/lwip, docs/network.md). lwIP runs
 * with NO_SYS=1 on one thread, the component's entrypoint: lib/net feeds it
 * received frames, calls its timers (sys_check_timeouts) and is the only
 * caller of its raw API, so no locking is needed or configured.
 *
 * Memory: every allocation of lwIP (pbufs, PCBs, ARP queue entries,
 * reassembly buffers) goes through mem_malloc to lib/net's allocator on
 * the component's heap (MEM_LIBC_MALLOC, MEMP_MEM_MALLOC), which keeps a
 * byte budget from the component's config (<net memory="..."/>): when it
 * is spent, allocations fail and lwIP drops or refuses, as with a static
 * pool that ran dry, instead of taking the component's whole heap.
 */
#ifndef ARGIL_LWIPOPTS_H
#define ARGIL_LWIPOPTS_H

/* one thread, no OS primitives: the raw API only */
#define NO_SYS                      1
#define SYS_LIGHTWEIGHT_PROT        0
#define LWIP_NETCONN                0
#define LWIP_SOCKET                 0
#define LWIP_TIMERS                 1

/* memory: lib/net's budgeted allocator (lib/net/mem.c) */
#define MEM_LIBC_MALLOC             1
#define MEMP_MEM_MALLOC             1
#define MEM_ALIGNMENT               16
#define mem_clib_malloc             argil_lwip_malloc
#define mem_clib_free               argil_lwip_free
#define mem_clib_calloc             argil_lwip_calloc

/* protocols */
#define LWIP_IPV4                   1
#define LWIP_IPV6                   0
#define LWIP_ARP                    1
#define LWIP_ETHERNET               1
#define LWIP_ICMP                   1
#define LWIP_RAW                    1
#define LWIP_UDP                    1
#define LWIP_TCP                    1
#define LWIP_DHCP                   1
#define LWIP_DNS                    1
#define LWIP_IGMP                   0
#define LWIP_AUTOIP                 0
#define IP_REASSEMBLY               1
#define IP_FRAG                     1
#define IP_REASS_MAX_PBUFS          48   /* a 64 KiB datagram in 1500-byte fragments */
#define ARP_QUEUEING                1    /* packets wait for an ARP reply, not just the last */
#define ARP_QUEUE_LEN               16
#define DNS_MAX_SERVERS             2
#define LWIP_DHCP_GET_NTP_SRV       0

/* TCP: a 64 KiB window each way without window scaling */
#define TCP_MSS                     1460
#define TCP_WND                     (44 * TCP_MSS)
#define TCP_SND_BUF                 (44 * TCP_MSS)
#define TCP_SND_QUEUELEN            (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_OVERSIZE                TCP_MSS
#define TCP_LISTEN_BACKLOG          1
#define TCP_DEFAULT_LISTEN_BACKLOG  16
#define LWIP_TCP_KEEPALIVE          1
#define SO_REUSE                    1
#define TCP_QUEUE_OOSEQ             1

/* interfaces: several per component (each a struct net_stack of lib/net),
 * the loopback interface 127.0.0.1, packets to an interface's own address
 * looped inside lwIP, link and status changes reported to lib/net */
#define LWIP_SINGLE_NETIF           0
#define LWIP_NETIF_LOOPBACK         1
#define LWIP_HAVE_LOOPIF            1
#define LWIP_LOOPBACK_MAX_PBUFS     64
#define LWIP_NETIF_STATUS_CALLBACK  1
#define LWIP_NETIF_LINK_CALLBACK    1
#define LWIP_NETIF_HOSTNAME         1
#define ETH_PAD_SIZE                0

/* checksums in software: lib/net's routine (lib/net/chksum.c: 64-bit
 * words; lwIP's fastest own algorithm, 3, adds 32-bit words) */
#define LWIP_CHKSUM                 argil_lwip_chksum

/* no statistics or debug output of lwIP's own: lib/net counts what it needs */
#define LWIP_STATS                  0
#define LWIP_DEBUG                  0

#endif
