/*
 * The dialog renderer (include/gui/dialog.h): a description parsed with
 * base's config parser into a flat array of widgets (parent, first child,
 * next sibling as indices), measured bottom-up, placed top-down, drawn and
 * hit-tested by walking the same tree. Everything in the description is
 * checked while the widgets are built, so layout, drawing and input never
 * meet an unexpected node; recursion is bounded by GUI_DIALOG_MAX_DEPTH.
 *
 * Widget rectangles are in dialog coordinates as if no scroll area were
 * scrolled; drawing and hit-testing subtract each enclosing scroll area's
 * offset and clip to its view.
 */
#include <gui/dialog.h>
#include <argil/config.h>
#include <event_session.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum wtype { W_DIALOG, W_FRAME, W_VBOX, W_HBOX, W_LABEL, W_BUTTON, W_CHECKBOX, W_TEXTFIELD,
             W_LIST, W_ITEM, W_SCROLL, W_TYPES };

/* what each node type is called and which attributes it takes */
static const struct {
	const char *type;
	const char *attrs[4];
	bool named;                 /* name required */
} kinds[W_TYPES] = {
	[W_DIALOG]    = { "dialog", { "width", "height" }, false },
	[W_FRAME]     = { "frame", { "title" }, false },
	[W_VBOX]      = { "vbox", { 0 }, false },
	[W_HBOX]      = { "hbox", { 0 }, false },
	[W_LABEL]     = { "label", { "text", "name" }, false },
	[W_BUTTON]    = { "button", { "name", "text" }, true },
	[W_CHECKBOX]  = { "checkbox", { "name", "text", "checked" }, true },
	[W_TEXTFIELD] = { "textfield", { "name", "text" }, true },
	[W_LIST]      = { "list", { "name" }, true },
	[W_ITEM]      = { "item", { "name", "text", "selected" }, true },
	[W_SCROLL]    = { "scroll", { "height", "name" }, false },
};

/* colours */
#define C_BG        0xd8d8d8u
#define C_TEXT      0x141414u
#define C_BORDER    0x6c6c6cu
#define C_TITLE_BG  0x33557fu
#define C_TITLE_FG  0xffffffu
#define C_BUTTON    0xeeeeeeu
#define C_HOVER     0xc4d8eeu
#define C_PRESSED   0x98b8dcu
#define C_FIELD     0xffffffu
#define C_FOCUS     0x33557fu
#define C_SELECT    0x33557fu
#define C_SELECT_FG 0xffffffu
#define C_TRACK     0xbcbcbcu
#define C_THUMB     0x7c7c7cu

#define SIZE_MAX_PX (1 << 20)   /* no widget measures more: sums cannot overflow */

struct widget {
	enum wtype type;
	const char *name, *text;    /* in the parser's arena */
	char *edit;                 /* a text field's text, GUI_TEXTFIELD_MAX bytes */
	bool checked, selected;
	int parent, child, next;    /* indices, -1: none */
	int min_w, min_h;
	struct gui_rect r;
	int scroll, content_h;      /* a scroll area's offset and its child's height */
	int height;                 /* a scroll area's height attribute */
};

struct gui_dialog {
	struct gui_font *font;
	struct gui_font_metrics m;
	int pad, sb;                /* padding, scroll bar width */
	void *arena;
	struct widget *w;
	int n;
	int min_w, min_h, width, height;
	int hover, pressed, focus, clicked;
	unsigned long clicks;
	long px, py;                /* the pointer */
	char *edits;                /* all text fields' buffers */
};

static int clamp_px(long long v)
{
	return v < 0 ? 0 : v > SIZE_MAX_PX ? SIZE_MAX_PX : (int)v;
}

static int text_w(struct gui_dialog *d, const char *t)
{
	int w, h;

	gui_text_size(d->font, t ? t : "", t ? strlen(t) : 0, &w, &h);
	return clamp_px(w);
}

static int text_h(struct gui_dialog *d, const char *t)
{
	int w, h;

	gui_text_size(d->font, t ? t : "", t ? strlen(t) : 0, &w, &h);
	return clamp_px(h);
}

