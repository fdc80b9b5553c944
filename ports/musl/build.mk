# Port of musl, the C library for components and ports (docs/ports.md).
# A component that names it (LIBS := libc) gets the C headers and
# build/ports/libc/libc.a: string, ctype, stdlib, stdio (printf to the
# LOG session), setjmp, math, multibyte, locale, errno, exit. malloc and
# friends are base's, on the component's heap. rules.mk builds it.
NAME := libc
KIND := port
PORT_PACKAGE := musl
PORT_VERSION := 1.2.3-1
PORT_FILES   := musl_1.2.3-1.dsc:243a7462e9c751da662c4c61d4c96b6318c796ba302b72f6cdf74ea5427a9b4f \
                musl_1.2.3.orig.tar.gz:7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4 \
                musl_1.2.3.orig.tar.gz.asc:eb83fe63629f569ca1bd2b52b852093c75656bc526ff19c1402151d7cd584ba2 \
                musl_1.2.3-1.debian.tar.xz:8f12cc808dbec030179a25ce2645a4c0b622ee8011c2afcec53b87ec5867a8cc
PORT_PATCHES := 0001-syscalls-to-argil.patch 0002-thread-pointer.patch
INCLUDE := $(BUILD)/ports/libc/include
