# SHA-256 (FIPS 180-4), for components that check what they were given
# (ports/zlib/test). Host-tested by tests/host/sha256.c.
NAME := sha256
KIND := library
