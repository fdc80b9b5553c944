# driver_manager: starts the drivers the devices report needs, from their manifests, and restarts them (docs/devices.md).
NAME := driver_manager
KIND := component
LIBS := report_session timer_session platform_session
