# base: the library every program and component links (README.md). The
# Makefile links $(BUILD)/libbase.a into each of them without their naming
# it, and base/include is on every user-space include path.
NAME := base
KIND := library
SRCS := $(wildcard base/src/*.c base/arch/$(ARCH)/*.c base/arch/$(ARCH)/*.S)
INCLUDE :=
