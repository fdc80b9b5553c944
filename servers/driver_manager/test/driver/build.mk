# dm_test_driver: the stand-in driver of run/driver_manager_test (acquires its devices, dies on request).
NAME := dm_test_driver
KIND := component
LIBS := platform_session report_session
