/* boards_common: the parts both live boards draw the same way: texts in the
 * font of the language they are really in, catalog texts with their values
 * put in (never through printf: a catalog is a file someone edits), the
 * calm message shown instead of a board, the signage heading, the page
 * dots, automatic page turns and swipes. Keeps no state of its own. */
#include "app/screens/boards_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/screens/glue.h"
#include "app/screens/kit_draw.h"
#include "app/screens/signage.h"
#include "ui/draw.h"
#include "ui/text/utf8.h"

model_lang boards_lang(const screen_ctx *ctx)
{
    if (ctx->session && ctx->session->lang >= 0 && ctx->session->lang < MODEL_LANG_COUNT)
        return ctx->session->lang;
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

model_lang boards_str(const screen_ctx *ctx, const char *key, const char *const *args, size_t n,
                      char *buf, size_t cap)
{
    model_lang lang = boards_lang(ctx);
    const char *fmt = kit_str(ctx, key);
    model_lang in = ctx->catalog ? catalog_lang(ctx->catalog, lang, key) : MODEL_LANG_EN;
    size_t k = 0, used = 0;
    bool cut = false;
    if (!cap)
        return in;
    for (const char *p = fmt; *p && !cut; p++) {
        const char *piece = NULL;
        size_t len = 1;
        if (p[0] == '%' && (p[1] == 's' || p[1] == 'd')) {
            piece = k < n && args[k] ? args[k] : "";
            k++;
            len = strlen(piece);
            p++;
        } else {
            piece = p;
        }
        if (len > cap - 1 - used) {
            len = cap - 1 - used;
            cut = true;
        }
        memcpy(buf + used, piece, len);
        used += len;
    }
    if (cut) {
        /* A character cut in half would show as U+FFFD: end before it. */
        size_t lead = used;
        while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > 0 && ((unsigned char)buf[lead - 1] & 0x80)) {
            unsigned char c = (unsigned char)buf[lead - 1];
            size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (used - (lead - 1) < want)
                used = lead - 1;
        }
    }
    buf[used] = '\0';
    return in;
}

/* ---- easy Japanese: break at the spaces ---- */

/* Easy Japanese on a board: its phrases glued whole, but a phrase longer
 * than a dozen characters left free to break (a name of a counter may be
 * one long word); lines break at the spaces, after ・ 、 。 ） and before （. */
static const glue_opts easy_rules = {
    .phrases = true,
    .break_after = "・、。）",
    .break_before = "（",
    .phrase_max = 12,
};

#define MAX_GLUE_TEXT 4096 /* bytes: an easy-Japanese text beyond is left as it is */

char *boards_glue(const char *text, model_lang lang)
{
    /* Texts arrive as checked UTF-8 (feeds, pack, catalog); anything else is
     * left as it is for the layout to sanitise. */
    if (!text || !utf8_valid(text, strlen(text), NULL))
        return NULL;
    if (lang == MODEL_LANG_JA_EASY)
        return strlen(text) <= MAX_GLUE_TEXT ? glue_text(text, &easy_rules) : NULL;
    if (lang == MODEL_LANG_JA)
        return glue_text(text, &signage_glue_rules);
    return NULL;
}

static size_t last_line_chars(const text_layout *l)
{
    text_line_info li;
    text_layout_get_line(l, text_layout_line_count(l) - 1, &li);
    size_t n = 0;
    for (size_t i = 0; i < li.len; i++) {
        if (li.len - i >= 3 && memcmp(li.text + i, GLUE_JOINER, GLUE_JOINER_LEN) == 0) {
            i += 2; /* glue, not a character */
            continue;
        }
        n += ((unsigned char)li.text[i] & 0xC0) != 0x80;
    }
    return n;
}

const text_layout *boards_lay(screen_ctx *ctx, const char *utf8, model_lang lang, int px,
                              text_weight weight, text_align align, int width, int max_lines)
{
    text_style st = kit_style(ctx, lang, px, weight, align, max_lines);
    /* Boards are lists of short lines: a tighter pitch than paragraphs
     * (furigana still gets its own room above the line). */
    st.line_height = BOARDS_PITCH;
    char *glued = boards_glue(utf8, lang);
    const char *text = glued ? glued : utf8;
    const text_layout *l = kit_layout(ctx, text, &st, width);
    /* A line of one or two characters under a full one reads as cut off
     * ("…開きま / す"): a slightly narrower measure gives the last line more. */
    if (lang != MODEL_LANG_EN && l && text_layout_line_count(l) >= 2 && last_line_chars(l) <= 2) {
        size_t lines = text_layout_line_count(l);
        for (int pct = 95; pct >= 75; pct -= 5) {
            const text_layout *t = kit_layout(ctx, text, &st, width * pct / 100);
            if (!t || text_layout_line_count(t) != lines)
                break;
            if (last_line_chars(t) > 2) {
                l = t;
                break;
            }
        }
    }
    free(glued);
    return l;
}

