/*
 * The session library of the Nic and Uplink interfaces (nic_session.h,
 * library nic_session): both ends that are not nic_router.
 *
 * Applications, clients of a Nic session (lib/net's Nic link, tests):
 *   nic_connect       the session through the parent, both streams the
 *                     router allocated attached with their real sizes,
 *                     the signal capabilities exchanged, NIC_INFO read
 *   nic_send          one frame copied into the payload area and submitted
 *                     (acknowledgements of earlier frames are taken first)
 *   nic_recv          the next received frame copied out and acknowledged
 *   nic_recv_in_place the same, handed to a function where it lies
 *   nic_link_update   NIC_INFO again (after the link signal)
 *
 * NIC drivers, clients of an Uplink session (virtio_net, e1000, e1000e):
 *   uplink_open       the session (open it BEFORE the Platform session: a
 *                     parent closes a dead driver's sessions in the order
 *                     they were opened, and the router must lose the
 *                     session before platform frees the DMA buffers)
 *   uplink_start      UPLINK_ANNOUNCE, both streams the driver allocated
 *                     formatted and handed over, signals exchanged
 *   uplink_set_link   UPLINK_LINK
 *   receive (NIC_UP, the driver is the source):
 *     uplink_rx_alloc   a receive buffer from the payload area (CPU and
 *                       device address) to give to the device
 *     uplink_rx_submit  a filled buffer with the frame's length
 *     uplink_rx_drop    a buffer not used (the device is reset)
 *     uplink_rx_reclaim free the buffers the router has taken
 *     uplink_rx_frame   copy a frame in (drivers without DMA into the area)
 *   transmit (NIC_DOWN, the driver is the sink):
 *     uplink_tx_next    the next frame to send, checked (opcode, 14..1514
 *                       bytes, inside the payload area); a bad one is
 *                       acknowledged here with its error and counted
 *     uplink_tx_done    a frame sent (or dropped): acknowledged
 *     uplink_tx_flush   push acknowledgements the full ring refused
 *
 * Waiting: each connection registers one notification for all conditions
 * it waits for (the caller's signal handler capability; an event-driven
 * component calls the non-blocking functions from its handler). nic_connect
 * with sigh 0 makes a signal handler of its own on the component's
 * entrypoint, for nic_wait.
 *
 * Trust: the router is not trusted for the stream: its descriptors and
 * indices are checked by the packet stream, each frame's size here, and
 * the dataspaces' real sizes count.
 */
#ifndef NIC_CONNECTION_H
#define NIC_CONNECTION_H

#include <argil/entrypoint.h>
#include <argil/packet_stream.h>
#include <argil/parent.h>
#include <nic_session.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Counters of one side of a connection. */
struct nic_counters {
	uint64_t tx_frames, tx_bytes;    /* handed on */
	uint64_t rx_frames, rx_bytes;    /* taken */
	uint64_t tx_dropped;             /* no room in the stream */
	uint64_t rx_bad;                 /* refused: bad size, opcode or descriptor */
	uint64_t acks_bad;               /* acknowledgements of frames not in flight */
};

/* ---- Nic (client) ---- */

struct nic_connection {
	struct parent_conn pc;
	cptr_t ds[NIC_STREAMS];
	uint8_t *mem[NIC_STREAMS];
	struct ps_source up;             /* frames we send */
	struct ps_sink down;             /* frames for us */
	struct ps_caps peer_up, peer_down;  /* the router's notifications */
	struct signal_handler sig;       /* own (sigh 0) */
	bool own_sig;
	bool dead;                       /* a stream broke (PS_E_CORRUPT) */
	uint8_t mac[6];
	uint16_t mtu;
	bool link;
	struct nic_counters cnt;
};

/* Open a Nic session labelled label; up_size / down_size bytes of each
 * stream (0: NIC_STREAM_DEFAULT), slots per ring (0: the router's
 * default). sigh: the notification for PS_ACK_READY and PS_SUBMIT_SLOT_FREE
 * of NIC_UP and PS_SUBMIT_READY and PS_ACK_SLOT_FREE of NIC_DOWN (0: the
 * library's own). link_sigh: notified on link changes (0: none). */
rpc_status_t nic_connect(struct nic_connection *c, const char *label, word_t up_size,
			 word_t down_size, word_t slots, cptr_t sigh, cptr_t link_sigh);
/* nic_connect in its two steps: the session (nothing attached yet), then
 * the streams attached, signals exchanged and NIC_INFO read (on failure
 * nic_attach disconnects). */
rpc_status_t nic_open(struct nic_connection *c, const char *label, word_t up_size,
		      word_t down_size, word_t slots);
rpc_status_t nic_attach(struct nic_connection *c, cptr_t sigh, cptr_t link_sigh);
void nic_disconnect(struct nic_connection *c);
/* NIC_INFO again: true if the MAC or link state changed. */
bool nic_link_update(struct nic_connection *c);

