# ram_monitor (docs/gui.md "ram_monitor"): init's state report as a
# window, a row per child with its RAM use; the desktop_ram figure.
NAME := ram_monitor
KIND := component
LIBS := gui_session guilib
