/*
 * A lib/net link (net_link.h) over a Nic session of nic_router
 * (nic_connection.h): frames lwIP sends are copied into the session's
 * NIC_UP stream, frames the router delivers are handed to lwIP from the
 * link's poll where they lie in the NIC_DOWN stream (copied once, into a
 * pbuf); the session's signals wake lib/net on the entrypoint, and
 * the link signal refreshes the MAC and link state.
 *
 *   struct net_nic_link n;
 *   net_nic_link_open(&n, ep, "");                   // the session
 *   net_stack_open(&s, &n.link, cfg_child(cfg, "net"));  // DHCP or static
 */
#ifndef NET_NIC_H
#define NET_NIC_H

#include <argil/entrypoint.h>
#include <net_link.h>
#include <nic_connection.h>

struct net_nic_link {
	struct net_link link;            /* first: lib/net's view */
	struct nic_connection nic;
	struct entrypoint *ep;
	struct signal_handler link_sig; /* link changes (the streams signal lib/net's own) */
};

/* Open a Nic session labelled label (stream sizes: the defaults) with the
 * link signal's handler on ep; after net_init (NET_E_NOT_READY before).
 * NET_E_UNREACHABLE: no session could be had (the reason logged); NET_E_NOMEM. */
net_err_t net_nic_link_open(struct net_nic_link *n, struct entrypoint *ep, const char *label);
/* Close the session (close the stack on it first). */
void net_nic_link_close(struct net_nic_link *n);

#endif
