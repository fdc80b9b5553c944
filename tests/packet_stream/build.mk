# The packet stream between two components (argil/packet_stream.h): the
# test, started by core as init, with the sink as its child (testbed.h).
NAME := packet_stream_test
KIND := component
LIBS := testbed
