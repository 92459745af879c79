/* kit: the theme, the metrics and text drawing every touch screen shares
 * (kit_pointer.c handles touch and mouse, kit_chrome.c draws buttons, the
 * header, the bar and the language picker, kit_qr.c makes QR codes, feed
 * stamps and pictures). One palette for every board, so a resident learns
 * the colours once; every text colour is listed with its background in
 * text_pairs and checked >= 4.5:1 by the tests. */
#include "app/screens/kit.h"

#include <math.h>
#include <string.h>

#include "app/screens/kit_draw.h"
#include "ui/draw.h"

/* Calm public-notice colours: warm paper, near-black ink, municipal navy.
 * Free, booked and closed are green, red and grey, but never only that:
 * each also has a mark (○ × －) and a word. */
#define C_PAPER     0xFBFAF6u
#define C_INK       0x1C1C1Cu
#define C_MUTED     0x4A4A4Au
#define C_BAND      0x0F4C81u
#define C_BAND_INK  0xFFFFFFu
#define C_TILE      0xEAF1F8u
#define C_TILE_INK  0x1C1C1Cu
#define C_TILE_EDGE 0x0F4C81u
#define C_PRESSED   0xFFD23Fu /* signal yellow: a finger is on it */
#define C_PRESS_INK 0x1C1C1Cu
#define C_ON        0x0F4C81u
#define C_ON_INK    0xFFFFFFu
#define C_HILITE    0xFFE680u
#define C_HILITE_IN 0x1C1C1Cu
#define C_FREE_BG   0xE2F3E6u
#define C_FREE_INK  0x0B5A28u
#define C_BOOK_BG   0xFBE4E1u
#define C_BOOK_INK  0x9A1B16u
#define C_SHUT_BG   0xE4E4E2u
#define C_SHUT_INK  0x383838u
#define C_WARN_BG   0xFFF0CCu
#define C_WARN_INK  0x6B3700u

static const kit_theme theme = {
    .paper = {0xFB, 0xFA, 0xF6, 0xFF},
    .ink = {0x1C, 0x1C, 0x1C, 0xFF},
    .muted = {0x4A, 0x4A, 0x4A, 0xFF},
    .band = {0x0F, 0x4C, 0x81, 0xFF},
    .band_ink = {0xFF, 0xFF, 0xFF, 0xFF},
    .tile = {0xEA, 0xF1, 0xF8, 0xFF},
    .tile_ink = {0x1C, 0x1C, 0x1C, 0xFF},
    .tile_edge = {0x0F, 0x4C, 0x81, 0xFF},
    .pressed = {0xFF, 0xD2, 0x3F, 0xFF},
    .pressed_ink = {0x1C, 0x1C, 0x1C, 0xFF},
    .on = {0x0F, 0x4C, 0x81, 0xFF},
    .on_ink = {0xFF, 0xFF, 0xFF, 0xFF},
    .highlight = {0xFF, 0xE6, 0x80, 0xFF},
    .highlight_ink = {0x1C, 0x1C, 0x1C, 0xFF},
    .free_bg = {0xE2, 0xF3, 0xE6, 0xFF},
    .free_ink = {0x0B, 0x5A, 0x28, 0xFF},
    .booked_bg = {0xFB, 0xE4, 0xE1, 0xFF},
    .booked_ink = {0x9A, 0x1B, 0x16, 0xFF},
    .closed_bg = {0xE4, 0xE4, 0xE2, 0xFF},
    .closed_ink = {0x38, 0x38, 0x38, 0xFF},
    .warn_bg = {0xFF, 0xF0, 0xCC, 0xFF},
    .warn_ink = {0x6B, 0x37, 0x00, 0xFF},
};

/* Every text colour with every background it is drawn on. */
static const uint32_t text_pairs[][2] = {
    {C_INK, C_PAPER},        {C_MUTED, C_PAPER},       {C_BAND_INK, C_BAND},
    {C_TILE_INK, C_TILE},    {C_MUTED, C_TILE},        {C_TILE_EDGE, C_TILE},
    {C_TILE_EDGE, C_PAPER},  {C_PRESS_INK, C_PRESSED}, {C_ON_INK, C_ON},
    {C_HILITE_IN, C_HILITE}, {C_FREE_INK, C_FREE_BG},  {C_BOOK_INK, C_BOOK_BG},
    {C_SHUT_INK, C_SHUT_BG}, {C_WARN_INK, C_WARN_BG},  {C_INK, C_WARN_BG},
};