/* ---- building the widgets from the parsed tree ---- */

static bool fail(char *error, const struct cfg_node *n, const char *fmt, const char *a,
                 const char *b)
{
	int k = snprintf(error, GUI_DIALOG_ERROR, "dialog: line %u col %u: ", n ? n->line : 0,
	                 n ? n->col : 0);

	if (k >= 0 && k < GUI_DIALOG_ERROR)
		snprintf(error + k, GUI_DIALOG_ERROR - (size_t)k, fmt, a ? a : "", b ? b : "");
	return false;
}

static int kind_of(const char *type)
{
	for (int k = 0; k < W_TYPES; k++)
		if (!strcmp(kinds[k].type, type))
			return k;
	return -1;
}

static bool name_taken(const struct gui_dialog *d, int upto, const struct widget *w)
{
	for (int i = 0; i < upto; i++) {
		const struct widget *o = &d->w[i];
		if (!o->name || &d->w[i] == w || strcmp(o->name, w->name))
			continue;
		/* items are named within their list, everything else globally */
		if ((o->type == W_ITEM) != (w->type == W_ITEM))
			continue;
		if (w->type == W_ITEM && o->parent != w->parent)
			continue;
		return true;
	}
	return false;
}

static bool check_node(struct gui_dialog *d, const struct cfg_node *n, int i, char *error)
{
	struct widget *w = &d->w[i];
	const struct cfg_attr *a;
	int k = w->type;
	bool b;
	uint64_t v;

	for (a = n->attrs; a; a = a->next) {
		bool known = false;
		for (unsigned j = 0; j < 4 && kinds[k].attrs[j]; j++)
			known |= !strcmp(kinds[k].attrs[j], a->name);
		if (!known)
			return fail(error, n, "<%s> has no attribute '%s'", n->type, a->name);
	}
	if (n->text)
		return fail(error, n, "<%s> holds text; texts are attributes (text=\"...\")", n->type, NULL);
	w->name = cfg_attr(n, "name");
	w->text = k == W_FRAME ? cfg_attr(n, "title") : cfg_attr(n, "text");
	if (kinds[k].named && (!w->name || !*w->name))
		return fail(error, n, "<%s> needs a name", n->type, NULL);
	if (w->name && strchr(w->name, '/'))
		return fail(error, n, "name '%s' contains '/'", w->name, NULL);
	if ((k == W_BUTTON || k == W_LABEL || k == W_CHECKBOX || k == W_ITEM) && !w->text)
		return fail(error, n, "<%s> needs a text", n->type, NULL);
	if (w->name && name_taken(d, i, w))
		return fail(error, n, "the name '%s' is used twice", w->name, NULL);
	if (cfg_attr_bool(n, "checked", false, &b) < 0 || cfg_attr_bool(n, "selected", false, &b) < 0)
		return fail(error, n, "<%s>: checked/selected must be yes or no", n->type, NULL);
	cfg_attr_bool(n, k == W_ITEM ? "selected" : "checked", false, &b);
	w->checked = k == W_CHECKBOX && b;
	w->selected = k == W_ITEM && b;
	if (k == W_SCROLL) {
		if (cfg_attr_u64(n, "height", 0, &v) != 1 || v < 8 || v > 4096)
			return fail(error, n, "<scroll> needs a height of 8..4096 pixels", NULL, NULL);
		w->height = (int)v;
		if (cfg_child_count(n, NULL) != 1)
			return fail(error, n, "<scroll> holds exactly one node", NULL, NULL);
	}
	if (k == W_DIALOG) {
		if (cfg_attr_u64(n, "width", 0, &v) < 0 || v > 4096 ||
		    cfg_attr_u64(n, "height", 0, &v) < 0 || v > 4096)
			return fail(error, n, "<dialog>: width and height are 0..4096", NULL, NULL);
	}
	if (k == W_TEXTFIELD) {
		const char *t = w->text ? w->text : "";
		size_t len = strlen(t);
		if (len >= GUI_TEXTFIELD_MAX)
			return fail(error, n, "<textfield>: text longer than %s bytes", "255", NULL);
		for (size_t j = 0; j < len; j++)
			if ((unsigned char)t[j] < 0x20)
				return fail(error, n, "<textfield>: control character in the text", NULL, NULL);
		memcpy(w->edit, t, len + 1);
	}
	/* what may hold what */
	if (k == W_ITEM && (w->parent < 0 || d->w[w->parent].type != W_LIST))
		return fail(error, n, "<item> outside a <list>", NULL, NULL);
	if (k == W_LIST)
		for (const struct cfg_node *c = n->child; c; c = c->next)
			if (strcmp(c->type, "item"))
				return fail(error, c, "<list> holds only <item>s, not <%s>", c->type, NULL);
	if ((k == W_LABEL || k == W_BUTTON || k == W_CHECKBOX || k == W_TEXTFIELD || k == W_ITEM) &&
	    n->child)
		return fail(error, n->child, "<%s> holds no nodes", n->type, NULL);
	if (k == W_DIALOG && w->parent >= 0)
		return fail(error, n, "<dialog> only at the top", NULL, NULL);
	return true;
}

