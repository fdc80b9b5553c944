# shell (docs/gui.md "The shell"): a command shell of Argil's own in a
# Terminal session: line editing, history, help, echo, clear, ps (init's
# state report), uptime, colors, log.
NAME := shell
KIND := component
LIBS := terminal_session timer_session
# run/desktop_test's host check renders the shell's ps with tools/term_render
# (servers/terminal/test/build.mk), made with the shell (run.py makes the
# modules only)
$(BUILD)/shell.elf: $(BUILD)/host/term_render
