/*
 * nic_router's frame parsers: every frame the router looks into goes
 * through these first. Each parser takes bytes and their length (never
 * reads outside them), checks every field it reports and every length
 * against the bytes there are, and fills a view whose pointers point into
 * the frame. Each returns PROTO_OK or the reason the bytes were refused
 * (proto_error_name gives it as text), so the router drops and counts the
 * frame. Portable C: built for Argil and for the host (tests/host/nic_proto.c,
 * tests/fuzz/nic_router_fuzz.c).
 *
 * Numbers in views are in host order; IPv4 addresses as uint32_t with the
 * first byte most significant (10.0.2.15 = 0x0a00020f).
 */
#ifndef NIC_PROTO_H
#define NIC_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum proto_error {
	PROTO_OK = 0,
	PROTO_E_SHORT,        /* fewer bytes than the header needs */
	PROTO_E_LONG,         /* more bytes than the protocol allows */
	PROTO_E_VERSION,      /* a version or type field we do not speak */
	PROTO_E_LENGTH,       /* a length field disagrees with the bytes */
	PROTO_E_CHECKSUM,     /* the checksum is wrong */
	PROTO_E_FIELD,        /* a field has a value the protocol forbids */
	PROTO_E_OPTION,       /* an option runs past the end or is malformed */
	PROTO_ERRORS,
};

const char *proto_error_name(int e);

#define ETH_HDR 14u
#define ETH_FRAME_MAX 1514u
#define ETH_TYPE_IPV4 0x0800u
#define ETH_TYPE_ARP 0x0806u

#define IP_PROTO_ICMP 1u
#define IP_PROTO_TCP 6u
#define IP_PROTO_UDP 17u

/* Big-endian loads and stores. */
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* ---- checksums (RFC 1071, RFC 1624) ---- */

/* The one's-complement sum of len bytes folded to 16 bits, added to sum. */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* Fold and complement: the checksum field's value. */
uint16_t csum_fold(uint32_t sum);
/* The pseudo header's sum for TCP/UDP over IPv4. */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
/* A checksum field after a 16-bit word of the covered data changed from
 * old to new (RFC 1624 eq. 3), and after a 32-bit word changed. */
uint16_t csum_update16(uint16_t check, uint16_t old, uint16_t new_);
uint16_t csum_update32(uint16_t check, uint32_t old, uint32_t new_);

/* ---- Ethernet ---- */

struct eth_view {
	const uint8_t *dst, *src;
	uint16_t type;
	const uint8_t *payload;
	size_t len;                      /* bytes after the header */
};

/* 14..1514 bytes; no VLAN tags (type 0x8100 is PROTO_E_VERSION), type >= 0x0600. */
int eth_parse(const uint8_t *f, size_t len, struct eth_view *e);

/* ---- ARP (Ethernet/IPv4 only) ---- */

#define ARP_REQUEST 1u
#define ARP_REPLY 2u
#define ARP_LEN 28u

struct arp_view {
	uint16_t op;
	const uint8_t *sha, *tha;
	uint32_t spa, tpa;
};

/* htype 1, ptype 0x0800, hlen 6, plen 4, op request or reply; a broadcast
 * or multicast sender MAC is PROTO_E_FIELD. Trailing padding is allowed. */
int arp_parse(const uint8_t *p, size_t len, struct arp_view *a);

/* ---- IPv4 ---- */

struct ipv4_view {
	const uint8_t *hdr;
	size_t hdr_len;                  /* 20..60 */
	uint16_t total_len, id;
	uint8_t tos, ttl, proto;
	bool df, mf;
	uint16_t frag_offset;            /* bytes */
	uint32_t src, dst;
	const uint8_t *payload;
	size_t payload_len;              /* total_len - hdr_len (padding after it ignored) */
};

/* Version 4, IHL 5..15 within the bytes, total length from the header up
 * to the bytes there are, header checksum right, the reserved flag clear,
 * fragment offset + length within 65535, source not multicast/broadcast. */
int ipv4_parse(const uint8_t *p, size_t len, struct ipv4_view *ip);
/* Whether the packet is a fragment (MF or an offset): ports are not seen. */
static inline bool ipv4_is_fragment(const struct ipv4_view *ip)
{
	return ip->mf || ip->frag_offset;
}

