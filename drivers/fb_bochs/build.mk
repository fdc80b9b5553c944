# The Bochs/QEMU display driver (-device VGA, bochs-display): a Capture
# client of the GUI server (docs/gui.md).
NAME := fb_bochs
KIND := component
LIBS := driver gui_session
