# The boot framebuffer driver (GRUB's VBE/GOP mode from platform_info):
# a Capture client of the GUI server (docs/gui.md).
NAME := fb_boot
KIND := component
LIBS := driver gui_session
