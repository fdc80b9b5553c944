# The NIC drivers' test (run/nic_drivers_test): serves Uplink sessions in the router's place and talks to QEMU's slirp through each driver.
NAME := nic_drivers_test
KIND := component
LIBS := nic_session
