/*
 * The Nic and Uplink interfaces (servers/nic_router, docs/network.md):
 * Ethernet frames between network stacks, the router and NIC drivers.
 *
 *   NIC driver ──Uplink session──> nic_router ──Nic sessions──> applications
 *   (virtio_net, e1000, e1000e:    (domains, routing, NAT,     (each with its own
 *    clients of the router)         DHCP, forwarding)           lwIP, lib/net)
 *
 * Both sessions move frames through two packet streams
 * (argil/packet_stream.h), named by who is their source:
 *
 *   NIC_UP    stream 0: the session's client is the source, the server the sink
 *             (Nic: frames the application sends; Uplink: frames the driver
 *             received from the wire)
 *   NIC_DOWN  stream 1: the server is the source, the client the sink
 *             (Nic: frames for the application; Uplink: frames the driver is
 *             to transmit)
 *
 * One descriptor is one Ethernet frame without FCS: opcode NIC_OP_FRAME,
 * size 14..NIC_FRAME_MAX bytes, arg 0 (but see NIC_ARG_CSUM_VALID), status PS_STATUS_OK in the
 * acknowledgement (or PS_STATUS_BAD_DESC / PS_STATUS_BAD_OPCODE /
 * NIC_STATUS_BAD_FRAME: the frame was dropped). A sink acknowledges a frame
 * once it has taken it (copied it, or handed it to the device and seen it
 * sent); dropping a frame is allowed (networks lose frames), reordering
 * frames of one stream is not.
 *
 * ---- Nic (applications, clients of nic_router) ----
 * The router allocates and formats both streams from the session's donation.
 *
 *   NIC_INFO       -> w0 MAC address (the 6 bytes in the low 48 bits, first byte
 *                     lowest), w1 MTU (IP bytes, 1500), w2 NIC_LINK_UP or 0
 *   NIC_STREAM     w0 stream (NIC_UP, NIC_DOWN) -> cap: its dataspace, w0 size
 *   NIC_SIGH       w0 stream, w1 condition the client waits for (NIC_UP:
 *                  PS_ACK_READY, PS_SUBMIT_SLOT_FREE; NIC_DOWN: PS_SUBMIT_READY,
 *                  PS_ACK_SLOT_FREE), cap: the client's notification for it.
 *                  The client attaches both streams first: the router sends
 *                  frames (and reports the link up) only once NIC_DOWN's
 *                  PS_SUBMIT_READY notification is registered
 *   NIC_CAP        w0 stream, w1 condition the server waits for -> cap: the
 *                  server's notification for it
 *   NIC_LINK_SIGH  cap: notified when the link state or the MAC changes
 *
 *   Session arguments: "up_size=N", "down_size=N" (bytes of each stream's
 *   dataspace, default NIC_STREAM_DEFAULT, at most NIC_STREAM_MAX),
 *   "slots=N" (per ring, default 128). Quota: NIC_SESSION_RAM(up, down),
 *   NIC_SESSION_CAPS. The router puts each session into the domain its
 *   policy names for the label (docs/network.md).
 *
 * ---- Uplink (NIC drivers, clients of nic_router) ----
 * The driver allocates both streams itself, normally as DMA buffers of its
 * Platform session so that the device transfers frames straight from and
 * into their payload areas, and formats them (ps_format) before handing
 * them over. On NIC_UP the driver allocates receive buffers from the
 * payload, gives them to the device, and submits each filled one; on
 * NIC_DOWN it takes each frame, has the device send it from the payload,
 * and acknowledges it when the device is done with it.
 *
 *   UPLINK_ANNOUNCE  w0 MAC address (as above), w1 MTU, w2 NIC_LINK_UP or 0
 *   UPLINK_LINK      w0 NIC_LINK_UP or 0: the link state changed
 *   UPLINK_STREAM    w0 stream, cap: its dataspace (the driver's, formatted)
 *   UPLINK_SIGH      w0 stream, w1 condition the driver waits for, cap
 *   UPLINK_CAP       w0 stream, w1 condition the router waits for -> cap
 *
 *   Session arguments: none. Quota: UPLINK_SESSION_RAM, UPLINK_SESSION_CAPS.
 *   A restarted driver opens a new session with the same label: the router
 *   keeps the uplink domain (its address, leases, NAT state) and carries on;
 *   frames lost in between are retransmitted by TCP.
 */
