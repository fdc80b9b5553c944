# The Timer service (README.md).
NAME := timer
KIND := component
LIBS := timer_session