static bool latin(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether a line ends inside a Latin word: the layout cut a word that was
 * wider than the box ("Japanese-styl|e"). */
static bool cuts_a_word(const text_layout *l)
{
    size_t n = text_layout_line_count(l);
    for (size_t i = 0; i + 1 < n; i++) {
        text_line_info a, b;
        text_layout_get_line(l, i, &a);
        text_layout_get_line(l, i + 1, &b);
        if (a.len && b.len && latin((unsigned char)a.text[a.len - 1]) &&
            latin((unsigned char)b.text[0]) && b.offset == a.offset + a.len)
            return true;
        /* Or inside a run glued to stay whole (boards_glue). */
        if ((a.len >= 3 && memcmp(a.text + a.len - 3, GLUE_JOINER, GLUE_JOINER_LEN) == 0) ||
            (b.len >= 3 && memcmp(b.text, GLUE_JOINER, GLUE_JOINER_LEN) == 0))
            return true;
    }
    return false;
}

const text_layout *boards_fit_lines(screen_ctx *ctx, const char *utf8, model_lang lang, int px,
                                    text_weight weight, text_align align, int width, int max_lines,
                                    int min_px)
{
    min_px = min_px > 8 ? min_px : 8;
    for (int size = px > min_px ? px : min_px;; size = (int)lround(size * 0.9)) {
        if (size < min_px)
            size = min_px;
        const text_layout *l = boards_lay(ctx, utf8, lang, size, weight, align, width, 0);
        if (!l || size == min_px ||
            ((int)text_layout_line_count(l) <= max_lines && !cuts_a_word(l)))
            return l;
    }
}

const text_layout *boards_lay_text(screen_ctx *ctx, const model_text *t, int px, text_weight weight,
                                   text_align align, int width, int max_lines)
{
    model_lang lang = boards_lang(ctx);
    return boards_lay(ctx, model_text_get(t, lang), model_text_lang(t, lang), px, weight, align,
                      width, max_lines);
}

const text_layout *boards_lay_ui(screen_ctx *ctx, const char *key, const char *const *args,
                                 size_t n, int px, text_weight weight, text_align align, int width)
{
    char buf[BOARDS_TEXT_MAX];
    model_lang lang = boards_str(ctx, key, args, n, buf, sizeof buf);
    return boards_lay(ctx, buf, lang, px, weight, align, width, 0);
}

int boards_h(const text_layout *l)
{
    return l ? text_layout_height(l) : 0;
}

int boards_w(const text_layout *l)
{
    return l ? text_layout_max_advance(l) : 0;
}

void boards_put(screen_ctx *ctx, const text_layout *l, int x, int y, SDL_Color c)
{
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, x, y, c);
}

SDL_Color boards_mix(SDL_Color a, SDL_Color b, float t)
{
    t = t < 0.0f ? 0.0f : t > 1.0f ? 1.0f : t;
    SDL_Color c = {
        (Uint8)lroundf(a.r + (b.r - a.r) * t),
        (Uint8)lroundf(a.g + (b.g - a.g) * t),
        (Uint8)lroundf(a.b + (b.b - a.b) * t),
        (Uint8)lroundf(a.a + (b.a - a.a) * t),
    };
    return c;
}

void boards_message(screen_ctx *ctx, SDL_Rect area, const char *key, const char *sub_key)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    int w = area.w - 2 * m.gap;
    const text_layout *big =
        boards_lay_ui(ctx, key, NULL, 0, m.title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, w);
    const text_layout *small = sub_key ? boards_lay_ui(ctx, sub_key, NULL, 0, m.text_px,
                                                       TEXT_WEIGHT_REGULAR, TEXT_ALIGN_CENTER, w)
                                       : NULL;
    int gap = small ? m.gap : 0;
    int h = boards_h(big) + gap + boards_h(small);
    /* A little above the middle, where the eye lands. */
    int y = area.y + (area.h - h) * 2 / 5;
    y = y > area.y ? y : area.y;
    boards_put(ctx, big, area.x + m.gap, y, t->ink);
    boards_put(ctx, small, area.x + m.gap, y + boards_h(big) + gap, t->muted);
}

void boards_no_data(screen_ctx *ctx, SDL_Rect area, const char *prefix, const hub_feed_status *st,
                    bool pack_url)
{
    char key[64], sub[64];
    /* Without a status (a preview), the pack says whether a feed will come. */
    bool configured = st ? st->configured : pack_url;
    const char *what = !configured ? "unconfigured" : st && st->failing ? "failing" : "loading";
    snprintf(key, sizeof key, "%s.%s", prefix, what);
    snprintf(sub, sizeof sub, "%s.ask", prefix);
    /* Waiting for the first answer is normal: no advice needed. */
    boards_message(ctx, area, key, strcmp(what, "loading") == 0 ? NULL : sub);
}

