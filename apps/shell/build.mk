# shell (docs/gui.md "The shell"): a command shell of Argil's own in a
# Terminal session: line editing, history, help, echo, clear, ps (init's
# state report), uptime, colors, log.
NAME := shell
KIND := component
LIBS := terminal_session timer_session
