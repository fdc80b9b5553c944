# block_restart_test: a Block client that restarts the disk's driver while
# its requests are in flight (run/block_restart).
NAME := block_restart_test
KIND := component
LIBS := harness block_session report_session sha256
