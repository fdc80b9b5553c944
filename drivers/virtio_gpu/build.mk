# The virtio-gpu driver (2D): each scanout a screen, a Capture client of
# the GUI server (docs/gui.md).
NAME := virtio_gpu
KIND := component
LIBS := driver gui_session
