# block: the block multiplexer (docs/storage.md, "Block"): disks from
# Block_driver sessions, GPT and MBR partitions, Block sessions by policy,
# in-flight requests kept for a restarted driver.
NAME := block
KIND := component
LIBS := block_session rom_server report_session
