# Port of the DejaVu fonts (docs/ports.md, "DejaVu"): TrueType files for
# lib/gui, which components get as boot modules (ROMs), e.g.
# build/fonts/DejaVuSansMono.ttf. Debian's source package fonts-dejavu
# 2.37-6 holds the fonts only as FontForge sources (.sfd) that need
# fontforge to become .ttf, so the recipe takes the built files from the
# binary package fonts-dejavu-core 2.37-6 of the same source (apt-get
# download, sha256 checked, dpkg-deb -x: tools/port). No code: the port's
# archive is empty; rules.mk copies the fonts to build/fonts/.
NAME := dejavu
KIND := port
PORT_PACKAGE := fonts-dejavu-core
PORT_VERSION := 2.37-6
PORT_FILES   := fonts-dejavu-core_2.37-6_all.deb:8892669e51aab4dc56682c8e39d8ddb7d70fad83c369344e1e240bf3ca22bb76
PORT_PATCHES :=
INCLUDE :=

# the fonts as boot modules: made with the port
DEJAVU_FONTS := DejaVuSans.ttf DejaVuSansMono.ttf DejaVuSans-Bold.ttf DejaVuSansMono-Bold.ttf
$(addprefix $(BUILD)/fonts/,$(DEJAVU_FONTS)): $(BUILD)/ports/dejavu/dejavu.a
	@test -f $@ || { echo "dejavu: $@ missing after the port was built" >&2; exit 1; }