/* Builds d->w from the tree without recursion (the parser's tree may be
 * deeper than our limit: we stop at the limit with an error). */
static bool build(struct gui_dialog *d, const struct cfg_node *root, char *error)
{
	const struct cfg_node *n = root;
	int parent = -1, prev = -1, depth = 1, fields = 0;

	if (strcmp(root->type, "dialog"))
		return fail(error, root, "the top node is <%s>, not <dialog>", root->type, NULL);
	for (const struct cfg_node *c = root;;) {
		/* count nodes and text fields first: one allocation each */
		if (c->child) {
			c = c->child;
		} else {
			while (c != root && !c->next)
				c = c->parent;
			if (c == root)
				break;
			c = c->next;
		}
		if (++d->n >= GUI_DIALOG_MAX_WIDGETS)
			return fail(error, c, "more than %s nodes", "1023", NULL);
		fields += !strcmp(c->type, "textfield");
	}
	d->n++;
	d->w = calloc((size_t)d->n, sizeof *d->w);
	d->edits = calloc(fields ? (size_t)fields : 1, GUI_TEXTFIELD_MAX);
	if (!d->w || !d->edits)
		return fail(error, root, "out of memory", NULL, NULL);
	fields = 0;
	for (int i = 0; i < d->n; i++) {
		struct widget *w = &d->w[i];
		int k = kind_of(n->type);
		if (k < 0)
			return fail(error, n, "unknown node <%s>", n->type, NULL);
		w->type = (enum wtype)k;
		w->parent = parent;
		w->child = w->next = -1;
		if (prev >= 0)
			d->w[prev].next = i;
		else if (parent >= 0)
			d->w[parent].child = i;
		if (k == W_TEXTFIELD)
			w->edit = d->edits + (size_t)fields++ * GUI_TEXTFIELD_MAX;
		if (!check_node(d, n, i, error))
			return false;
		/* next node in document order */
		if (n->child) {
			if (++depth > GUI_DIALOG_MAX_DEPTH)
				return fail(error, n->child, "nested deeper than %s levels", "32", NULL);
			parent = i;
			prev = -1;
			n = n->child;
			continue;
		}
		prev = i;
		while (n != root && !n->next) {
			n = n->parent;
			prev = parent;
			parent = d->w[parent].parent;
			depth--;
		}
		if (n == root)
			break;
		n = n->next;
	}
	return true;
}

/* ---- layout ---- */

static int line_box(struct gui_dialog *d)
{
	return d->m.line_height + 2 * d->pad;
}

