/* layout_private: the layout's innards, shared by layout.c (breaking) and
 * layout_place.c (placing glyphs, furigana and ellipsis). Private to ui/text. */
#ifndef HIROBA_UI_TEXT_LAYOUT_PRIVATE_H
#define HIROBA_UI_TEXT_LAYOUT_PRIVATE_H

#include "ui/text/layout.h"
#include "ui/text/linebreak.h"
#include "ui/text/markup.h"
#include "ui/text/shape.h"

/* e->brk holds a text_break class in its low bits, and this flag on bytes
 * inside a furigana base, which never breaks. */
#define BRK_CLASS    0x03u
#define BRK_IN_GROUP 0x80u

struct lline {
    size_t start, end; /* plain bytes, end excludes the spaces and newline at the break */
    int64_t adv26;
    int32_t x26, top26, baseline26;
    bool ellipsis;
};

struct ruby_group {
    size_t base_start, base_end; /* plain bytes */
    size_t rg_start, rg_end;     /* indices into the engine's ruby glyphs */
    int64_t ruby_w26;
    bool visible;
};

struct text_layout {
    char *plain;
    size_t plain_len;
    struct lline *lines;
    size_t n_lines;
    text_glyph *glyphs;
    size_t n_glyphs;
    int width;
    int height;
    int32_t pitch26;
    bool truncated;
    size_t invalid;
    size_t memory;
};

struct text_engine {
    text_fonts *fonts;
    text_breaker *breaker;
    text_shaper *shaper;
    /* Scratch, grown as needed and reused from one layout to the next. */
    uint8_t *brk;     /* [len + 1] break classes */
    uint32_t *gstart; /* [len + 1] first glyph whose cluster >= byte */
    size_t byte_cap;
    int64_t *pre; /* [n + 1] prefix sums of advances */
    int32_t *gap; /* [n] inter-script space included in the advance */
    size_t glyph_cap;
    glyph_vec glyphs, ruby_glyphs;
    struct ruby_group *groups;
    size_t group_cap;
    struct lline *lines;
    size_t line_cap, n_lines;
};

/* Everything layout.c works out, handed to layout_place.c. */
struct layout_work {
    const text_style *st;
    const char *plain;
    size_t len;
    int64_t max26; /* box width, 26.6 */
    const uint16_t *chain;
    size_t n_chain;
    struct ruby_group *groups;
    size_t n_groups;
    bool any_ruby;
    int ruby_px;
};

/* Width of plain[s..e) as laid out (e already trimmed). */
int64_t layout_width(const struct text_engine *e, size_t s, size_t e_end);

/* Positions glyphs of the engine's lines into l. Returns 0 or -1 (OOM). */
int layout_place(struct text_engine *e, const struct layout_work *w, text_layout *l);

#endif
