/* signage_ticker: the strip of short notices along the bottom of the signage
 * screen. The lines on now, separated by a ◆, scroll right to left at a
 * constant speed in px per second read from the monotonic clock (so a slow
 * frame never slows the text down), and wrap seamlessly; when they all fit
 * they stand still and cost nothing. Every piece is laid out by the text
 * engine (furigana included) and drawn clipped to the strip; it must never
 * draw outside the strip or lay out anything wider than one line. */
#include "app/screens/signage_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/core/schedule.h"
#include "ui/draw.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"

#define TICKER_STRIP_U   2.4       /* strip height, units */
#define TICKER_FONT_U    1.1       /* text size, units */
#define TICKER_CHARS_S   3.5       /* speed: characters (ems) per second */
#define TICKER_ONE_LINE  (1 << 22) /* a box no notice fills: one line each */
#define TICKER_SEPARATOR "◆"

/* The label at the strip's left, per language (falls back to Japanese). */
static const char *const labels[MODEL_LANG_COUNT] = {
    [MODEL_LANG_JA] = "お知らせ", [MODEL_LANG_EN] = "Notices",       [MODEL_LANG_ZH] = "通知",
    [MODEL_LANG_KO] = "알림",     [MODEL_LANG_JA_EASY] = "おしらせ",
};

int signage_ticker_offset(int64_t elapsed_ms, int speed_px_s, int period_px)
{
    if (elapsed_ms <= 0 || speed_px_s <= 0 || period_px <= 0)
        return 0;
    /* ms * px/s stays far inside int64 for centuries of uptime. */
    return (int)((elapsed_ms * speed_px_s / 1000) % period_px);
}

