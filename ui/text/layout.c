/* layout: paragraph layout — markup, breaking opportunities, one shaping
 * pass, greedy line filling with JLREQ kinsoku, ellipsis. Glyph placement
 * (alignment, furigana) lives in layout_place.c. Must never drop or repeat
 * text when wrapping and never produce a line wider than the box (unless a
 * single character is wider than the whole box). */
#include "ui/text/layout_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ui/text/kinsoku.h"
#include "ui/text/utf8.h"
#include "ui/ui_log.h"

text_style text_style_default(int size_px)
{
    text_style st = {0};
    st.size_px = size_px;
    st.weight = TEXT_WEIGHT_REGULAR;
    st.lang = TEXT_LANG_JA;
    st.align = TEXT_ALIGN_LEFT;
    st.line_height = 1.5f;
    st.markup = true;
    st.ruby = true;
    return st;
}

text_engine *text_engine_create(text_fonts *fonts)
{
    if (!text_fonts_ready(fonts)) {
        UI_ERROR("layout", "no usable font: cannot lay out text");
        return NULL;
    }
    text_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->fonts = fonts;
    e->breaker = text_breaker_create("ja@lb=strict");
    e->shaper = text_shaper_create(fonts);
    if (!e->breaker || !e->shaper) {
        text_engine_destroy(e);
        return NULL;
    }
    return e;
}

void text_engine_destroy(text_engine *e)
{
    if (!e)
        return;
    text_breaker_destroy(e->breaker);
    text_shaper_destroy(e->shaper);
    free(e->brk);
    free(e->gstart);
    free(e->pre);
    free(e->gap);
    glyph_vec_free(&e->glyphs);
    glyph_vec_free(&e->ruby_glyphs);
    free(e->groups);
    free(e->lines);
    free(e);
}

text_fonts *text_engine_fonts(text_engine *e)
{
    return e->fonts;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *np = realloc(*p, n * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = n;
    return 0;
}

static int reserve_bytes(text_engine *e, size_t len)
{
    size_t cap = e->byte_cap;
    if (grow((void **)&e->brk, &cap, len + 1, 1) != 0)
        return -1;
    cap = e->byte_cap;
    if (grow((void **)&e->gstart, &cap, len + 1, sizeof *e->gstart) != 0)
        return -1;
    e->byte_cap = cap;
    return 0;
}

static int reserve_glyphs(text_engine *e, size_t n)
{
    size_t cap = e->glyph_cap;
    if (grow((void **)&e->pre, &cap, n + 1, sizeof *e->pre) != 0)
        return -1;
    cap = e->glyph_cap;
    if (grow((void **)&e->gap, &cap, n + 1, sizeof *e->gap) != 0)
        return -1;
    e->glyph_cap = cap;
    return 0;
}

static int push_line(text_engine *e, size_t s, size_t end, int64_t adv, bool ellipsis)
{
    if (grow((void **)&e->lines, &e->line_cap, e->n_lines + 1, sizeof *e->lines) != 0)
        return -1;
    struct lline *ln = &e->lines[e->n_lines++];
    memset(ln, 0, sizeof *ln);
    ln->start = s;
    ln->end = end;
    ln->adv26 = adv;
    ln->ellipsis = ellipsis;
    return 0;
}

int64_t layout_width(const struct text_engine *e, size_t s, size_t end)
{
    uint32_t g0 = e->gstart[s], g1 = e->gstart[end];
    if (g1 <= g0)
        return 0;
    /* The inter-script space after the last glyph is not part of the line. */
    return e->pre[g1] - e->pre[g0] - e->gap[g1 - 1];
}

static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF && cp != 0x30FB) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
           (cp >= 0xFF66 && cp <= 0xFF9F) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

/* Latin letters only: digits stay tight against their counters (2026年,
 * 3,000円, 2階), as Japanese signage and most horizontal text set them. */
