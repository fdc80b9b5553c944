# The NVMe driver: a client of the block multiplexer per namespace (README.md).
NAME := nvme
KIND := component
LIBS := driver timer_session sha256 block_session
