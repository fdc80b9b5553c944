# The virtio-blk driver: a Block_driver client of the block multiplexer
# (docs/storage.md, "Block").
NAME := virtio_blk
KIND := component
LIBS := driver block_session
