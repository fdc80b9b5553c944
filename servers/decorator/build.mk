# The decorator (servers/wm/README.md): title bars, borders, close and
# maximize buttons around each window of the layout; reports its margins
# and what the pointer hovers.
NAME := decorator
KIND := component
LIBS := wm_core gui_session report_session
