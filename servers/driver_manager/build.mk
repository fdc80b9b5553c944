# driver_manager: starts the drivers the devices report needs, from their manifests, and restarts them (docs/devices.md).
NAME := driver_manager
KIND := component
LIBS := report_session timer_session platform_session

# driver_manager's ROM "manifests" (the kernel takes 16 boot modules):
# build/drivers.manifests bundles every drivers/*/manifest,
# build/dm_test.manifests the test's (servers/driver_manager/test/manifests).
$(BUILD)/drivers.manifests: $(sort $(wildcard drivers/*/manifest))
$(BUILD)/dm_test.manifests: $(sort $(wildcard servers/driver_manager/test/manifests/*.manifest))
$(BUILD)/drivers.manifests $(BUILD)/dm_test.manifests:
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@){ echo '<manifests>'; cat $^; echo '</manifests>'; } > $@.tmp && mv $@.tmp $@
programs: $(BUILD)/drivers.manifests $(BUILD)/dm_test.manifests
