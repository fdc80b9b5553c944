# The event filter: keymaps, key repeat, merging, remapping, global keys (README.md).
NAME := event_filter
KIND := component
LIBS := event_session timer_session
