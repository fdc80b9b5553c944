# core's test suite, started by core as init (core/README.md).
NAME := core_test
KIND := component
LIBS := child harness
