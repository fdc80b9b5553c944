# block_restarter: restarts the disk's driver each time a client's report
# says it got further (run/block_restart_fs).
NAME := block_restarter
KIND := component
LIBS := report_session
