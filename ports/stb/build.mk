# Port of stb_truetype, a TrueType font rasterizer in one C header
# (docs/ports.md). Only stb_truetype.h is taken from Debian's libstb source
# package; stb_truetype.c here compiles its implementation against the C
# library port. lib/gui names it (LIBS := stb) and includes
# <stb_truetype.h>; rules.mk builds it.
NAME := stb
KIND := port
LIBS := libc
PORT_PACKAGE := libstb
PORT_VERSION := 0.0~git20220908.8b5f1f3+ds-1
PORT_FILES   := libstb_0.0~git20220908.8b5f1f3+ds-1.dsc:0daeb4140927e95287abc8395453f21d7c9d9c803d2407f4046d6e3a29e8e813 \
                libstb_0.0~git20220908.8b5f1f3+ds.orig.tar.xz:6949c8ff9f86d982cff1b384f1301a731cbaf3b3fa4d1728c7b48a02386d31d8 \
                libstb_0.0~git20220908.8b5f1f3+ds-1.debian.tar.xz:5c10b002873398da74e690c03091e698c8d9aef126e2aa6b082504c648918cbe
PORT_PATCHES :=
PORT_PATHS   := stb_truetype.h
INCLUDE := $(BUILD)/ports/stb/include
