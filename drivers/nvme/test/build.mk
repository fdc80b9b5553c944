# A stand-in for the block multiplexer's Block_driver side (run/nvme_test).
NAME := nvme_blkdrv_test
KIND := component
LIBS := block_session sha256
