# The sink of run/packet_stream_test and the packet_stream_4k benchmark
# (../packet_sink.h).
NAME := packet_sink
KIND := component
