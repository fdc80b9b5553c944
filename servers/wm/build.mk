# The window manager (README.md): serves the Gui interface to applications
# through sessions of its own at the GUI server, windows placed by the
# layouter (servers/layouter), decorations by servers/decorator.
NAME := wm
KIND := component
LIBS := gui_session report_session wm_core
