# The Nic and Uplink interfaces (nic_session.h) and their session library
# (nic_connection.h): the client side of Nic, the driver side of Uplink.
NAME := nic_session
KIND := library
