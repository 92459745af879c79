/* layout: a paragraph laid out in a box of a given width. Shapes once with
 * HarfBuzz (per font run of the fallback chain), breaks lines greedily at the
 * breaker's opportunities, places furigana, aligns, and truncates with an
 * ellipsis. The result is immutable and needs no SDL: it is a list of lines
 * and positioned glyphs that ui/text/atlas draws.
 *
 * Guarantees (tested as properties): no line is wider than the box; no line
 * starts or ends against kinsoku unless a single unbreakable run is wider than
 * the whole box (then it is cut between characters, still avoiding kinsoku
 * where possible); the lines' text, joined, is the paragraph's text minus the
 * white space at the breaks (unless truncated by max_lines). */
#ifndef HIROBA_UI_TEXT_LAYOUT_H
#define HIROBA_UI_TEXT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/text/fonts.h"
#include "ui/text/linebreak.h"

typedef enum text_align {
    TEXT_ALIGN_LEFT = 0,
    TEXT_ALIGN_CENTER = 1,
    TEXT_ALIGN_RIGHT = 2,
} text_align;

typedef struct text_style {
    int size_px; /* em size in pixels (1..1024) */
    text_weight weight;
    text_lang lang;
    text_align align;
    float line_height; /* line pitch as a multiple of size_px; 0 means 1.5 */
    int max_lines;     /* 0: no limit; else the last line ends with … if cut */
    bool markup;       /* parse {base|reading} furigana markup */
    bool ruby;         /* draw furigana (markup is still removed when false) */
} text_style;

/* A sensible style: size px, regular, ja, left, 1.5 pitch, markup and ruby on. */
text_style text_style_default(int size_px);

/* The shaping and breaking context: fonts (borrowed until destroy), the ICU
 * iterator and scratch buffers. One per thread. */
typedef struct text_engine text_engine;
text_engine *text_engine_create(text_fonts *fonts);
void text_engine_destroy(text_engine *e);
text_fonts *text_engine_fonts(text_engine *e);

/* One glyph to draw. Positions are relative to the layout box's top-left,
 * x and y (baseline) in 26.6 fixed point; size_px is the glyph's own size
 * (ruby glyphs are smaller). */
typedef struct text_glyph {
    uint32_t glyph;
    uint16_t face;
    uint16_t size_px;
    int32_t x26, y26;
} text_glyph;

typedef struct text_line_info {
    const char *text; /* the line's plain text (no markup), borrowed from the layout */
    size_t len;       /* bytes, trailing break spaces excluded */
    size_t offset;    /* byte offset of text in the paragraph's plain text */
    int advance_px;   /* advance of the line, rounded up; never > width, unless the
                       * line is a single character wider than the whole box */
    int x_px;         /* left edge after alignment */
    int top_px;       /* top of the line box (furigana included) */
    int baseline_px;  /* base text baseline */
    int height_px;    /* line pitch */
    bool ellipsis;    /* the line was cut and ends with … */
} text_line_info;

typedef struct text_layout text_layout;

/* Lays out utf8[0..len) (any bytes: sanitised here) in a box width_px wide.
 * Newlines break lines. Returns NULL only when out of memory or when the
 * engine has no usable font (logged); bad text never fails, it shows U+FFFD. */
text_layout *text_layout_create(text_engine *e, const char *utf8, size_t len,
                                const text_style *style, int width_px);
void text_layout_destroy(text_layout *l);

size_t text_layout_line_count(const text_layout *l);
void text_layout_get_line(const text_layout *l, size_t i, text_line_info *out);
/* The box: width as given, height of all lines (0 for no lines). */
int text_layout_width(const text_layout *l);
int text_layout_height(const text_layout *l);
/* Widest line's advance in px. */
int text_layout_max_advance(const text_layout *l);
bool text_layout_truncated(const text_layout *l);
/* Number of invalid UTF-8 sequences replaced by U+FFFD. */
size_t text_layout_invalid_bytes(const text_layout *l);
/* The paragraph's text without markup (borrowed). */
const char *text_layout_plain(const text_layout *l, size_t *len);
const text_glyph *text_layout_glyphs(const text_layout *l, size_t *count);

/* Bytes the layout owns (for the cache's budget). */
size_t text_layout_memory(const text_layout *l);

#define TEXT_LAYOUT_MAX_BYTES (1024u * 1024u) /* longer input is cut, with a warning */

#endif