static void measure(struct gui_dialog *d, int i)
{
	struct widget *w = &d->w[i];
	long long sw = 0, sh = 0, maxw = 0, maxh = 0;
	int count = 0, p = d->pad;

	for (int c = w->child; c >= 0; c = d->w[c].next) {
		measure(d, c);
		sw += d->w[c].min_w;
		sh += d->w[c].min_h;
		maxw = d->w[c].min_w > maxw ? d->w[c].min_w : maxw;
		maxh = d->w[c].min_h > maxh ? d->w[c].min_h : maxh;
		count++;
	}
	switch (w->type) {
	case W_DIALOG:
	case W_VBOX:
	case W_FRAME:
		w->min_w = clamp_px(maxw);
		w->min_h = clamp_px(sh + (count > 1 ? (long long)(count - 1) * p : 0));
		if (w->type == W_FRAME) {
			int title = w->text ? text_w(d, w->text) + 2 * p : 0;
			w->min_w = clamp_px((w->min_w > title ? w->min_w : title) + 2LL * p + 2);
			w->min_h = clamp_px(w->min_h + 2LL * p + 2 + (w->text ? line_box(d) : 0));
		}
		if (w->type == W_DIALOG) {
			w->min_w = clamp_px(w->min_w + 2LL * p);
			w->min_h = clamp_px(w->min_h + 2LL * p);
		}
		break;
	case W_HBOX:
		w->min_w = clamp_px(sw + (count > 1 ? (long long)(count - 1) * p : 0));
		w->min_h = clamp_px(maxh);
		break;
	case W_LABEL:
		w->min_w = clamp_px(text_w(d, w->text) + 2LL * p);
		w->min_h = clamp_px(text_h(d, w->text) + 2LL * p);
		break;
	case W_BUTTON:
		w->min_w = clamp_px(text_w(d, w->text) + 6LL * p + 2);
		w->min_h = line_box(d) + 2;
		break;
	case W_CHECKBOX:
		w->min_w = clamp_px(d->m.line_height + 3LL * p + text_w(d, w->text));
		w->min_h = line_box(d);
		break;
	case W_TEXTFIELD:
		w->min_w = clamp_px(12LL * d->m.cell_width + 2LL * p + 2);
		w->min_h = line_box(d) + 2;
		break;
	case W_LIST:
		w->min_w = clamp_px(maxw + 2);
		w->min_h = clamp_px(sh + 2);
		break;
	case W_ITEM:
		w->min_w = clamp_px(text_w(d, w->text) + 2LL * p);
		w->min_h = line_box(d);
		break;
	case W_SCROLL:
		w->min_w = clamp_px(maxw + d->sb);
		w->min_h = w->height;
		break;
	default:
		break;
	}
}

static void place(struct gui_dialog *d, int i, struct gui_rect r)
{
	struct widget *w = &d->w[i];
	struct gui_rect in = r;
	int p = d->pad, y, x;

	w->r = r;
	switch (w->type) {
	case W_DIALOG:
		in = gui_rect(r.x + p, r.y + p, r.w - 2 * p, r.h - 2 * p);
		break;
	case W_FRAME:
		in = gui_rect(r.x + 1 + p, r.y + 1 + p + (w->text ? line_box(d) : 0), r.w - 2 - 2 * p,
		              r.h - 2 - 2 * p - (w->text ? line_box(d) : 0));
		break;
	case W_LIST:
		in = gui_rect(r.x + 1, r.y + 1, r.w - 2, r.h - 2);
		break;
	case W_SCROLL:
		/* the child at its own height; the view shows r.h of it */
		if (w->child >= 0) {
			int c = w->child;
			w->content_h = d->w[c].min_h;
			place(d, c, gui_rect(r.x, r.y, r.w - d->sb, d->w[c].min_h));
			if (w->scroll > w->content_h - r.h)
				w->scroll = w->content_h - r.h;
			if (w->scroll < 0)
				w->scroll = 0;
		}
		return;
	default:
		break;
	}
	y = in.y;
	x = in.x;
	for (int c = w->child; c >= 0; c = d->w[c].next) {
		struct widget *cw = &d->w[c];
		if (w->type == W_HBOX) {
			place(d, c, gui_rect(x, in.y, cw->min_w, in.h));
			x += cw->min_w + p;
		} else {
			place(d, c, gui_rect(in.x, y, in.w, cw->min_h));
			y += cw->min_h + (w->type == W_LIST ? 0 : p);
		}
	}
}

void gui_dialog_resize(struct gui_dialog *d, int w, int h)
{
	d->width = w > d->min_w ? (w > SIZE_MAX_PX ? SIZE_MAX_PX : w) : d->min_w;
	d->height = h > d->min_h ? (h > SIZE_MAX_PX ? SIZE_MAX_PX : h) : d->min_h;
	place(d, 0, gui_rect(0, 0, d->width, d->height));
}

