# The PS/2 driver: i8042 keyboard and mouse, feeding the Event session (README.md).
NAME := ps2
KIND := component
LIBS := driver event_session
