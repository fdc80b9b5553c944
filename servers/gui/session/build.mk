# The GUI server's interfaces and their clients: the Gui session of
# applications (gui_session.h) and the Capture session of display drivers
# (capture_session.h).
NAME := gui_session
KIND := library
LIBS := event_session
