/*
 * The frames nic_drivers_test exchanges with QEMU's user-mode network
 * (slirp, 10.0.2.0/24, gateway and DHCP server 10.0.2.2): an ARP request
 * and a DHCP discover made, ARP replies and DHCP offers recognised.
 */
#ifndef NIC_TEST_FRAMES_H
#define NIC_TEST_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLIRP_GATEWAY 0x0a000202u    /* 10.0.2.2 */
#define SLIRP_GUEST 0x0a00020fu      /* 10.0.2.15 */

/* Each makes the frame in buf (at least 342 bytes) and returns its length. */
size_t frame_arp_request(uint8_t *buf, const uint8_t mac[6], uint32_t from, uint32_t ask);
size_t frame_dhcp_discover(uint8_t *buf, const uint8_t mac[6], uint32_t xid);

/* An ARP reply for us telling who has ip: its MAC into mac. */
bool frame_is_arp_reply(const uint8_t *f, size_t n, const uint8_t our[6], uint32_t ip,
			uint8_t mac[6]);
/* A DHCP offer of transaction xid: the address offered and the server. */
bool frame_is_dhcp_offer(const uint8_t *f, size_t n, uint32_t xid, uint32_t *yiaddr,
			 uint32_t *server);

#endif
