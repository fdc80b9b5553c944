# The virtio-input driver: keyboards and tablets, feeding the Event session (README.md).
NAME := virtio_input
KIND := component
LIBS := driver event_session