struct gui_dialog *gui_dialog_new(const char *desc, size_t len, struct gui_font *f,
                                  char error[GUI_DIALOG_ERROR])
{
	struct gui_dialog *d;
	struct cfg_node *root;
	struct cfg_error e;
	size_t arena;
	uint64_t w = 0, h = 0;

	error[0] = 0;
	if (!desc || !f) {
		fail(error, NULL, "no description or no font", NULL, NULL);
		return NULL;
	}
	if (len > GUI_DIALOG_MAX_LEN) {
		fail(error, NULL, "description longer than %s bytes", "262144", NULL);
		return NULL;
	}
	d = calloc(1, sizeof *d);
	arena = cfg_arena_size(len);
	if (!d || !(d->arena = malloc(arena))) {
		free(d);
		fail(error, NULL, "out of memory", NULL, NULL);
		return NULL;
	}
	d->font = f;
	gui_font_metrics(f, &d->m);
	d->pad = d->m.line_height / 4 > 2 ? d->m.line_height / 4 : 2;
	d->sb = d->pad * 2 > 6 ? d->pad * 2 : 6;
	d->hover = d->pressed = d->focus = d->clicked = -1;
	d->px = d->py = -1;
	root = cfg_parse(desc, len, d->arena, arena, &e);
	if (!root) {
		snprintf(error, GUI_DIALOG_ERROR, "dialog: line %u col %u: %s", e.line, e.col, e.msg);
		gui_dialog_free(d);
		return NULL;
	}
	if (!build(d, root, error)) {
		gui_dialog_free(d);
		return NULL;
	}
	measure(d, 0);
	d->min_w = d->w[0].min_w;
	d->min_h = d->w[0].min_h;
	cfg_attr_u64(root, "width", 0, &w);
	cfg_attr_u64(root, "height", 0, &h);
	gui_dialog_resize(d, (int)w, (int)h);
	return d;
}

void gui_dialog_free(struct gui_dialog *d)
{
	if (!d)
		return;
	free(d->w);
	free(d->edits);
	free(d->arena);
	free(d);
}

void gui_dialog_min_size(const struct gui_dialog *d, int *w, int *h)
{
	*w = d->min_w;
	*h = d->min_h;
}

void gui_dialog_size(const struct gui_dialog *d, int *w, int *h)
{
	*w = d->width;
	*h = d->height;
}

/* ---- drawing ---- */

static void text_in(struct gui_dialog *d, struct gui_surface *s, struct gui_rect box, int x, int y,
                    const char *t, uint32_t rgb)
{
	struct gui_rect old = s->clip;

	s->clip = gui_rect_intersect(old, box);
	if (!gui_rect_empty(s->clip))
		gui_draw_text(s, d->font, x, y, t, strlen(t), rgb);
	s->clip = old;
}

static void check_mark(struct gui_surface *s, struct gui_rect b, uint32_t rgb)
{
	/* a tick from three thick strokes: down-right to the bottom third, then up */
	int x0 = b.x + b.w / 5, y0 = b.y + b.h / 2;
	int x1 = b.x + b.w * 2 / 5, y1 = b.y + b.h * 3 / 4;
	int x2 = b.x + b.w * 4 / 5, y2 = b.y + b.h / 4;

	for (int t = -1; t <= 1; t++) {
		gui_line(s, x0, y0 + t, x1, y1 + t, rgb);
		gui_line(s, x1, y1 + t, x2, y2 + t, rgb);
	}
}