const kit_theme *kit_theme_get(void)
{
    return &theme;
}

double kit_theme_min_contrast(void)
{
    double worst = 21.0;
    for (size_t i = 0; i < sizeof text_pairs / sizeof text_pairs[0]; i++) {
        double c =
            ui_color_contrast(ui_color_hex(text_pairs[i][0]), ui_color_hex(text_pairs[i][1]));
        worst = c < worst ? c : worst;
    }
    /* The struct is what screens use: hold it to the same bar. */
    const SDL_Color pairs[][2] = {
        {theme.ink, theme.paper},
        {theme.muted, theme.paper},
        {theme.band_ink, theme.band},
        {theme.tile_ink, theme.tile},
        {theme.pressed_ink, theme.pressed},
        {theme.on_ink, theme.on},
        {theme.highlight_ink, theme.highlight},
        {theme.free_ink, theme.free_bg},
        {theme.booked_ink, theme.booked_bg},
        {theme.closed_ink, theme.closed_bg},
        {theme.warn_ink, theme.warn_bg},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double c = ui_color_contrast(pairs[i][0], pairs[i][1]);
        worst = c < worst ? c : worst;
    }
    return worst;
}

/* ---- metrics ---- */

/* A 1080p screen of about 43 inches when main could not tell. */
#define DEFAULT_PX_PER_MM 2.3f

static int scaled(int base, double factor)
{
    int v = (int)lround(base * factor);
    return v > 1 ? v : 1;
}

kit_metrics kit_metrics_get(const screen_ctx *ctx)
{
    int w = ctx->width > 0 ? ctx->width : 1920, h = ctx->height > 0 ? ctx->height : 1080;
    int u = w < h ? w : h; /* 1080 on both orientations of a 1080p screen */
    double large = ctx->session && ctx->session->large_text ? KIT_LARGE_SCALE : 1.0;
    float ppm = ctx->px_per_mm > 0.0f ? ctx->px_per_mm : DEFAULT_PX_PER_MM;
    kit_metrics m;
    m.text_px = scaled(u, 0.037 * large);
    m.title_px = scaled(u, 0.05 * large);
    int small = scaled(u, 0.026 * large), floor_px = scaled(u, 24.0 / 1080.0);
    m.small_px = small > floor_px ? small : floor_px;
    m.gap = scaled(u, 0.022);
    int mm = (int)ceilf(KIT_MIN_TARGET_MM * ppm);
    int design = scaled(u, 0.1);
    m.target = mm > design ? mm : design;
    /* The header holds one title line (with room for its readings when
     * they show), or the facility name over the clock. */
    const screen_session *s = ctx->session;
    bool ruby = s && (s->lang == MODEL_LANG_JA_EASY || (s->lang == MODEL_LANG_JA && s->furigana));
    int title_line = (int)lround(m.title_px * (ruby ? 1.85 : 1.45));
    int two_small = (int)lround(m.small_px * 2.8);
    m.header_h = (title_line > two_small ? title_line : two_small) + m.gap;
    /* Bar buttons hold a label over a state word (switches) in small type. */
    int bar_text = (int)lround(m.small_px * 2.9) + m.gap;
    m.bar_h = (m.target > bar_text ? m.target : bar_text) + m.gap;
    m.radius = scaled(u, 0.012);
    return m;
}

/* ---- text ---- */

text_lang kit_text_lang(model_lang lang)
{
    switch (lang) {
    case MODEL_LANG_EN:
        return TEXT_LANG_EN;
    case MODEL_LANG_ZH:
        return TEXT_LANG_ZH;
    case MODEL_LANG_KO:
        return TEXT_LANG_KO;
    default:
        return TEXT_LANG_JA;
    }
}

