# Port of zlib, deflate and inflate (docs/ports.md). A component that names
# it (LIBS := zlib) gets zlib.h and build/ports/zlib/zlib.a, and the C
# library port, which zlib uses. rules.mk builds it.
NAME := zlib
KIND := port
LIBS := libc
PORT_PACKAGE := zlib
PORT_VERSION := 1:1.2.13.dfsg-1
PORT_FILES   := zlib_1.2.13.dfsg-1.dsc:3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8 \
                zlib_1.2.13.dfsg.orig.tar.bz2:71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1 \
                zlib_1.2.13.dfsg-1.debian.tar.xz:f66cf3d4f2d7defcd4d1fd1fb0a11ee39f1e01b42ec7d059c9dc5c1695133c44
PORT_PATCHES :=
INCLUDE := $(BUILD)/ports/zlib/include
