/*
 * The dialog renderer (lib/gui, docs/gui.md "Dialogs"): a dialog
 * description in Argil's config format, laid out with one font, drawn
 * into a surface, and input events turned into a state report in the
 * config format. The control GUI is built from it.
 *
 *   <dialog>
 *     <frame title="Network">
 *       <vbox>
 *         <label text="Choose an uplink"/>
 *         <checkbox name="wifi" text="Wi-Fi" checked="yes"/>
 *         <textfield name="ssid" text="home"/>
 *         <scroll height="80">
 *           <list name="nets"> <item name="a" text="alpha"/> <item name="b" text="beta"/> </list>
 *         </scroll>
 *         <hbox> <button name="ok" text="OK"/> <button name="cancel" text="Cancel"/> </hbox>
 *       </vbox>
 *     </frame>
 *   </dialog>
 *
 * Pointer events are in the dialog's own pixels: INPUT_ABSOLUTE x,y is a
 * position relative to the dialog's top-left corner (the caller maps
 * screen or view coordinates), INPUT_MOTION moves it. A left-button click
 * (press and release on the same widget) activates a button, toggles a
 * checkbox, selects a list item, focuses a text field; characters
 * (INPUT_CHAR) go to the focused text field, BACKSPACE removes its last
 * character, TAB moves the focus to the next text field; the wheel
 * scrolls the scroll area under the pointer.
 */
#ifndef GUI_DIALOG_H
#define GUI_DIALOG_H

#include <gui/font.h>

#define GUI_DIALOG_MAX_LEN (256u * 1024u)  /* bytes of a description */
#define GUI_DIALOG_MAX_WIDGETS 1024
#define GUI_DIALOG_MAX_DEPTH 32
#define GUI_TEXTFIELD_MAX 256              /* bytes of a text field's text */
#define GUI_DIALOG_ERROR 160               /* bytes of an error message */

struct gui_dialog;
struct input_event;

/*
 * Parses and lays out a description (len bytes, no NUL needed) with font f
 * (which must outlive the dialog). NULL on any error, with a message in
 * error[GUI_DIALOG_ERROR] that names the line and column and what is
 * wrong (a parse error, an unknown node or attribute, a missing name, a
 * name used twice, an <item> outside a <list>, a <scroll> without exactly
 * one sub-node or height, nesting too deep, too many widgets, no memory).
 */
struct gui_dialog *gui_dialog_new(const char *desc, size_t len, struct gui_font *f,
                                  char error[GUI_DIALOG_ERROR]);
void gui_dialog_free(struct gui_dialog *d);

/* The smallest size the dialog needs; its size now (at least the smallest). */
void gui_dialog_min_size(const struct gui_dialog *d, int *w, int *h);
void gui_dialog_size(const struct gui_dialog *d, int *w, int *h);
/* Lays the dialog out in w x h pixels (less than the smallest: the smallest). */
void gui_dialog_resize(struct gui_dialog *d, int w, int h);

/* Draws the whole dialog with its top-left corner at x,y, clipped. */
void gui_dialog_draw(struct gui_dialog *d, struct gui_surface *s, int x, int y);

/* Applies one input event; true if the dialog looks different or its
 * report changed (draw it and write the report again). */
bool gui_dialog_input(struct gui_dialog *d, const struct input_event *e);

/*
 * The dialog's state as a report (written with base's config writer):
 *
 *   <dialog>
 *     <hover name="ok"/>                 the widget under the pointer, if named
 *                                        (an item: list="nets" as well)
 *     <clicked name="ok" seq="3"/>        the last click and how many so far
 *     <focus name="ssid"/>               the focused text field
 *     <checkbox name="wifi" checked="yes"/>   every checkbox
 *     <textfield name="ssid" text="home"/>    every text field, as edited
 *     <list name="nets" selected="b"/>        every list (selected: if any)
 *   </dialog>
 *
 * Returns the length the whole report needs (snprintf-like; NUL-terminated
 * if size > 0); 0 if the writer refused something (cannot happen for
 * names and texts the parser accepted).
 */
size_t gui_dialog_report(const struct gui_dialog *d, char *buf, size_t size);

/* The rectangle of the widget of that name in the dialog (for tests and
 * for pointing at it); empty if there is none. An item: "list/item". */
struct gui_rect gui_dialog_widget_rect(const struct gui_dialog *d, const char *name);

#endif