static bool is_latin_letter(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* Byte offset of the character before byte i (i > 0, valid UTF-8). */
static size_t prev_char(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

static uint32_t cp_at(const char *s, size_t len, size_t i)
{
    return utf8_decode(s, len, &i);
}

static bool is_trailing_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C ||
           cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* The end of the visible part of [s, end): trailing spaces and newlines dropped. */
static size_t trim_end(const char *p, size_t len, size_t s, size_t end)
{
    while (end > s) {
        size_t pc = prev_char(p, end);
        if (!is_trailing_space(cp_at(p, len, pc)))
            break;
        end = pc;
    }
    return end;
}

/* Adds JLREQ's quarter-em space between Japanese and Latin words (和欧間),
 * recorded in gap[] so that it vanishes at the end of a line. */
static void add_script_gaps(text_engine *e, const char *p, size_t len, int size_px)
{
    const int32_t quarter = size_px * 64 / 4;
    uint32_t prev = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = utf8_decode(p, len, &i);
        if (at > 0 &&
            ((is_cjk(prev) && is_latin_letter(cp)) || (is_latin_letter(prev) && is_cjk(cp)))) {
            uint32_t g = e->gstart[at];
            if (g > 0 && e->glyphs.v[g - 1].cluster < at && e->gap[g - 1] == 0) {
                e->gap[g - 1] = quarter;
                e->glyphs.v[g - 1].adv26 += quarter;
            }
        }
        prev = cp;
    }
}

static void build_index(text_engine *e, size_t len)
{
    const glyph_vec *gv = &e->glyphs;
    size_t g = 0;
    for (size_t b = 0; b <= len; b++) {
        while (g < gv->n && gv->v[g].cluster < b)
            g++;
        e->gstart[b] = (uint32_t)g;
    }
}

static void build_prefix(text_engine *e)
{
    e->pre[0] = 0;
    for (size_t g = 0; g < e->glyphs.n; g++)
        e->pre[g + 1] = e->pre[g] + e->glyphs.v[g].adv26;
}

static bool is_kana(uint32_t cp)
{
    return (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC;
}

/* How far ruby r's reading may reach over the character after its base: up
 * to one ruby character, onto kana that is not itself a furigana base. */
static int64_t overhang_after(const struct layout_work *w, const text_markup *m, size_t r,
                              int64_t extra)
{
    const text_ruby *rb = &m->rubies[r];
    if (extra <= 0 || rb->base_end >= w->len)
        return 0;
    if (r + 1 < m->n_rubies && m->rubies[r + 1].base_start == rb->base_end)
        return 0;
    if (!is_kana(cp_at(w->plain, w->len, rb->base_end)))
        return 0;
    int64_t cap = (int64_t)w->ruby_px * 64;
    return extra < cap ? extra : cap;
}

/* Shapes the readings and widens bases whose reading is wider (spread 1:2:1,
 * JIS X 4051), so furigana never overlaps the neighbouring characters. */
static int prepare_ruby(text_engine *e, struct layout_work *w, const text_markup *m)
{
    w->n_groups = 0;
    w->any_ruby = false;
    if (!w->st->ruby || m->n_rubies == 0)
        return 0;
    if (grow((void **)&e->groups, &e->group_cap, m->n_rubies, sizeof *e->groups) != 0)
        return -1;
    w->groups = e->groups;
    for (size_t r = 0; r < m->n_rubies; r++) {
        const text_ruby *rb = &m->rubies[r];
        struct ruby_group *gr = &e->groups[w->n_groups++];
        memset(gr, 0, sizeof *gr);
        gr->base_start = rb->base_start;
        gr->base_end = rb->base_end;
        gr->rg_start = e->ruby_glyphs.n;
        if (text_shaper_shape(e->shaper, m->ruby_text + rb->text_start,
                              rb->text_end - rb->text_start, w->chain, w->n_chain, w->ruby_px,
                              w->st->lang, &e->ruby_glyphs) != 0)
            return -1;
        gr->rg_end = e->ruby_glyphs.n;
        for (size_t k = gr->rg_start; k < gr->rg_end; k++)
            gr->ruby_w26 += e->ruby_glyphs.v[k].adv26;
        uint32_t g0 = e->gstart[gr->base_start], g1 = e->gstart[gr->base_end];
        if (g1 <= g0)
            continue;
        int64_t base_w = e->pre[g1] - e->pre[g0] - e->gap[g1 - 1];
        /* A group wider than the whole box loses its reading rather than the
         * box its width guarantee. */
        int64_t group_w = base_w > gr->ruby_w26 ? base_w : gr->ruby_w26;
        if (group_w > w->max26)
            continue;
        gr->visible = true;
        w->any_ruby = true;
        for (size_t b = gr->base_start + 1; b < gr->base_end; b++)
            e->brk[b] = TEXT_BREAK_NONE | BRK_IN_GROUP;
        if (gr->ruby_w26 > base_w) {
            int64_t extra = gr->ruby_w26 - base_w, n = g1 - g0, given = 0;
            /* JLREQ lets the reading overhang a following kana by up to one
             * ruby character (問診票を, 駐車場が), so the base spreads less.
             * At the end of a line there is nothing to overhang: the negative
             * gap gives the overhang back to the line's width there. */
            int64_t over = overhang_after(w, m, r, extra);
            if (over > 0) {
                extra -= over;
                e->gap[g1 - 1] -= (int32_t)over;
            }
            for (uint32_t g = g0; g < g1 && extra > 0; g++) {
                int64_t share = (g + 1 == g1) ? extra - given : extra / n;
                e->glyphs.v[g].xoff26 += (int32_t)(share / 2);
                e->glyphs.v[g].adv26 += (int32_t)share;
                given += share;
            }
        }
    }
    if (w->any_ruby)
        build_prefix(e);
    return 0;
}

static bool inside_visible_group(const text_engine *e, size_t b)
{
    return (e->brk[b] & BRK_IN_GROUP) != 0;
}

static bool is_cluster_continuation(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x3099 && cp <= 0x309A) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x200D ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

/* A segment [s, o) with no allowed break is wider than the box: cut it
 * between characters, as late as fits, preferring a cut that kinsoku allows. */
static size_t emergency_cut(text_engine *e, const struct layout_work *w, size_t s, size_t o)
{
    const char *p = w->plain;
    size_t fit = 0, good = 0;
    for (size_t c = s; c < o;) {
        utf8_decode(p, w->len, &c);
        if (c >= o)
            break;
        if (inside_visible_group(e, c))
            continue;
        if (layout_width(e, s, trim_end(p, w->len, s, c)) > w->max26)
            break;
        uint32_t next = cp_at(p, w->len, c);
        if (is_cluster_continuation(next))
            continue;
        fit = c;
        uint32_t before = cp_at(p, w->len, prev_char(p, c));
        if (!kinsoku_no_line_start(next) && !kinsoku_no_line_end(before))
            good = c;
    }
    if (good)
        return good;
    if (fit)
        return fit;
    /* Not even one character fits: give it a line of its own. */
    size_t c = s;
    do
        utf8_decode(p, w->len, &c);
    while (c < o && is_cluster_continuation(cp_at(p, w->len, c)));
    while (c < o && inside_visible_group(e, c))
        utf8_decode(p, w->len, &c);
    return c;
}

static int emit(text_engine *e, const struct layout_work *w, size_t s, size_t o)
{
    size_t end = trim_end(w->plain, w->len, s, o);
    return push_line(e, s, end, layout_width(e, s, end), false);
}

static int break_lines(text_engine *e, const struct layout_work *w)
{
    const uint8_t *brk = e->brk;
    e->n_lines = 0;
    size_t s = 0, last_ok = 0;
    bool have_ok = false;
    for (size_t o = 1; o <= w->len; o++) {
        if ((brk[o] & BRK_CLASS) == TEXT_BREAK_NONE)
            continue;
        for (;;) {
            int64_t wd = layout_width(e, s, trim_end(w->plain, w->len, s, o));
            if (wd <= w->max26) {
                last_ok = o;
                have_ok = true;
                if ((brk[o] & BRK_CLASS) == TEXT_BREAK_MANDATORY) {
                    if (emit(e, w, s, o) != 0)
                        return -1;
                    s = o;
                    have_ok = false;
                }
                break;
            }
            size_t cut = have_ok ? last_ok : emergency_cut(e, w, s, o);
            if (emit(e, w, s, cut) != 0)
                return -1;
            s = cut;
            have_ok = false;
            if (s >= o)
                break;
        }
    }
    if (e->n_lines == 0)
        return push_line(e, 0, 0, 0, false);
    return 0;
}

/* Cuts the lines to max_lines, ending the last with … where it fits. */
static int apply_max_lines(text_engine *e, const struct layout_work *w, int64_t ellipsis_w26,
                           bool *truncated)
{
    size_t max = (size_t)w->st->max_lines;
    *truncated = false;
    if (max == 0 || e->n_lines <= max)
        return 0;
    *truncated = true;
    e->n_lines = max;
    struct lline *ln = &e->lines[max - 1];
    const char *p = w->plain;
    size_t limit = ln->start + 1;
    while (limit < w->len && (e->brk[limit] & BRK_CLASS) != TEXT_BREAK_MANDATORY)
        limit++;
    if (limit > w->len)
        limit = w->len;
    size_t best = ln->start;
    for (size_t c = ln->start; c < limit;) {
        utf8_decode(p, w->len, &c);
        if (c < limit &&
            (inside_visible_group(e, c) || is_cluster_continuation(cp_at(p, w->len, c))))
            continue;
        size_t end = trim_end(p, w->len, ln->start, c);
        if (layout_width(e, ln->start, end) + ellipsis_w26 > w->max26)
            break;
        best = end;
    }
    ln->end = best;
    ln->adv26 = layout_width(e, ln->start, best);
    if (ln->adv26 + ellipsis_w26 <= w->max26) {
        ln->ellipsis = true;
        ln->adv26 += ellipsis_w26;
    }
    return 0;
}

static int64_t ellipsis_width(text_engine *e, const struct layout_work *w)
{
    glyph_vec tmp = {0};
    int64_t wd = 0;
    if (text_shaper_shape(e->shaper, "\xE2\x80\xA6", 3, w->chain, w->n_chain, w->st->size_px,
                          w->st->lang, &tmp) == 0)
        for (size_t i = 0; i < tmp.n; i++)
            wd += tmp.v[i].adv26;
    glyph_vec_free(&tmp);
    return wd;
}

static text_style normalise_style(const text_style *in)
{
    text_style st = *in;
    if (st.size_px < 1)
        st.size_px = 1;
    if (st.size_px > 1024)
        st.size_px = 1024;
    if (!(st.line_height > 0.0f) || st.line_height > 10.0f)
        st.line_height = 1.5f;
    if (st.max_lines < 0)
        st.max_lines = 0;
    if ((unsigned)st.weight >= TEXT_WEIGHT_COUNT)
        st.weight = TEXT_WEIGHT_REGULAR;
    if ((unsigned)st.lang >= TEXT_LANG_COUNT)
        st.lang = TEXT_LANG_JA;
    if ((unsigned)st.align > TEXT_ALIGN_RIGHT)
        st.align = TEXT_ALIGN_LEFT;
    return st;
}

text_layout *text_layout_create(text_engine *e, const char *utf8, size_t len,
                                const text_style *style, int width_px)
{
    if (!e || (!utf8 && len))
        return NULL;
    text_style st = normalise_style(style);
    if (len > TEXT_LAYOUT_MAX_BYTES) {
        UI_WARN("layout", "paragraph of %zu bytes cut to %u", len, TEXT_LAYOUT_MAX_BYTES);
        len = TEXT_LAYOUT_MAX_BYTES;
    }
    text_markup m = {0};
    int rc = st.markup ? text_markup_parse(utf8 ? utf8 : "", len, &m)
                       : text_markup_plain(utf8 ? utf8 : "", len, &m);
    text_layout *l = calloc(1, sizeof *l);
    if (rc != 0 || !l)
        goto fail;
    l->plain = m.plain;
    l->plain_len = m.plain_len;
    l->invalid = m.invalid_bytes;
    m.plain = NULL;
    l->width = width_px;

    struct layout_work w = {0};
    uint16_t chain[TEXT_CHAIN_MAX];
    w.st = &st;
    w.plain = l->plain;
    w.len = l->plain_len;
    w.max26 = (int64_t)(width_px > 0 ? width_px : 0) * 64;
    w.chain = chain;
    w.n_chain = text_fonts_chain(e->fonts, st.lang, st.weight, chain);
    w.ruby_px = st.size_px >= 2 ? (st.size_px + 1) / 2 : 1;

    if (reserve_bytes(e, w.len) != 0)
        goto fail;
    if (text_breaker_find(e->breaker, w.plain, w.len, e->brk) != 0) {
        /* Degraded but readable: a break may come anywhere kinsoku allows. */
        for (size_t i = 0; i <= w.len; i++)
            e->brk[i] = (i == w.len || ((unsigned char)w.plain[i] & 0xC0) != 0x80)
                            ? TEXT_BREAK_ALLOWED
                            : TEXT_BREAK_NONE;
        e->brk[0] = TEXT_BREAK_NONE;
        e->brk[w.len] = TEXT_BREAK_MANDATORY;
    }
    e->glyphs.n = 0;
    e->ruby_glyphs.n = 0;
    if (text_shaper_shape(e->shaper, w.plain, w.len, chain, w.n_chain, st.size_px, st.lang,
                          &e->glyphs) != 0)
        goto fail;
    if (reserve_glyphs(e, e->glyphs.n) != 0)
        goto fail;
    memset(e->gap, 0, (e->glyphs.n + 1) * sizeof *e->gap);
    build_index(e, w.len);
    add_script_gaps(e, w.plain, w.len, st.size_px);
    build_prefix(e);
    if (prepare_ruby(e, &w, &m) != 0)
        goto fail;
    if (break_lines(e, &w) != 0)
        goto fail;
    if (apply_max_lines(e, &w, st.max_lines ? ellipsis_width(e, &w) : 0, &l->truncated) != 0)
        goto fail;
    if (layout_place(e, &w, l) != 0)
        goto fail;
    text_markup_free(&m);
    return l;
fail:
    UI_ERROR("layout", "out of memory laying out %zu bytes", len);
    text_markup_free(&m);
    text_layout_destroy(l);
    return NULL;
}

void text_layout_destroy(text_layout *l)
{
    if (!l)
        return;
    free(l->plain);
    free(l->lines);
    free(l->glyphs);
    free(l);
}

size_t text_layout_line_count(const text_layout *l)
{
    return l->n_lines;
}

static int round26(int64_t v)
{
    return (int)((v + 32) >> 6);
}

void text_layout_get_line(const text_layout *l, size_t i, text_line_info *out)
{
    memset(out, 0, sizeof *out);
    if (i >= l->n_lines)
        return;
    const struct lline *ln = &l->lines[i];
    out->text = l->plain + ln->start;
    out->len = ln->end - ln->start;
    out->offset = ln->start;
    out->advance_px = (int)((ln->adv26 + 63) >> 6);
    out->x_px = round26(ln->x26);
    out->top_px = round26(ln->top26);
    out->baseline_px = round26(ln->baseline26);
    out->height_px = round26(l->pitch26);
    out->ellipsis = ln->ellipsis;
}

int text_layout_width(const text_layout *l)
{
    return l->width;
}

int text_layout_height(const text_layout *l)
{
    return l->height;
}

int text_layout_max_advance(const text_layout *l)
{
    int64_t m = 0;
    for (size_t i = 0; i < l->n_lines; i++)
        if (l->lines[i].adv26 > m)
            m = l->lines[i].adv26;
    return (int)((m + 63) >> 6);
}

bool text_layout_truncated(const text_layout *l)
{
    return l->truncated;
}

size_t text_layout_invalid_bytes(const text_layout *l)
{
    return l->invalid;
}

const char *text_layout_plain(const text_layout *l, size_t *len)
{
    if (len)
        *len = l->plain_len;
    return l->plain;
}

const text_glyph *text_layout_glyphs(const text_layout *l, size_t *count)
{
    *count = l->n_glyphs;
    return l->glyphs;
}

size_t text_layout_memory(const text_layout *l)
{
    return l->memory;
}