static model_lang session_lang(const screen_ctx *ctx)
{
    if (ctx->session && ctx->session->lang >= 0 && ctx->session->lang < MODEL_LANG_COUNT)
        return ctx->session->lang;
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

text_style kit_style(const screen_ctx *ctx, model_lang lang, int size_px, text_weight weight,
                     text_align align, int max_lines)
{
    text_style st = text_style_default(size_px > 0 ? size_px : 1);
    st.lang = kit_text_lang(lang);
    st.weight = weight;
    st.align = align;
    st.max_lines = max_lines;
    st.markup = true;
    /* Easy Japanese is written for readers who need the readings; other
     * scripts have none to show. */
    st.ruby = lang == MODEL_LANG_JA_EASY ||
              (lang == MODEL_LANG_JA && ctx->session && ctx->session->furigana);
    return st;
}

const text_layout *kit_layout(screen_ctx *ctx, const char *utf8, const text_style *style,
                              int width_px)
{
    if (!utf8 || !ctx->cache)
        return NULL;
    return text_cache_get(ctx->cache, utf8, strlen(utf8), style, width_px > 1 ? width_px : 1);
}

int kit_text(screen_ctx *ctx, const char *utf8, const text_style *style, int x, int y, int width_px,
             SDL_Color color)
{
    if (!utf8 || !utf8[0])
        return 0;
    const text_layout *l = kit_layout(ctx, utf8, style, width_px);
    if (!l)
        return 0;
    if (ctx->atlas)
        text_atlas_draw(ctx->atlas, l, x, y, color);
    return text_layout_height(l);
}

const char *kit_str(const screen_ctx *ctx, const char *key)
{
    if (!ctx->catalog)
        return key;
    return catalog_get(ctx->catalog, session_lang(ctx), key);
}

int kit_ui_text(screen_ctx *ctx, const char *key, int size_px, text_weight weight, text_align align,
                int x, int y, int width_px, SDL_Color color)
{
    model_lang lang =
        ctx->catalog ? catalog_lang(ctx->catalog, session_lang(ctx), key) : MODEL_LANG_EN;
    text_style st = kit_style(ctx, lang, size_px, weight, align, 0);
    return kit_text(ctx, kit_str(ctx, key), &st, x, y, width_px, color);
}

/* A paragraph whose last line is a sliver of the width. */
static bool orphaned(const text_layout *l, int w)
{
    size_t n = text_layout_line_count(l);
    if (n < 2)
        return false;
    text_line_info last;
    text_layout_get_line(l, n - 1, &last);
    return last.advance_px < w / 6;
}

const text_layout *kit_fit(screen_ctx *ctx, const char *utf8, model_lang lang, int size_px,
                           text_weight weight, text_align align, int w, int h, int min_px)
{
    if (!utf8)
        return NULL;
    min_px = min_px > 8 ? min_px : 8;
    size_px = size_px > min_px ? size_px : min_px;
    /* One line at the size asked, or a step smaller: labels read best whole. */
    int one_line[2] = {size_px, (int)lround(size_px * 0.85)};
    for (int i = 0; i < 2; i++) {
        if (i && one_line[i] < min_px)
            break;
        text_style st = kit_style(ctx, lang, one_line[i], weight, align, 0);
        const text_layout *l = kit_layout(ctx, utf8, &st, w);
        if (!l)
            return NULL;
        if (text_layout_line_count(l) <= 1 && text_layout_height(l) <= h)
            return l;
    }
    /* Wrapped, shrinking in steps of about 8% until the lines fit; a few
     * steps more when the last line would be a lone word or character
     * ("ご案" / "内"), which reads as a mistake on a notice. */
    const text_layout *l = NULL, *fallback = NULL;
    int extra = 0;
    for (int px = one_line[1];; px = (int)lround(px * 0.92)) {
        if (px < min_px)
            px = min_px;
        text_style st = kit_style(ctx, lang, px, weight, align, 0);
        st.line_height = 1.3f;
        l = kit_layout(ctx, utf8, &st, w);
        if (!l)
            return fallback;
        bool fits = text_layout_height(l) <= h;
        if (fits && !orphaned(l, w))
            return l;
        if (fits && !fallback)
            fallback = l;
        if ((fallback && ++extra > 3) || px == min_px)
            return fallback ? fallback : l;
    }
}
