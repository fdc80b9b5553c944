# The socket API of Argil applications over the lwIP port (docs/network.md):
# TCP and UDP sockets, blocking on the entrypoint or non-blocking with
# signals, stacks configured from a <net> config node, network interfaces
# below lwIP as struct net_link (the in-memory wire and loopback here; the
# Nic session later).
NAME := net
KIND := library
LIBS := lwip timer_session
