# A demo child of run/default that logs a line per second.
NAME := ticker
KIND := component
LIBS := timer_session report_session
