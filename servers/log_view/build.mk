# log_view (docs/gui.md "log_view"): serves LOG sessions, passes each line
# on to its own LOG and shows the last lines in a Gui window; ring.c is
# host-tested (tests/host/log_ring.c).
NAME := log_view
KIND := component
LIBS := gui_session guilib
