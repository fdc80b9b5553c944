# The Entropy session's test client (run/virtio_rng_test).
NAME := entropy_test
KIND := component
LIBS := entropy_session
