# The window manager's portable core (README.md of servers/wm): window
# geometry and decoration hit tests (geometry.c), the layouter's logic
# (layout.c), the wm's view and input translation (geometry.c). Used by
# servers/wm, servers/layouter, servers/decorator and the host tests
# (tests/host/wm_layout.c).
NAME := wm_core
KIND := library
LIBS := gui_session event_session
