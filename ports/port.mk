# Builds one port (docs/ports.md). The top Makefile runs this in a make of
# its own once tools/port has unpacked the sources:
#   make -f ports/port.mk PORT=<name> PORT_DIR=ports/<dir> BUILD=build \
#        OUT=build/ports/<name> LIB=build/ports/<name>/<name>.a \
#        LIB_INCLUDE="<include folders of the ports it names>"
# It reads the port's rules.mk, which sets
#   SRCS          the sources (under $(SRC), the unpacked tree, or the
#                 port's own glue under $(PORT_DIR))
#   PORT_CFLAGS   the flags for them besides the common ones below
#   PORT_HEADERS  files to make before compiling (generated headers and
#                 the headers installed for those that name the port)
# and may add rules for those. Objects go to $(OUT)/obj/.
SRC := $(OUT)/src
CC  := gcc
AR  := ar

# Freestanding, as for components (the top Makefile's CFREE), without our
# own warning flags: third-party code is built as its authors build it.
PORT_CFREE := -ffreestanding -nostdlib -fno-pic -fno-pie -fno-stack-protector -mno-red-zone \
              -mcmodel=small -g -O2 -MMD -MP

.DEFAULT_GOAL := $(LIB)
include $(PORT_DIR)/rules.mk

obj_of = $(patsubst $(SRC)/%,$(OUT)/obj/%.o,$(patsubst $(PORT_DIR)/%,$(OUT)/obj/port/%.o,$(1)))
OBJS := $(call obj_of,$(SRCS))

# the archive holds exactly the objects of the rules' list (none for a port
# of data, such as fonts: its PORT_HEADERS are its products)
$(LIB): $(OBJS) $(PORT_DIR)/rules.mk | $(PORT_HEADERS)
	@rm -f $@ && $(AR) rcs $@ $(OBJS)
	@echo "port $(PORT): $@ ($(words $(OBJS)) objects)"

$(OBJS): | $(PORT_HEADERS)

PORT_FLAGS = $(PORT_CFREE) $(PORT_CFLAGS) $(addprefix -isystem ,$(LIB_INCLUDE))
$(OUT)/obj/port/%.o: $(PORT_DIR)/% $(PORT_DIR)/rules.mk
	@mkdir -p $(dir $@)
	$(CC) $(PORT_FLAGS) -c $< -o $@
$(OUT)/obj/%.o: $(SRC)/% $(PORT_DIR)/rules.mk
	@mkdir -p $(dir $@)
	@$(CC) $(PORT_FLAGS) -c $< -o $@

-include $(OBJS:.o=.d)
