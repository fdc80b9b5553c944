# The event server: Event sessions of input drivers (README.md).
NAME := event
KIND := component
LIBS := event_session report_session
