# text_glyphs (`make bench`, run/text_glyphs_bench): glyphs drawn by lib/gui
# per million instructions under -icount shift=0 (bench/README.md).
NAME := text_glyphs_bench
KIND := component
LIBS := testbed guilib
