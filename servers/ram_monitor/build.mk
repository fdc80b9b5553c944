# ram_monitor (docs/gui.md "ram_monitor"): init's state report as a
# window per running child with its RAM use; the desktop_ram figure.
NAME := ram_monitor
KIND := component
LIBS := gui_session guilib
