/*
 * The network interface below lwIP (docs/network.md): whatever moves
 * Ethernet frames for a stack. A link provides transmit and poll; lib/net
 * gives it frames to send, and the link hands received frames to
 * net_link_input() from its poll. A link whose frames arrive by a signal
 * of its own (a Nic session's packet stream) calls net_link_wakeup() so
 * that lib/net polls it on the entrypoint.
 *
 * Links here: the in-memory wire (two ends, each a link: what one end
 * transmits the other receives) and the loopback (one end that receives
 * what it transmits). The Nic session's client is the next one.
 */
#ifndef NET_LINK_H
#define NET_LINK_H

#include <net.h>

#define NET_FRAME_MAX 1514   /* an Ethernet frame without FCS, MTU 1500 */

struct net_link;

struct net_link_ops {
	/* Send one frame of len bytes (14..NET_FRAME_MAX). NET_E_AGAIN: the
	 * device's queue is full, the frame is dropped (TCP retransmits). */
	net_err_t (*transmit)(struct net_link *l, const void *frame, size_t len);
	/* Hand the frames received so far to net_link_input(); the number given. */
	unsigned (*poll)(struct net_link *l);
};

struct net_link {
	const struct net_link_ops *ops;
	uint8_t mac[6];
	uint16_t mtu;                /* IP MTU: 1500 for Ethernet */
	bool up;                     /* link state; net_link_set_up changes it */
	struct net_stack *stack;     /* the stack on it (set by net_stack_open) */
};

/* A received frame for the link's stack (copied; the caller keeps frame). */
void net_link_input(struct net_link *l, const void *frame, size_t len);
/* The link has frames or a new state: have lib/net poll it on the entrypoint. */
void net_link_wakeup(struct net_link *l);
void net_link_set_up(struct net_link *l, bool up);
/* The notification lib/net runs the stack on (0 before net_init): a link
 * whose device or server signals through a notification capability gives
 * it this one, so that blocking calls wake for its frames as well. */
cptr_t net_link_signal_cap(void);

/* ---- the in-memory wire and the loopback (lib/net/wire.c) ---- */

struct net_wire_end {
	struct net_link link;
	struct net_wire_end *peer;   /* the end that receives what this one sends */
	uint8_t *frames;             /* slots of NET_FRAME_MAX bytes: what this end received */
	uint16_t *lens;
	unsigned slots, head, count;
	unsigned long dropped;       /* frames this end received while full */
};

struct net_wire {
	struct net_wire_end end[2];
};

/* Two joined ends, each with its own queue of slots frames and a locally
 * administered MAC address of its own. NET_E_NOMEM, NET_E_INVALID (0 slots). */
net_err_t net_wire_init(struct net_wire *w, unsigned slots);
/* One end that receives what it transmits. */
net_err_t net_loopback_init(struct net_wire_end *e, unsigned slots);
void net_wire_end_fini(struct net_wire_end *e);

#endif
