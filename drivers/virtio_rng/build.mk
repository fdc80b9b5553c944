# The virtio-rng driver: serves Entropy sessions (README.md, docs/devices.md).
NAME := virtio_rng
KIND := component
LIBS := driver entropy_session
