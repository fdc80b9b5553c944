# The AHCI driver: SATA disks behind an AHCI HBA, Block_driver client of the block multiplexer (README.md).
NAME := ahci
KIND := component
LIBS := driver timer_session block_session harness sha256