/* Send len bytes (NIC_FRAME_MIN..NIC_FRAME_MAX): PS_OK, PS_E_INVALID (bad
 * length), PS_E_NO_SPACE / PS_E_FULL (no room: the frame is not sent,
 * counted as dropped), PS_E_CORRUPT. */
ps_error_t nic_send(struct nic_connection *c, const void *frame, size_t len);
/* The next received frame copied into buf of max bytes: its length, 0
 * when there is none. A frame that is too long for buf, or malformed, is
 * acknowledged with an error, counted in rx_bad and skipped. */
size_t nic_recv(struct nic_connection *c, void *buf, size_t max);
/* The same without the copy: the next received frame handed to fn where
 * it lies in the stream (shared with the router, which may still write
 * it: fn copies what it keeps before it looks at it), then acknowledged.
 * Its length, 0 when there is none. */
typedef void (*nic_frame_fn)(void *arg, const void *frame, size_t len);
size_t nic_recv_in_place(struct nic_connection *c, nic_frame_fn fn, void *arg);
/* Take the acknowledgements of sent frames (nic_send does it too). */
void nic_reclaim(struct nic_connection *c);
/* Block until the next signal (own notification only). */
void nic_wait(struct nic_connection *c);

/* ---- Uplink (NIC drivers) ---- */

#define UPLINK_PENDING 512

struct uplink_args {
	uint8_t mac[6];
	uint16_t mtu;                    /* IP MTU, 0: 1500 */
	bool link;
	/* both streams, the driver's (normally DMA buffers) */
	cptr_t ds[NIC_STREAMS];
	void *mem[NIC_STREAMS];          /* where they are attached */
	size_t size[NIC_STREAMS];        /* their real sizes */
	uint64_t dev[NIC_STREAMS];       /* device addresses of mem (contiguous) */
	uint32_t slots;                  /* per ring, a power of two */
	cptr_t sigh;                     /* for all four conditions the driver waits for */
};

/* A receive buffer or a frame to transmit. */
struct uplink_buf {
	struct ps_desc d;
	void *data;
	uint64_t dev;                    /* its device address */
	size_t len;                      /* frame length (transmit), buffer size (receive) */
};

struct uplink_connection {
	struct parent_conn pc;
	struct ps_source rx;             /* NIC_UP: frames from the wire */
	struct ps_sink tx;               /* NIC_DOWN: frames to send */
	struct ps_caps peer_rx, peer_tx; /* the router's notifications */
	uint8_t *mem[NIC_STREAMS];
	uint64_t dev[NIC_STREAMS];
	unsigned taken;                  /* tx frames given to the driver, not yet done */
	struct ps_desc pending[UPLINK_PENDING];  /* tx acks the ring had no room for */
	unsigned phead, npending;
	bool dead;
	bool link;
	struct nic_counters cnt;
};

rpc_status_t uplink_open(struct uplink_connection *c, const char *label);
rpc_status_t uplink_start(struct uplink_connection *c, const struct uplink_args *a);
/* Both in one. */
rpc_status_t uplink_connect(struct uplink_connection *c, const char *label,
			    const struct uplink_args *a);
void uplink_disconnect(struct uplink_connection *c);
rpc_status_t uplink_set_link(struct uplink_connection *c, bool up);

/* Receive side: a buffer of NIC_FRAME_MAX bytes (PS_E_NO_SPACE: all are
 * out; reclaim after the next signal). */
ps_error_t uplink_rx_alloc(struct uplink_connection *c, struct uplink_buf *b);
/* b filled with len bytes: submitted (PS_E_FULL: not; the buffer stays
 * the driver's). A length outside NIC_FRAME_MIN..NIC_FRAME_MAX is
 * PS_E_INVALID (the buffer stays the driver's: reuse it). */
ps_error_t uplink_rx_submit(struct uplink_connection *c, struct uplink_buf *b, size_t len);
/* The same with flags for the router: NIC_ARG_CSUM_VALID (nic_session.h). */
ps_error_t uplink_rx_submit_flags(struct uplink_connection *c, struct uplink_buf *b, size_t len,
				  unsigned flags);
void uplink_rx_drop(struct uplink_connection *c, const struct uplink_buf *b);
/* Free the buffers the router acknowledged; the number freed. */
unsigned uplink_rx_reclaim(struct uplink_connection *c);
/* Copy a frame in and submit it (reclaims first). */
ps_error_t uplink_rx_frame(struct uplink_connection *c, const void *frame, size_t len);

/* Transmit side: the next frame, checked; false when there is none (or
 * too many acknowledgements wait for room: call again after a signal). */
bool uplink_tx_next(struct uplink_connection *c, struct uplink_buf *b);
/* Frame b sent (ok) or dropped by the device (!ok). */
void uplink_tx_done(struct uplink_connection *c, const struct uplink_buf *b, bool ok);
void uplink_tx_flush(struct uplink_connection *c);

#endif
