# The GUI test (run/gui_test): two clients, overlapping views, fb_bochs
# mode change and restart, pixels checked on the host (screen_check.py).
NAME := gui_test
KIND := component
LIBS := testbed gui_session
