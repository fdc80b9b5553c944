# A child for init's scenarios (os/init/README.md).
NAME := init_test_child
KIND := component
