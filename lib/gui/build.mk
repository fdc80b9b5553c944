# lib/gui: drawing into GUI buffers, TrueType text and the dialog renderer
# (docs/gui.md, "Text and widgets"). Portable C over the C library port and
# stb_truetype; host-tested by tests/host/gui_*.c. NAME is guilib because
# gui is the GUI server's (servers/gui).
NAME := guilib
KIND := library
LIBS := stb event_session
