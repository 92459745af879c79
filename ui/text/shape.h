/* shape: turns valid UTF-8 into positioned glyphs with HarfBuzz, splitting the
 * text into runs by font (the fallback chain) and by script, so that each run
 * is shaped by a face that has its glyphs. Private to ui/text. Left-to-right
 * horizontal text only (no bidi: hiroba's languages are ja, en, zh, ko). */
#ifndef HIROBA_UI_TEXT_SHAPE_H
#define HIROBA_UI_TEXT_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "ui/text/fonts.h"

typedef struct shaped_glyph {
    uint32_t glyph;
    uint32_t cluster; /* byte offset of the first character it shows */
    int32_t adv26, xoff26, yoff26;
    uint16_t face;
} shaped_glyph;

typedef struct glyph_vec {
    shaped_glyph *v;
    size_t n, cap;
} glyph_vec;

typedef struct text_shaper text_shaper;

/* fonts is borrowed until destroy. */
text_shaper *text_shaper_create(text_fonts *fonts);
void text_shaper_destroy(text_shaper *s);

/* Appends the glyphs of text[0..len) (valid UTF-8) to out, in logical order,
 * clusters being byte offsets into text. Line separators (\n, \r, U+2028)
 * produce no glyph; a tab is shaped as a space. Returns 0, or -1 when out of
 * memory. */
int text_shaper_shape(text_shaper *s, const char *text, size_t len, const uint16_t *chain,
                      size_t n_chain, int size_px, text_lang lang, glyph_vec *out);

void glyph_vec_free(glyph_vec *v);

#endif
