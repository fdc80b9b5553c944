# The Block client of run/nvme_test: NVMe namespaces through the block multiplexer.
NAME := nvme_block_test
KIND := component
LIBS := block_session sha256 report_session
