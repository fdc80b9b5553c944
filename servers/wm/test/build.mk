# The window manager's test (run/wm_test): two applications through the
# wm, rules changed while running, pixels checked on the host.
NAME := wm_test
KIND := component
LIBS := harness gui_session report_session event_session timer_session
