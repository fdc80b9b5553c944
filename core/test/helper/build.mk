# The child that core_test starts (core/README.md).
NAME := core_test_helper
KIND := component