void signage_ticker_refresh(signage *s, const screen_ctx *ctx, int64_t epoch_s)
{
    const model_ticker *now[SG_TICKER_MAX];
    size_t n = 0;
    if (ctx->pack) {
        n = schedule_ticker_now(ctx->pack, epoch_s, now, SG_TICKER_MAX);
        if (n > SG_TICKER_MAX)
            n = SG_TICKER_MAX;
    }
    if (n == s->ticker.n && (n == 0 || memcmp(now, s->ticker.lines, n * sizeof now[0]) == 0))
        return;
    memcpy(s->ticker.lines, now, n * sizeof now[0]);
    s->ticker.n = n;
    s->ticker.start_mono = clock_monotonic_ms();
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

int signage_ticker_height(const signage *s, int u)
{
    return s->ticker.n ? (int)lround(u * TICKER_STRIP_U) : 0;
}

static int font_px(const signage_geom *g)
{
    int px = (int)lround(g->u * TICKER_FONT_U);
    return px > 8 ? px : 8;
}

static const text_layout *piece(screen_ctx *ctx, const char *text, int px, text_lang lang,
                                text_weight weight)
{
    text_style st = text_style_default(px);
    st.lang = lang;
    st.weight = weight;
    st.line_height = 1.3f;
    size_t len = strlen(text);
    if (!memchr(text, '\n', len))
        return text_cache_get(ctx->cache, text, len, &st, TICKER_ONE_LINE);
    /* A notice is one line: a newline in it reads as a space. */
    char *flat = malloc(len + 1);
    if (!flat)
        return NULL;
    for (size_t i = 0; i <= len; i++)
        flat[i] = text[i] == '\n' ? ' ' : text[i];
    const text_layout *l = text_cache_get(ctx->cache, flat, len, &st, TICKER_ONE_LINE);
    free(flat);
    return l;
}

static const text_layout *line_layout(signage *s, screen_ctx *ctx, size_t i, int px)
{
    const model_text *t = &s->ticker.lines[i]->text;
    return piece(ctx, model_text_get(t, s->lang), px,
                 signage_text_lang(model_text_lang(t, s->lang)), TEXT_WEIGHT_REGULAR);
}

static int advance(const text_layout *l)
{
    return l ? text_layout_max_advance(l) : 0;
}

/* The label block and the text area right of it. */
static void areas(signage *s, screen_ctx *ctx, const signage_geom *g, const text_layout **label,
                  SDL_Rect *block, SDL_Rect *text)
{
    int px = font_px(g), pad = (int)lround(px * 0.8);
    const char *name = labels[s->lang] ? labels[s->lang] : labels[MODEL_LANG_JA];
    text_lang tl = signage_text_lang(labels[s->lang] ? s->lang : MODEL_LANG_JA);
    *label = piece(ctx, name, px, tl, TEXT_WEIGHT_BOLD);
    *block = (SDL_Rect){g->strip.x, g->strip.y, advance(*label) + 2 * pad, g->strip.h};
    int gap = pad;
    *text = (SDL_Rect){block->x + block->w + gap, g->strip.y, 0, g->strip.h};
    text->w = g->strip.x + g->strip.w - pad - text->x;
    if (text->w < 1)
        text->w = 1;
}

/* Width of one round (every line and a separator after each), and of the
 * lines shown once without the last separator. */
static void measure(signage *s, screen_ctx *ctx, const signage_geom *g, int *period, int *once)
{
    int px = font_px(g),
        sep_w =
            advance(piece(ctx, TICKER_SEPARATOR, px, TEXT_LANG_JA, TEXT_WEIGHT_REGULAR)) + 2 * px;
    int total = 0;
    for (size_t i = 0; i < s->ticker.n; i++)
        total += advance(line_layout(s, ctx, i, px)) + sep_w;
    *period = total;
    *once = total - sep_w;
}

void signage_ticker_measure(signage *s, screen_ctx *ctx, const signage_geom *g)
{
    if (!s->ticker.n || g->strip.h <= 0) {
        s->ticker.moving = false;
        return;
    }
    const text_layout *label;
    SDL_Rect block, text;
    areas(s, ctx, g, &label, &block, &text);
    int period, once;
    measure(s, ctx, g, &period, &once);
    s->ticker.moving = once > text.w;
}

/* Draws l with its first line's baseline at (x, baseline). */
static void put(screen_ctx *ctx, const text_layout *l, int x, int baseline, uint32_t rgb)
{
    if (!l || text_layout_line_count(l) == 0)
        return;
    text_line_info li;
    text_layout_get_line(l, 0, &li);
    text_atlas_draw(ctx->atlas, l, x, baseline - li.baseline_px, ui_color_hex(rgb));
}

void signage_ticker_draw(signage *s, screen_ctx *ctx, const signage_geom *g)
{
    if (!s->ticker.n || g->strip.h <= 0)
        return;
    int px = font_px(g);
    const text_layout *label;
    SDL_Rect block, text;
    areas(s, ctx, g, &label, &block, &text);
    /* One baseline for every piece, so that notices with and without
     * furigana sit on the same line, the furigana inside the strip. */
    int baseline = g->strip.y + g->strip.h / 2 + (int)lround(px * 0.5);

    ui_draw_fill_rect(ctx->renderer, g->strip, ui_color_hex(SG_TICKER_BG));
    ui_draw_fill_rect(ctx->renderer, block, ui_color_hex(SG_LABEL_BG));
    put(ctx, label, block.x + (block.w - advance(label)) / 2, baseline, SG_ON_LABEL);

    const text_layout *sep = piece(ctx, TICKER_SEPARATOR, px, TEXT_LANG_JA, TEXT_WEIGHT_REGULAR);
    int sep_w = advance(sep) + 2 * px;
    int period, once;
    measure(s, ctx, g, &period, &once);
    s->ticker.moving = once > text.w;
    int offset = 0;
    if (s->ticker.moving && !s->still) {
        int speed = (int)lround(px * TICKER_CHARS_S);
        offset = signage_ticker_offset(clock_monotonic_ms() - s->ticker.start_mono, speed, period);
    }

    SDL_RenderSetClipRect(ctx->renderer, &text);
    int right = text.x + text.w;
    /* Round after round from the offset until the strip is full. */
    for (int x = text.x - offset; x < right && period > 0;) {
        for (size_t i = 0; i < s->ticker.n && x < right; i++) {
            const text_layout *l = line_layout(s, ctx, i, px);
            int w = advance(l);
            if (x + w > text.x)
                put(ctx, l, x, baseline, SG_ON_TICKER);
            x += w;
            if (!s->ticker.moving && i + 1 == s->ticker.n)
                break;
            if (x + sep_w > text.x)
                put(ctx, sep, x + px, baseline, SG_BULLET);
            x += sep_w;
        }
        if (!s->ticker.moving)
            break;
    }
    SDL_RenderSetClipRect(ctx->renderer, NULL);
}
