# block_bench: block_read_4k, block_read_1m, block_write_1m through the
# multiplexer and virtio_blk (run/block_bench).
NAME := block_bench
KIND := component
LIBS := block_session
