# run/ps2_restart_init: restarts ps2 through the config of a nested init.
NAME := ps2_restarter
KIND := component
LIBS := report_session timer_session
