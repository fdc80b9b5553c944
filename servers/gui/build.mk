# The GUI server, first form: Gui sessions of applications, Capture
# sessions of display drivers (docs/gui.md).
NAME := gui
KIND := component
LIBS := gui_session