/* ---- ICMP ---- */

#define ICMP_ECHO_REPLY 0u
#define ICMP_UNREACHABLE 3u
#define ICMP_ECHO_REQUEST 8u
#define ICMP_TIME_EXCEEDED 11u

struct icmp_view {
	uint8_t type, code;
	uint16_t id, seq;                /* echo request/reply */
	const uint8_t *payload;          /* after the 8-byte header */
	size_t payload_len;
};

/* At least 8 bytes, checksum over all of them right; echo messages code 0. */
int icmp_parse(const uint8_t *p, size_t len, struct icmp_view *ic);

/* ---- UDP ---- */

struct udp_view {
	uint16_t sport, dport, len;
	bool has_checksum;
	const uint8_t *payload;
	size_t payload_len;
};

/* Length field 8..len (bytes after it ignored), ports not 0 (destination),
 * checksum (if not 0) right over the pseudo header of ip's addresses. */
int udp_parse(const uint8_t *p, size_t len, uint32_t src, uint32_t dst, struct udp_view *u);
/* The same with the checksum comparison left out when csum_valid (a NIC
 * verified it: docs/network.md, "Checksum offload"); every other check stays. */
int udp_parse_csum(const uint8_t *p, size_t len, uint32_t src, uint32_t dst, bool csum_valid,
		   struct udp_view *u);

/* ---- TCP ---- */

#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u
#define TCP_PSH 0x08u
#define TCP_ACK 0x10u
#define TCP_URG 0x20u

struct tcp_view {
	uint16_t sport, dport;
	uint32_t seq, ack;
	size_t hdr_len;                  /* 20..60 */
	uint8_t flags;
	uint16_t window;
	const uint8_t *payload;
	size_t payload_len;
};

/* Data offset 5..15 within the bytes, ports not 0, checksum right, options
 * well formed (kinds 0 and 1 single bytes, others with a length 2.. that
 * fits), SYN together with FIN or RST refused. */
int tcp_parse(const uint8_t *p, size_t len, uint32_t src, uint32_t dst, struct tcp_view *t);
int tcp_parse_csum(const uint8_t *p, size_t len, uint32_t src, uint32_t dst, bool csum_valid,
		   struct tcp_view *t);

/* ---- DHCP (RFC 2131, 2132) ---- */

#define DHCP_SERVER_PORT 67u
#define DHCP_CLIENT_PORT 68u
#define DHCP_FIXED 236u                  /* before the magic cookie */
#define DHCP_MAGIC 0x63825363u
#define DHCP_BOOTREQUEST 1u
#define DHCP_BOOTREPLY 2u

enum dhcp_msg {
	DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK, DHCPRELEASE,
	DHCPINFORM,
};

enum dhcp_option {
	DHCPO_PAD = 0, DHCPO_SUBNET = 1, DHCPO_ROUTER = 3, DHCPO_DNS = 6, DHCPO_REQUESTED_IP = 50,
	DHCPO_LEASE = 51, DHCPO_OVERLOAD = 52, DHCPO_MSG_TYPE = 53, DHCPO_SERVER_ID = 54,
	DHCPO_PARAMS = 55, DHCPO_END = 255,
};

/* What the router uses; a field's flag says whether its option was there. */
#define DHCP_HAS_SUBNET 0x01u
#define DHCP_HAS_ROUTER 0x02u
#define DHCP_HAS_DNS 0x04u
#define DHCP_HAS_REQUESTED 0x08u
#define DHCP_HAS_LEASE 0x10u
#define DHCP_HAS_SERVER_ID 0x20u

struct dhcp_view {
	uint8_t op;
	uint32_t xid;
	uint16_t flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	const uint8_t *chaddr;           /* 6 bytes (htype 1, hlen 6) */
	uint8_t msg_type;                /* enum dhcp_msg */
	unsigned has;                    /* DHCP_HAS_* */
	uint32_t subnet, router, dns, requested, lease, server_id;
};

/* op 1 or 2, htype 1, hlen 6, the magic cookie, options each within the
 * bytes and ended by END, the known ones with their right lengths, exactly
 * one message type 1..8; option overload (52) is refused. */
int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_view *d);

#endif
