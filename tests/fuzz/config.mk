# The config parser's fuzzer (docs/config.md): parser, queries and output.
FUZZERS += config
config_FUZZ_SRCS := $(CONFIG_SRCS)
config_FUZZ_DEPS := $(CONFIG_DEPS)
config_FUZZ_ARGS := -dict=tests/fuzz/config.dict
