# terminal (docs/gui.md "Terminal"): a Gui client that serves Terminal
# sessions; vt.c the screen model, render.c its pixels (both host-built
# too: tests/host/vt.c, tools/term_render.c).
NAME := terminal
KIND := component
LIBS := gui_session guilib report_session terminal_session timer_session