#ifndef NIC_SESSION_H
#define NIC_SESSION_H

#include <argil/packet_stream.h>
#include <argil/rpc_gen.h>
#include <argil/session_server.h>
#include <stdint.h>

#define NIC_SERVICE "Nic"
#define UPLINK_SERVICE "Uplink"

#define NIC_FRAME_MAX 1514u      /* 14-byte header + 1500, no FCS */
#define NIC_FRAME_MIN 14u
#define NIC_OP_FRAME 1
#define NIC_LINK_UP 1u
/* arg of a frame on an Uplink's NIC_UP: the NIC verified the frame's TCP
 * or UDP checksum (virtio's DATA_VALID), the router need not compare it
 * again. Trusted no further than the driver is (it could write any frame
 * with a right checksum anyway); lengths and headers are checked all the
 * same, and Nic sessions' frames are always verified (docs/network.md,
 * "Checksum offload"). Other bits are 0. */
#define NIC_ARG_CSUM_VALID 1u

enum nic_stream { NIC_UP = 0, NIC_DOWN = 1, NIC_STREAMS = 2 };

enum nic_status {
	NIC_STATUS_BAD_FRAME = 16,   /* too short, too long, or refused by policy */
};

#define NIC_STREAM_DEFAULT (256ul << 10)
#define NIC_STREAM_MAX (4ul << 20)
#define NIC_SESSION_BASE_RAM 8192ul
#define NIC_SESSION_RAM(up, down) (NIC_SESSION_BASE_RAM + DS_COST(PAGES(up)) + DS_COST(PAGES(down)))
#define NIC_SESSION_CAPS 12ul
#define UPLINK_SESSION_RAM 16384ul
#define UPLINK_SESSION_CAPS 12ul

/* The MAC address in a word and back. */
static inline uint64_t nic_mac_word(const uint8_t mac[6])
{
	uint64_t w = 0;
	for (int i = 5; i >= 0; i--)
		w = (w << 8) | mac[i];
	return w;
}

static inline void nic_mac_bytes(uint64_t w, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++, w >>= 8)
		mac[i] = (uint8_t)w;
}

#define NIC_RPC(OP, OPS)                                                                \
	OP(nic_info, NIC_INFO, 1, (), ((WORD, mac), (WORD, mtu), (WORD, link)))           \
	OP(nic_stream, NIC_STREAM, 2, ((WORD_REQ, stream)), ((CAP, ds), (WORD, size)))    \
	OP(nic_sigh, NIC_SIGH, 3, ((WORD_REQ, stream), (WORD_REQ, cond), (CAP, ntfn)), ()) \
	OP(nic_cap, NIC_CAP, 4, ((WORD_REQ, stream), (WORD_REQ, cond)), ((CAP, ntfn)))    \
	OP(nic_link_sigh, NIC_LINK_SIGH, 5, ((CAP, ntfn)), ())
RPC_INTERFACE(nic, NIC_RPC);

#define UPLINK_RPC(OP, OPS)                                                             \
	OP(uplink_announce, UPLINK_ANNOUNCE, 1,                                           \
	   ((WORD_REQ, mac), (WORD_REQ, mtu), (WORD_REQ, link)), ())                        \
	OP(uplink_link, UPLINK_LINK, 2, ((WORD_REQ, link)), ())                           \
	OP(uplink_stream, UPLINK_STREAM, 3, ((WORD_REQ, stream), (CAP, ds)), ())          \
	OP(uplink_sigh, UPLINK_SIGH, 4,                                                   \
	   ((WORD_REQ, stream), (WORD_REQ, cond), (CAP, ntfn)), ())                         \
	OP(uplink_cap, UPLINK_CAP, 5, ((WORD_REQ, stream), (WORD_REQ, cond)), ((CAP, ntfn)))
RPC_INTERFACE(uplink, UPLINK_RPC);

#endif
