# The GUI server: Gui sessions of applications, Capture sessions of display
# drivers, Event sessions of input drivers (docs/gui.md).
NAME := gui
KIND := component
LIBS := gui_session event_session guilib
# the x-ray labels' font, a boot module of the scenarios (ROM "font")
$(BUILD)/gui.elf: | $(BUILD)/fonts/DejaVuSans.ttf