static void draw(struct gui_dialog *d, struct gui_surface *s, int i, int ox, int oy)
{
	struct widget *w = &d->w[i];
	struct gui_rect r = gui_rect(w->r.x + ox, w->r.y + oy, w->r.w, w->r.h), old;
	int p = d->pad, lh = d->m.line_height;
	uint32_t bg;

	if (gui_rect_empty(gui_rect_intersect(r, s->clip)))
		return;
	switch (w->type) {
	case W_DIALOG:
		gui_fill(s, r, C_BG);
		break;
	case W_FRAME:
		gui_frame(s, r, 1, C_BORDER);
		if (w->text) {
			struct gui_rect bar = gui_rect(r.x + 1, r.y + 1, r.w - 2, line_box(d));
			gui_fill(s, bar, C_TITLE_BG);
			text_in(d, s, bar, bar.x + p, bar.y + p, w->text, C_TITLE_FG);
		}
		break;
	case W_LABEL:
		text_in(d, s, r, r.x + p, r.y + p, w->text, C_TEXT);
		break;
	case W_BUTTON:
		bg = d->pressed == i && d->hover == i ? C_PRESSED : d->hover == i ? C_HOVER : C_BUTTON;
		gui_fill(s, r, bg);
		gui_frame(s, r, 1, C_BORDER);
		text_in(d, s, gui_rect(r.x + 1, r.y + 1, r.w - 2, r.h - 2),
		        r.x + (r.w - text_w(d, w->text)) / 2, r.y + (r.h - lh) / 2, w->text, C_TEXT);
		break;
	case W_CHECKBOX: {
		struct gui_rect box = gui_rect(r.x + p, r.y + (r.h - lh) / 2, lh, lh);
		if (d->hover == i)
			gui_fill(s, r, C_HOVER);
		gui_fill(s, box, C_FIELD);
		gui_frame(s, box, 1, C_BORDER);
		if (w->checked)
			check_mark(s, box, C_TEXT);
		text_in(d, s, r, box.x + lh + p, r.y + (r.h - lh) / 2, w->text, C_TEXT);
		break;
	}
	case W_TEXTFIELD: {
		struct gui_rect inner = gui_rect(r.x + 1 + p, r.y + 1, r.w - 2 - 2 * p, r.h - 2);
		int tw = text_w(d, w->edit), x = inner.x;
		gui_fill(s, r, C_FIELD);
		gui_frame(s, r, d->focus == i ? 2 : 1, d->focus == i ? C_FOCUS : C_BORDER);
		if (tw + 1 > inner.w)
			x = inner.x + inner.w - tw - 1;         /* keep the end (and the cursor) visible */
		text_in(d, s, inner, x, r.y + (r.h - lh) / 2, w->edit, C_TEXT);
		if (d->focus == i) {
			old = s->clip;
			s->clip = gui_rect_intersect(old, inner);
			gui_fill(s, gui_rect(x + tw, r.y + (r.h - lh) / 2, 1, lh), C_TEXT);
			s->clip = old;
		}
		break;
	}
	case W_LIST:
		gui_fill(s, r, C_FIELD);
		gui_frame(s, r, 1, C_BORDER);
		break;
	case W_ITEM: {
		bool sel = w->selected;
		if (sel || d->hover == i)
			gui_fill(s, r, sel ? C_SELECT : C_HOVER);
		text_in(d, s, r, r.x + p, r.y + p, w->text, sel ? C_SELECT_FG : C_TEXT);
		break;
	}
	case W_SCROLL: {
		struct gui_rect view = gui_rect(r.x, r.y, r.w - d->sb, r.h);
		struct gui_rect track = gui_rect(r.x + r.w - d->sb, r.y, d->sb, r.h);
		gui_fill(s, track, C_TRACK);
		if (w->content_h > r.h) {
			long long th = (long long)r.h * r.h / w->content_h;
			long long ty = (long long)w->scroll * r.h / w->content_h;
			gui_fill(s, gui_rect(track.x + 1, track.y + (int)ty, track.w - 2, (int)(th < 8 ? 8 : th)),
			         C_THUMB);
		}
		old = s->clip;
		s->clip = gui_rect_intersect(old, view);
		if (w->child >= 0 && !gui_rect_empty(s->clip))
			draw(d, s, w->child, ox, oy - w->scroll);
		s->clip = old;
		return;
	}
	default:
		break;
	}
	for (int c = w->child; c >= 0; c = d->w[c].next)
		draw(d, s, c, ox, oy);
}

