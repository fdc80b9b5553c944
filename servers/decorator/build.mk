# The decorator (servers/wm/README.md): title bars, borders, close and
# maximize buttons around each window of the layout; reports its margins
# and what the pointer hovers. Titles with lib/gui's font (ROM "font").
NAME := decorator
KIND := component
LIBS := wm_core gui_session report_session guilib
