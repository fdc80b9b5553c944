# zlib_test: the zlib port's test in Argil, started by core as init
# (run/zlib_test). Its boot modules are made here on the host with the real
# gzip and sha256sum, from a real file (the kernel).
NAME := zlib_test
KIND := component
LIBS := zlib sha256 harness

$(BUILD)/zlib_test/sample.gz: $(BUILD)/kernel.elf
	@mkdir -p $(dir $@)
	gzip -9 -n -c $< > $@
$(BUILD)/zlib_test/sample.sha256: $(BUILD)/kernel.elf
	@mkdir -p $(dir $@)
	sha256sum $< > $@
