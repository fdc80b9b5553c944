/*
 * Key codes of Argil's input events, defined once: the code of a key is
 * its usage ID on the USB HID keyboard page (HID Usage Tables 1.12,
 * chapter 10), so that PS/2, USB and virtio input drivers agree; mouse
 * buttons follow from 0x110. KEY_NAMES(item) lists every code with its name,
 * for tables (the ps2 scan code map, the event server's report) and for
 * logs.
 */
#ifndef INPUT_KEYS_H
#define INPUT_KEYS_H

#define KEY_NAMES(item)                                                                   \
	item(A, 0x04) item(B, 0x05) item(C, 0x06) item(D, 0x07) item(E, 0x08) item(F, 0x09) item(G, 0x0a)  \
	item(H, 0x0b) item(I, 0x0c) item(J, 0x0d) item(K, 0x0e) item(L, 0x0f) item(M, 0x10) item(N, 0x11)  \
	item(O, 0x12) item(P, 0x13) item(Q, 0x14) item(R, 0x15) item(S, 0x16) item(T, 0x17) item(U, 0x18)  \
	item(V, 0x19) item(W, 0x1a) item(X, 0x1b) item(Y, 0x1c) item(Z, 0x1d)                        \
	item(1, 0x1e) item(2, 0x1f) item(3, 0x20) item(4, 0x21) item(5, 0x22) item(6, 0x23) item(7, 0x24)  \
	item(8, 0x25) item(9, 0x26) item(0, 0x27)                                              \
	item(ENTER, 0x28) item(ESC, 0x29) item(BACKSPACE, 0x2a) item(TAB, 0x2b) item(SPACE, 0x2c)    \
	item(MINUS, 0x2d) item(EQUAL, 0x2e) item(LEFTBRACE, 0x2f) item(RIGHTBRACE, 0x30)          \
	item(BACKSLASH, 0x31) item(SEMICOLON, 0x33) item(APOSTROPHE, 0x34) item(GRAVE, 0x35)      \
	item(COMMA, 0x36) item(DOT, 0x37) item(SLASH, 0x38) item(CAPSLOCK, 0x39)                  \
	item(F1, 0x3a) item(F2, 0x3b) item(F3, 0x3c) item(F4, 0x3d) item(F5, 0x3e) item(F6, 0x3f)       \
	item(F7, 0x40) item(F8, 0x41) item(F9, 0x42) item(F10, 0x43) item(F11, 0x44) item(F12, 0x45)    \
	item(PRINT, 0x46) item(SCROLLLOCK, 0x47) item(PAUSE, 0x48) item(INSERT, 0x49)             \
	item(HOME, 0x4a) item(PAGEUP, 0x4b) item(DELETE, 0x4c) item(END, 0x4d) item(PAGEDOWN, 0x4e)  \
	item(RIGHT, 0x4f) item(LEFT, 0x50) item(DOWN, 0x51) item(UP, 0x52) item(NUMLOCK, 0x53)       \
	item(KP_SLASH, 0x54) item(KP_ASTERISK, 0x55) item(KP_MINUS, 0x56) item(KP_PLUS, 0x57)     \
	item(KP_ENTER, 0x58) item(KP_1, 0x59) item(KP_2, 0x5a) item(KP_3, 0x5b) item(KP_4, 0x5c)     \
	item(KP_5, 0x5d) item(KP_6, 0x5e) item(KP_7, 0x5f) item(KP_8, 0x60) item(KP_9, 0x61)         \
	item(KP_0, 0x62) item(KP_DOT, 0x63) item(102ND, 0x64) item(MENU, 0x65)                    \
	item(LEFTCTRL, 0xe0) item(LEFTSHIFT, 0xe1) item(LEFTALT, 0xe2) item(LEFTMETA, 0xe3)       \
	item(RIGHTCTRL, 0xe4) item(RIGHTSHIFT, 0xe5) item(RIGHTALT, 0xe6) item(RIGHTMETA, 0xe7)   \
	item(BTN_LEFT, 0x110) item(BTN_RIGHT, 0x111) item(BTN_MIDDLE, 0x112)                   \
	item(BTN_SIDE, 0x113) item(BTN_EXTRA, 0x114)

#define KEY_ENUM(name, code) KEY_##name = code,
enum key_code {
	KEY_NONE = 0,
	KEY_NAMES(KEY_ENUM)
	KEY_MAX = 0x1ff,
};
#undef KEY_ENUM

/* "A", "ENTER", "BTN_LEFT"; NULL for a code without a name. */
const char *key_name(unsigned code);

#endif
