# The block multiplexer's client that checks disks the ahci driver serves (run/ahci_test).
NAME := ahci_block_test
KIND := component
LIBS := block_session harness sha256
