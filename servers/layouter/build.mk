# The layouter (servers/wm/README.md): window placement, focus, moving,
# resizing, maximizing, closing and shortcuts, from the wm's window list,
# the rules and its input; writes window_layout and focus.
NAME := layouter
KIND := component
LIBS := wm_core gui_session report_session timer_session
