# The Gui session's interface and client (gui_session.h).
NAME := gui_session
KIND := library