void gui_dialog_draw(struct gui_dialog *d, struct gui_surface *s, int x, int y)
{
	draw(d, s, 0, x, y);
}

/* ---- input ---- */

/* The deepest widget at x,y (dialog coordinates) under i, -1 if none. */
static int hit(const struct gui_dialog *d, int i, long x, long y, int oy)
{
	const struct widget *w = &d->w[i];
	struct gui_rect r = gui_rect(w->r.x, w->r.y + oy, w->r.w, w->r.h);

	if (!gui_rect_contains(r, (int)x, (int)y))
		return -1;
	if (w->type == W_SCROLL) {
		if (x >= r.x + r.w - d->sb || w->child < 0)
			return i;
		int c = hit(d, w->child, x, y, oy - w->scroll);
		return c >= 0 ? c : i;
	}
	for (int c = w->child; c >= 0; c = d->w[c].next) {
		int h = hit(d, c, x, y, oy);
		if (h >= 0)
			return h;
	}
	return i;
}

static bool interactive(const struct widget *w)
{
	return w->type == W_BUTTON || w->type == W_CHECKBOX || w->type == W_TEXTFIELD ||
	       w->type == W_ITEM;
}

static int hover_at(const struct gui_dialog *d)
{
	int i;

	if (d->px < 0 || d->py < 0 || d->px >= d->width || d->py >= d->height)
		return -1;
	i = hit(d, 0, d->px, d->py, 0);
	return i >= 0 && interactive(&d->w[i]) ? i : -1;
}

static bool activate(struct gui_dialog *d, int i)
{
	struct widget *w = &d->w[i];

	switch (w->type) {
	case W_CHECKBOX:
		w->checked = !w->checked;
		break;
	case W_ITEM:
		for (int c = d->w[w->parent].child; c >= 0; c = d->w[c].next)
			d->w[c].selected = c == i;
		break;
	case W_TEXTFIELD:
		d->focus = i;
		return true;
	default:
		break;
	}
	d->clicked = i;
	d->clicks++;
	return true;
}

static bool scroll_by(struct gui_dialog *d, long notches)
{
	int i = d->px >= 0 && d->py >= 0 ? hit(d, 0, d->px, d->py, 0) : -1;

	for (; i >= 0; i = d->w[i].parent) {
		struct widget *w = &d->w[i];
		int old = w->scroll, max;
		if (w->type != W_SCROLL)
			continue;
		max = w->content_h - w->r.h > 0 ? w->content_h - w->r.h : 0;
		long long s = (long long)w->scroll - (long long)notches * 3 * d->m.line_height;
		w->scroll = s < 0 ? 0 : s > max ? max : (int)s;
		return w->scroll != old;
	}
	return false;
}

