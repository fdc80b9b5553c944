# block_test: a client of the block multiplexer (run/block_test).
NAME := block_test
KIND := component
LIBS := harness block_session sha256