int boards_heading(screen_ctx *ctx, SDL_Rect area, const char *title_key)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    const text_layout *l = boards_lay_ui(ctx, title_key, NULL, 0, m.title_px, TEXT_WEIGHT_BOLD,
                                         TEXT_ALIGN_LEFT, area.w);
    int rule = m.gap / 5 > 3 ? m.gap / 5 : 3;
    boards_put(ctx, l, area.x, area.y, t->ink);
    int y = area.y + boards_h(l) + m.gap / 3;
    ui_draw_fill_rect(ctx->renderer, (SDL_Rect){area.x, y, area.w, rule}, t->tile_edge);
    return boards_h(l) + m.gap / 3 + rule;
}

int boards_pager(screen_ctx *ctx, const char *key, SDL_Rect row, int page, int n_pages,
                 bool measure_only)
{
    if (n_pages <= 1)
        return 0;
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", page + 1);
    snprintf(b, sizeof b, "%d", n_pages);
    const char *args[] = {a, b};
    const text_layout *l =
        boards_lay_ui(ctx, key, args, 2, m.small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, row.w);
    int r = m.small_px * 3 / 10 > 4 ? m.small_px * 3 / 10 : 4, step = r * 3;
    int dots = n_pages <= 12 ? n_pages : 0; /* beyond that the numbers say it */
    int w = boards_w(l) + (dots ? m.gap / 2 + dots * step : 0);
    if (measure_only)
        return w;
    int x = row.x + (row.w - w) / 2;
    boards_put(ctx, l, x, row.y + (row.h - boards_h(l)) / 2, t->ink);
    float cy = (float)row.y + (float)row.h / 2.0f;
    float cx = (float)(x + boards_w(l) + m.gap / 2) + (float)step / 2.0f;
    for (int i = 0; i < dots; i++, cx += (float)step) {
        if (i == page)
            kit_draw_disc(ctx->renderer, cx, cy, (float)r, t->ink);
        else
            kit_draw_ring(ctx->renderer, cx, cy, (float)r, (float)(r > 6 ? r / 3 : 2), t->muted);
    }
    return w;
}

void boards_page_tick(screen_ctx *ctx, int *page, int n_pages, int64_t *since_ms)
{
    if (n_pages <= 1) {
        *since_ms = 0;
        if (*page != 0) {
            *page = 0;
            if (ctx->frame)
                ui_frame_invalidate(ctx->frame);
        }
        return;
    }
    if (*page >= n_pages)
        *page = 0;
    if (*since_ms == 0 || ctx->now_ms < *since_ms)
        *since_ms = ctx->now_ms;
    if (ctx->now_ms - *since_ms >= BOARDS_PAGE_MS) {
        *page = (*page + 1) % n_pages;
        *since_ms = ctx->now_ms;
        if (ctx->frame)
            ui_frame_invalidate(ctx->frame);
    }
    if (ctx->frame)
        ui_frame_wake_in(ctx->frame, (uint32_t)(*since_ms + BOARDS_PAGE_MS - ctx->now_ms));
}

void boards_wake_when_stale(screen_ctx *ctx, int64_t updated_sec, uint32_t stale_s)
{
    if (!ctx->frame || !ctx->clock || clock_is_frozen(ctx->clock) || stale_s == 0 ||
        updated_sec <= 0)
        return;
    int64_t now = clock_now(ctx->clock).sec, at = updated_sec + (int64_t)stale_s + 1;
    if (at <= now)
        return;
    int64_t ms = (at - now) * 1000;
    /* Far away: look again in an hour (the clock may be set meanwhile). */
    ui_frame_wake_in(ctx->frame, (uint32_t)(ms < 3600000 ? ms : 3600000));
}

int boards_swipe_feed(boards_swipe *s, const screen_ctx *ctx, const SDL_Event *ev)
{
    kit_pointer p = kit_pointer_from_event(ctx, ev);
    switch (p.kind) {
    case KIT_POINTER_DOWN:
        s->down = true;
        s->x0 = p.x;
        s->y0 = p.y;
        return 0;
    case KIT_POINTER_UP: {
        if (!s->down)
            return 0;
        s->down = false;
        int dx = p.x - s->x0, dy = abs(p.y - s->y0);
        int need = kit_metrics_get(ctx).target;
        need = need > ctx->width / 12 ? need : ctx->width / 12;
        if (abs(dx) < need || abs(dx) < 2 * dy)
            return 0;
        return dx < 0 ? 1 : -1;
    }
    default:
        return 0;
    }
}
