/* shape: font/script itemisation and HarfBuzz shaping. Must never read past
 * the text it is given or keep pointers into it after returning. */
#include "ui/text/shape.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "ui/text/utf8.h"
#include "ui/ui_log.h"

struct text_shaper {
    text_fonts *fonts;
    hb_buffer_t *buf;
    hb_unicode_funcs_t *ufuncs;
    hb_language_t langs[TEXT_LANG_COUNT];
};

text_shaper *text_shaper_create(text_fonts *fonts)
{
    text_shaper *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->fonts = fonts;
    s->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(s->buf)) {
        UI_ERROR("shape", "out of memory");
        hb_buffer_destroy(s->buf);
        free(s);
        return NULL;
    }
    s->ufuncs = hb_unicode_funcs_get_default();
    s->langs[TEXT_LANG_JA] = hb_language_from_string("ja", -1);
    s->langs[TEXT_LANG_ZH] = hb_language_from_string("zh-Hans", -1);
    s->langs[TEXT_LANG_KO] = hb_language_from_string("ko", -1);
    s->langs[TEXT_LANG_EN] = hb_language_from_string("en", -1);
    return s;
}

void text_shaper_destroy(text_shaper *s)
{
    if (!s)
        return;
    hb_buffer_destroy(s->buf);
    free(s);
}

void glyph_vec_free(glyph_vec *v)
{
    free(v->v);
    memset(v, 0, sizeof *v);
}

static int glyph_vec_reserve(glyph_vec *v, size_t more)
{
    if (v->n + more <= v->cap)
        return 0;
    size_t cap = v->cap ? v->cap : 64;
    while (cap < v->n + more)
        cap *= 2;
    shaped_glyph *nv = realloc(v->v, cap * sizeof *nv);
    if (!nv)
        return -1;
    v->v = nv;
    v->cap = cap;
    return 0;
}

/* Characters that belong to whatever run they are in (marks, joiners,
 * selectors) or that carry no script of their own (punctuation, digits). */
static bool is_attached(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x3099 && cp <= 0x309A) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x200D ||
           cp == 0x200C || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

/* 0: no script of its own; 1: CJK (Han, kana, Hangul share one run); else the script. */
static unsigned script_class(hb_unicode_funcs_t *uf, uint32_t cp)
{
    hb_script_t sc = hb_unicode_script(uf, cp);
    switch (sc) {
    case HB_SCRIPT_COMMON:
    case HB_SCRIPT_INHERITED:
    case HB_SCRIPT_UNKNOWN:
        return 0;
    case HB_SCRIPT_HAN:
    case HB_SCRIPT_HIRAGANA:
    case HB_SCRIPT_KATAKANA:
    case HB_SCRIPT_HANGUL:
    case HB_SCRIPT_BOPOMOFO:
        return 1;
    default:
        return (unsigned)sc;
    }
}

static bool is_line_separator(uint32_t cp)
{
    return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
           cp == 0x2029;
}

static int shape_run(text_shaper *s, const char *text, size_t start, size_t end, uint16_t face,
                     int size_px, text_lang lang, glyph_vec *out)
{
    hb_buffer_t *buf = s->buf;
    hb_buffer_clear_contents(buf);
    for (size_t i = start; i < end;) {
        size_t at = i;
        uint32_t cp = utf8_decode(text, end, &i);
        if (cp == '\t')
            cp = ' ';
        hb_buffer_add(buf, cp, (unsigned)at);
    }
    hb_buffer_set_content_type(buf, HB_BUFFER_CONTENT_TYPE_UNICODE);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_language(buf, s->langs[lang]);
    hb_buffer_guess_segment_properties(buf);
    hb_font_t *font = text_fonts_hb_font(s->fonts, face);
    hb_font_set_scale(font, size_px * 64, size_px * 64);
    hb_shape(font, buf, NULL, 0);
    if (!hb_buffer_allocation_successful(buf))
        return -1;
    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    if (glyph_vec_reserve(out, n) != 0)
        return -1;
    for (unsigned k = 0; k < n; k++) {
        shaped_glyph *g = &out->v[out->n++];
        g->glyph = info[k].codepoint;
        g->cluster = info[k].cluster;
        g->adv26 = pos[k].x_advance;
        g->xoff26 = pos[k].x_offset;
        g->yoff26 = pos[k].y_offset;
        g->face = face;
    }
    return 0;
}

int text_shaper_shape(text_shaper *s, const char *text, size_t len, const uint16_t *chain,
                      size_t n_chain, int size_px, text_lang lang, glyph_vec *out)
{
    if (n_chain == 0)
        return 0;
    size_t run_start = 0;
    bool in_run = false;
    uint16_t run_face = chain[0];
    unsigned run_class = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = utf8_decode(text, len, &i);
        if (is_line_separator(cp)) {
            if (in_run && shape_run(s, text, run_start, at, run_face, size_px, lang, out) != 0)
                return -1;
            in_run = false;
            continue;
        }
        if (in_run && is_attached(cp))
            continue;
        uint16_t face = text_fonts_pick(s->fonts, chain, n_chain, cp);
        unsigned cls = script_class(s->ufuncs, cp);
        if (!in_run) {
            in_run = true;
            run_start = at;
            run_face = face;
            run_class = cls;
            continue;
        }
        /* A character with no script of its own stays in the run if the
         * run's face has it, so "10:00" or "、" do not split runs needlessly. */
        bool same_class = cls == 0 || run_class == 0 || cls == run_class;
        if (face == run_face && same_class) {
            if (run_class == 0)
                run_class = cls;
            continue;
        }
        if (cls == 0 && text_fonts_has(s->fonts, run_face, cp))
            continue; /* the run's face has it too */
        if (shape_run(s, text, run_start, at, run_face, size_px, lang, out) != 0)
            return -1;
        run_start = at;
        run_face = face;
        run_class = cls;
    }
    if (in_run && shape_run(s, text, run_start, len, run_face, size_px, lang, out) != 0)
        return -1;
    return 0;
}
