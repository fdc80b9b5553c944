# The Terminal session's interface and client library (include/terminal_session.h):
# what a client of servers/terminal names, LIBS := terminal_session.
NAME := terminal_session
KIND := library
