# Starting and destroying a child component through core's services
# (include/child.h): for parents, such as init, the testbed and core's
# tests and benchmarks.
NAME := child
KIND := library
