# packet_stream_4k (`make bench`, run/packet_stream_bench): one 4 KiB
# packet submitted, processed and acknowledged between two components.
NAME := packet_stream_bench
KIND := component
LIBS := testbed