static bool edit(struct gui_dialog *d, uint32_t cp, bool backspace)
{
	struct widget *w;
	size_t len;

	if (d->focus < 0)
		return false;
	w = &d->w[d->focus];
	len = strlen(w->edit);
	if (backspace) {
		if (!len)
			return false;
		while (len > 0 && ((unsigned char)w->edit[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		w->edit[len] = 0;
		return true;
	}
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	char b[4];
	size_t n = gui_utf8_encode(cp, b);
	if (len + n >= GUI_TEXTFIELD_MAX)
		return false;
	memcpy(w->edit + len, b, n);
	w->edit[len + n] = 0;
	return true;
}

static bool next_field(struct gui_dialog *d)
{
	for (int k = 1; k <= d->n; k++) {
		int i = ((d->focus < 0 ? -1 : d->focus) + k) % d->n;
		if (i >= 0 && d->w[i].type == W_TEXTFIELD) {
			bool changed = d->focus != i;
			d->focus = i;
			return changed;
		}
	}
	return false;
}

bool gui_dialog_input(struct gui_dialog *d, const struct input_event *e)
{
	int old_hover = d->hover;
	bool changed = false;

	switch (e->type) {
	case INPUT_ABSOLUTE:
		d->px = e->x;
		d->py = e->y;
		break;
	case INPUT_MOTION:
		d->px += e->x;
		d->py += e->y;
		/* keep it near the dialog: far away is away */
		if (d->px < -1) d->px = -1;
		if (d->py < -1) d->py = -1;
		if (d->px > d->width) d->px = d->width;
		if (d->py > d->height) d->py = d->height;
		break;
	case INPUT_PRESS:
		if (e->code == KEY_BTN_LEFT) {
			d->pressed = hover_at(d);
			changed = d->pressed >= 0;
		} else if (e->code == KEY_BACKSPACE) {
			changed = edit(d, 0, true);
		} else if (e->code == KEY_TAB) {
			changed = next_field(d);
		}
		break;
	case INPUT_RELEASE:
		if (e->code == KEY_BTN_LEFT) {
			int p = d->pressed, h = hover_at(d);
			d->pressed = -1;
			if (p >= 0 && p == h)
				changed = activate(d, p);
			else
				changed = p >= 0;
		}
		break;
	case INPUT_WHEEL:
		changed = scroll_by(d, e->y);
		break;
	case INPUT_CHAR:
		changed = edit(d, e->code, false);
		break;
	default:
		break;
	}
	d->hover = hover_at(d);
	return changed || d->hover != old_hover;
}

/* ---- the report ---- */

size_t gui_dialog_report(const struct gui_dialog *d, char *buf, size_t size)
{
	struct cfg_writer *w = malloc(sizeof *w);
	size_t len;

	if (!w)
		return 0;
	cfg_writer_init(w, buf, size);
	cfg_node_begin(w, "dialog");
	if (d->hover >= 0 && d->w[d->hover].name) {
		const struct widget *h = &d->w[d->hover];
		cfg_node_begin(w, "hover");
		cfg_node_attr(w, "name", h->name);
		if (h->type == W_ITEM)
			cfg_node_attr(w, "list", d->w[h->parent].name);
		cfg_node_end(w);
	}
	if (d->clicked >= 0) {
		const struct widget *c = &d->w[d->clicked];
		cfg_node_begin(w, "clicked");
		cfg_node_attr(w, "name", c->name);
		if (c->type == W_ITEM)
			cfg_node_attr(w, "list", d->w[c->parent].name);
		cfg_node_attr_u64(w, "seq", d->clicks);
		cfg_node_end(w);
	}
	if (d->focus >= 0) {
		cfg_node_begin(w, "focus");
		cfg_node_attr(w, "name", d->w[d->focus].name);
		cfg_node_end(w);
	}
	for (int i = 0; i < d->n; i++) {
		const struct widget *x = &d->w[i];
		if (x->type == W_CHECKBOX) {
			cfg_node_begin(w, "checkbox");
			cfg_node_attr(w, "name", x->name);
			cfg_node_attr(w, "checked", x->checked ? "yes" : "no");
			cfg_node_end(w);
		} else if (x->type == W_TEXTFIELD) {
			cfg_node_begin(w, "textfield");
			cfg_node_attr(w, "name", x->name);
			cfg_node_attr(w, "text", x->edit);
			cfg_node_end(w);
		} else if (x->type == W_LIST) {
			cfg_node_begin(w, "list");
			cfg_node_attr(w, "name", x->name);
			for (int c = x->child; c >= 0; c = d->w[c].next)
				if (d->w[c].selected) {
					cfg_node_attr(w, "selected", d->w[c].name);
					break;
				}
			cfg_node_end(w);
		}
	}
	cfg_node_end(w);
	len = w->len;
	if (w->invalid || w->depth)
		len = 0;
	free(w);
	return len;
}

struct gui_rect gui_dialog_widget_rect(const struct gui_dialog *d, const char *name)
{
	const char *slash = strchr(name, '/');

	for (int i = 0; i < d->n; i++) {
		const struct widget *w = &d->w[i];
		if (!w->name)
			continue;
		if (slash) {
			if (w->type != W_ITEM || strcmp(w->name, slash + 1) ||
			    strncmp(d->w[w->parent].name, name, (size_t)(slash - name)) ||
			    d->w[w->parent].name[slash - name])
				continue;
		} else if (w->type == W_ITEM || strcmp(w->name, name)) {
			continue;
		}
		return w->r;
	}
	return gui_rect(0, 0, 0, 0);
}
