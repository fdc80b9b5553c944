# lib/net's link over a Nic session of nic_router (net_nic.h): applications
# use lib/net's sockets through the router.
NAME := net_nic
KIND := library
LIBS := net nic_session
