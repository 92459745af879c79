/* specimen: the type specimen, dressed as a real public notice: a header band
 * with the centre's name and the time, a heading, furigana, an event card
 * with numbers and dates, a kinsoku-heavy note and an English summary.
 * Sizes derive from the window (one unit = min(w, h) / 30, then the largest
 * scale that fits), so any landscape or portrait size shows all the text;
 * it must never clip text or draw text below 4.5:1 contrast. */
#include "app/screens/screen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "ui/draw.h"

/* Palette: every text colour is listed with its background in text_pairs. */
#define C_PAGE      0xFBFAF6u /* warm paper */
#define C_INK       0x1C1C1Cu
#define C_INK_SOFT  0x3B3B3Bu
#define C_BAND      0x0F4C81u /* municipal navy */
#define C_ON_BAND   0xFFFFFFu
#define C_ACCENT    0xB3261Eu /* the notice's red, for the tag */
#define C_ON_ACCENT 0xFFFFFFu
#define C_CARD      0xEAF1F8u
#define C_LABEL     0x0F4C81u
#define C_ON_LABEL  0xFFFFFFu
#define C_NOTE_BG   0xFFF2D9u
#define C_NOTE_BAR  0xC46A00u
#define C_NOTE_HEAD 0x6E3900u
#define C_RULE      0x0F4C81u
#define C_FOOT_BG   0xE9E7E1u

static const uint32_t text_pairs[][2] = {
    {C_INK, C_PAGE},  {C_INK_SOFT, C_PAGE},  {C_ON_BAND, C_BAND}, {C_ON_ACCENT, C_ACCENT},
    {C_INK, C_CARD},  {C_ON_LABEL, C_LABEL}, {C_INK, C_NOTE_BG},  {C_NOTE_HEAD, C_NOTE_BG},
    {C_BAND, C_PAGE}, {C_INK, C_FOOT_BG},
};

static const char CENTRE[] = "ひろば市 中央コミュニティセンター";
static const char TAG[] = "子育て・健康";
static const char HEADING[] = "子育て支援のお知らせ";
static const char LEAD[] =
    "12月は、{乳幼児|にゅうようじ}{健診|けんしん}と{親子|おやこ}{料理|りょうり}{教室|きょうしつ}を"
    "{開|ひら}きます。{健診|けんしん}には{母子|ぼし}{健康|けんこう}{手帳|てちょう}と"
    "{問診票|もんしんひょう}をお{持|も}ちください。{保健師|ほけんし}による{子育|こそだ}て"
    "{相談|そうだん}も、{予約|よやく}なしで{受|う}けられます。";
static const char CARD_TITLE[] = "親子料理教室";
static const char *const CARD_ROWS[][2] = {
    {"日時", "2026年12月3日(木) 9:30〜11:00"},
    {"会場", "2階 調理実習室"},
    {"参加費", "3,000円（材料費を含みます）"},
    {"申込み", "03-1234-5678（平日 8:30〜17:15）"},
    {"詳細", "https://www.city.example.jp/kosodate"},
};
#define CARD_NROWS (sizeof CARD_ROWS / sizeof CARD_ROWS[0])
static const char NOTE_TITLE[] = "ご注意ください";
static const char NOTE[] = "「ちょっと熱っぽい」「せきが出る」ときは、無理をせず、お休みください。"
                           "キャンセルは前日までに、お電話（03-1234-5678）でご連絡ください。"
                           "ベビーカーは、1階ロビーのスペースをご利用ください。";
static const char EN_TITLE[] = "In English";
static const char EN[] =
    "Infant health check-ups and a parent-and-child cooking class take place on "
    "Thursday 3 December 2026, 9:30–11:00, on the 2nd floor. The class fee is ¥3,000 "
    "including ingredients. To book, call 03-1234-5678 (weekdays 8:30–17:15) or visit "
    "https://www.city.example.jp/kosodate";
static const char FOOTER[] = "お問い合わせ　ひろば市役所 子ども家庭課　電話 03-1234-5678";

typedef struct specimen {
    int64_t shown_minute; /* the minute the header shows; -1: none yet */
    char when[64];        /* the header's date and time */
    int fit_w, fit_h;     /* the window size the unit was fitted for */
    int unit;             /* px per unit at the fitted scale */
    unsigned right;       /* sections in the right column (0: one column) */
    int split;            /* left column's share of the width, % */
    int extra_gap;        /* slack shared among the section gaps, px */
} specimen;

/* One walk over the page: measures only, or measures and draws. Measuring
 * and drawing share the code so they cannot disagree. */
typedef struct pass {
    screen_ctx *ctx;
    const specimen *s;
    bool draw;
    int u;          /* px per unit */
    unsigned right; /* sections in the right column (0: one column) */
    int split;      /* left column's share of the width, % */
    int extra_gap;  /* px added to each gap between sections */
} pass;

double specimen_min_contrast(void)
{
    double worst = 21.0;
    for (size_t i = 0; i < sizeof text_pairs / sizeof text_pairs[0]; i++) {
        double c =
            ui_color_contrast(ui_color_hex(text_pairs[i][0]), ui_color_hex(text_pairs[i][1]));
        if (c < worst)
            worst = c;
    }
    return worst;
}

static int em(const pass *p, double units)
{
    int v = (int)lround(p->u * units);
    return v > 0 ? v : 1;
}

static const text_layout *lay_lang(pass *p, const char *text, double size, text_weight weight,
                                   text_align align, float line_height, int width, text_lang lang)
{
    text_style st = text_style_default(em(p, size));
    st.lang = lang;
    st.weight = weight;
    st.align = align;
    st.line_height = line_height;
    return text_cache_get(p->ctx->cache, text, strlen(text), &st, width > 1 ? width : 1);
}

static const text_layout *lay(pass *p, const char *text, double size, text_weight weight,
                              text_align align, float line_height, int width)
{
    return lay_lang(p, text, size, weight, align, line_height, width, TEXT_LANG_JA);
}

static int height_of(const text_layout *l)
{
    return l ? text_layout_height(l) : 0;
}

static int advance_of(const text_layout *l)
{
    return l ? text_layout_max_advance(l) : 0;
}

static void put(pass *p, const text_layout *l, int x, int y, uint32_t color)
{
    if (p->draw && l)
        text_atlas_draw(p->ctx->atlas, l, x, y, ui_color_hex(color));
}

static void fill(pass *p, SDL_Rect r, uint32_t color)
{
    if (p->draw)
        ui_draw_fill_rect(p->ctx->renderer, r, ui_color_hex(color));
}

static void panel(pass *p, SDL_Rect r, int radius, uint32_t color)
{
    if (p->draw)
        ui_draw_rounded_rect(p->ctx->renderer, r, radius, ui_color_hex(color));
}

/* The band across the top: centre name left, date and time right, or the
 * two stacked when a narrow screen cannot hold both on one row. */
static int draw_band(pass *p, int width)
{
    int pad_x = em(p, 1.0), pad_y = em(p, 0.45), inner = width - 2 * pad_x;
    const text_layout *name = lay(p, CENTRE, 0.9, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1.4f, inner);
    const text_layout *when =
        lay(p, p->s->when, 0.9, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_RIGHT, 1.4f, inner);
    bool one_row = advance_of(name) + em(p, 1.5) + advance_of(when) <= inner;
    int h = one_row ? (height_of(name) > height_of(when) ? height_of(name) : height_of(when))
                    : height_of(name) + height_of(when);
    h += 2 * pad_y;
    fill(p, (SDL_Rect){0, 0, width, h}, C_BAND);
    put(p, name, pad_x, pad_y, C_ON_BAND);
    put(p, when, pad_x, pad_y + (one_row ? 0 : height_of(name)), C_ON_BAND);
    return h;
}

static int draw_footer(pass *p, int width, int bottom)
{
    int pad_x = em(p, 1.0), pad_y = em(p, 0.35);
    const text_layout *l =
        lay(p, FOOTER, 0.75, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 1.4f, width - 2 * pad_x);
    int h = height_of(l) + 2 * pad_y;
    fill(p, (SDL_Rect){0, bottom - h, width, h}, C_FOOT_BG);
    put(p, l, pad_x, bottom - h + pad_y, C_INK);
    return h;
}

/* Tag, heading and a rule under both. */
static int draw_heading(pass *p, int x, int y, int w)
{
    int y0 = y;
    int tag_px = em(p, 0.8), tag_pad = em(p, 0.45);
    const text_layout *tag = lay(p, TAG, 0.7, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1.3f, w);
    SDL_Rect pill = {x, y, advance_of(tag) + 2 * tag_pad, height_of(tag) + em(p, 0.1)};
    panel(p, pill, pill.h / 2 < tag_px ? pill.h / 2 : tag_px, C_ACCENT);
    put(p, tag, x + tag_pad, y + em(p, 0.05), C_ON_ACCENT);
    y += pill.h + em(p, 0.35);
    const text_layout *head = lay(p, HEADING, 2.0, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1.3f, w);
    put(p, head, x, y, C_INK);
    y += height_of(head) + em(p, 0.2);
    fill(p, (SDL_Rect){x, y, w, em(p, 0.12)}, C_RULE);
    y += em(p, 0.12);
    return y - y0;
}

static int draw_lead(pass *p, int x, int y, int w)
{
    const text_layout *l = lay(p, LEAD, 1.05, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 1.55f, w);
    put(p, l, x, y, C_INK);
    return height_of(l);
}

/* The card's rows from y: label pills beside (or, when narrow, above) their
 * values. Returns their height. */
static int card_rows(pass *p, int x, int y, int label_w, int value_w, bool stacked)
{
    int gap = em(p, 0.6), y0 = y;
    for (size_t i = 0; i < CARD_NROWS; i++) {
        const text_layout *lbl =
            lay(p, CARD_ROWS[i][0], 0.8, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, 1.4f, label_w);
        const text_layout *val =
            lay(p, CARD_ROWS[i][1], 1.0, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 1.45f, value_w);
        size_t n = val ? text_layout_line_count(val) : 0;
        int first_line = n ? height_of(val) / (int)n : 0;
        int pill_h = height_of(lbl);
        /* Beside: centre the pill on the value's first line. */
        int pill_y = y + (!stacked && first_line > pill_h ? (first_line - pill_h) / 2 : 0);
        panel(p, (SDL_Rect){x, pill_y, label_w, pill_h}, em(p, 0.25), C_LABEL);
        put(p, lbl, x, pill_y, C_ON_LABEL);
        if (stacked) {
            put(p, val, x, y + pill_h + em(p, 0.15), C_INK);
            y += pill_h + em(p, 0.15) + height_of(val);
        } else {
            put(p, val, x + label_w + gap, y, C_INK);
            y += pill_h > height_of(val) ? pill_h : height_of(val);
        }
        y += i + 1 < CARD_NROWS ? em(p, 0.3) : 0;
    }
    return y - y0;
}

/* The event card: a title over the rows, on a rounded panel. */
static int draw_card(pass *p, int x, int y, int w)
{
    int pad = em(p, 0.8), inner = w - 2 * pad;
    const text_layout *title =
        lay(p, CARD_TITLE, 1.2, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1.3f, inner);
    int label_w = 0;
    for (size_t i = 0; i < CARD_NROWS; i++) {
        int adv = advance_of(
            lay(p, CARD_ROWS[i][0], 0.8, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, 1.4f, inner));
        label_w = adv > label_w ? adv : label_w;
    }
    label_w += 2 * em(p, 0.5);
    int value_w = inner - label_w - em(p, 0.6);
    bool stacked = value_w < em(p, 8); /* too narrow for values beside labels */
    if (stacked)
        value_w = inner;

    /* The panel goes under the rows: measure them first. */
    pass measure = *p;
    measure.draw = false;
    int rows_y = y + pad + height_of(title) + em(p, 0.4);
    int h = rows_y - y + card_rows(&measure, x + pad, rows_y, label_w, value_w, stacked) + pad;
    panel(p, (SDL_Rect){x, y, w, h}, em(p, 0.5), C_CARD);
    put(p, title, x + pad, y + pad, C_INK);
    card_rows(p, x + pad, rows_y, label_w, value_w, stacked);
    return h;
}

/* The kinsoku-heavy note: quotes, commas, small kana and long vowels. */
static int draw_note(pass *p, int x, int y, int w)
{
    int bar = em(p, 0.22), pad = em(p, 0.7), inner = w - bar - 2 * pad;
    const text_layout *title =
        lay(p, NOTE_TITLE, 0.95, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1.4f, inner);
    const text_layout *body = lay(p, NOTE, 0.95, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 1.6f, inner);
    int h = pad + height_of(title) + em(p, 0.15) + height_of(body) + pad;
    fill(p, (SDL_Rect){x, y, w, h}, C_NOTE_BG);
    fill(p, (SDL_Rect){x, y, bar, h}, C_NOTE_BAR);
    put(p, title, x + bar + pad, y + pad, C_NOTE_HEAD);
    put(p, body, x + bar + pad, y + pad + height_of(title) + em(p, 0.15), C_INK);
    return h;
}

static int draw_english(pass *p, int x, int y, int w)
{
    const text_layout *title =
        lay_lang(p, EN_TITLE, 0.8, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1.4f, w, TEXT_LANG_EN);
    const text_layout *body =
        lay_lang(p, EN, 0.95, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 1.5f, w, TEXT_LANG_EN);
    put(p, title, x, y, C_BAND);
    put(p, body, x, y + height_of(title), C_INK_SOFT);
    return height_of(title) + height_of(body);
}

/* The page's sections in reading order; a layout says which go right. */
typedef int (*section_fn)(pass *p, int x, int y, int w);
static const section_fn sections[] = {draw_lead, draw_card, draw_note, draw_english};
#define N_SECTIONS (sizeof sections / sizeof sections[0])
#define RIGHT(i)   (1u << (i))

typedef struct walk_result {
    int overflow;  /* px the taller column runs past the footer (<= 0: fits) */
    int imbalance; /* px between the two columns' ends */
} walk_result;

/* Walks the whole page. */
static walk_result walk(pass *p)
{
    int W = p->ctx->width, H = p->ctx->height;
    int margin = em(p, 1.0), gap = em(p, 0.9) + p->extra_gap;
    if (p->draw)
        ui_draw_clear(p->ctx->renderer, ui_color_hex(C_PAGE));
    int top = draw_band(p, W) + em(p, 0.9);
    int bottom = H - draw_footer(p, W, H) - em(p, 0.8);
    int x = margin, w = W - 2 * margin;
    int y = top + draw_heading(p, x, top, w) + gap;

    int col_gap = em(p, 1.4);
    int lw = p->right ? (w - col_gap) * p->split / 100 : w, rw = w - col_gap - lw;
    int rx = x + lw + col_gap;
    int ly = y, ry = y;
    for (size_t i = 0; i < N_SECTIONS; i++) {
        if (p->right & RIGHT(i)) {
            ry += ry > y ? gap : 0;
            ry += sections[i](p, rx, ry, rw);
        } else {
            ly += ly > y ? gap : 0;
            ly += sections[i](p, x, ly, lw);
        }
    }
    int end = ly > ry ? ly : ry;
    return (walk_result){.overflow = end - bottom, .imbalance = p->right ? abs(ly - ry) : 0};
}

/* The largest unit, from 1.4 x min(w, h) / 30 down, at which everything fits
 * in one of the arrangements the window's shape allows (the best balanced of
 * those that fit wins); the slack left is shared among the gaps between
 * sections so the page does not end in a void. */
static void fit(screen_ctx *ctx, specimen *s)
{
    int side = ctx->width < ctx->height ? ctx->width : ctx->height;
    double base = side / 30.0;
    /* Wide screens get two columns, tall ones one; near-square ones try both. */
    bool wide = ctx->width * 5 >= ctx->height * 6;
    bool tall = ctx->width * 6 <= ctx->height * 5;
    /* lead, card, note, english: which go to the right column (0: one column) */
    static const unsigned layouts[] = {
        0,                   /* one column */
        RIGHT(1) | RIGHT(3), /* card and English right */
        RIGHT(1) | RIGHT(2), /* card and note right */
        RIGHT(1),            /* card alone right */
    };
    static const int splits[] = {50, 55, 60}; /* left column's share, % */
    size_t n_splits = sizeof splits / sizeof splits[0];
    size_t first = wide ? 1 : 0;
    size_t n_layouts = tall ? 1 : sizeof layouts / sizeof layouts[0];
    pass p = {.ctx = ctx, .s = s, .draw = false};
    for (int step = 0; step < 24; step++) {
        p.u = (int)lround(base * (1.4 - 0.05 * step));
        if (p.u < 6)
            break;
        bool found = false;
        int best_imbalance = 0, best_slack = 0;
        for (size_t i = first; i < n_layouts; i++) {
            for (size_t k = 0; k < (layouts[i] ? n_splits : 1); k++) {
                p.right = layouts[i];
                p.split = splits[k];
                walk_result r = walk(&p);
                if (r.overflow > 0 || (found && r.imbalance >= best_imbalance))
                    continue;
                found = true;
                best_imbalance = r.imbalance;
                best_slack = -r.overflow;
                s->right = p.right;
                s->split = p.split;
            }
        }
        if (found) {
            s->unit = p.u;
            int gaps = 0;
            for (size_t i = 0; i < N_SECTIONS; i++)
                gaps += !(s->right & RIGHT(i));
            int cap = p.u * 3 / 2;
            s->extra_gap = best_slack / gaps < cap ? best_slack / gaps : cap;
            LOG_DEBUG("specimen", "%dx%d: unit %d px, right column 0x%x at %d%%, extra gap %d px",
                      ctx->width, ctx->height, s->unit, s->right, s->split, s->extra_gap);
            return;
        }
    }
    LOG_WARN("specimen", "%dx%d is too small to show the whole notice", ctx->width, ctx->height);
    s->unit = p.u > 6 ? p.u : 6;
    s->right = wide ? layouts[1] : 0;
    s->split = splits[1];
    s->extra_gap = 0;
}

static void refresh_time(specimen *s, screen_ctx *ctx)
{
    clock_time now = clock_now(ctx->clock);
    int64_t minute = now.sec >= 0 ? now.sec / 60 : (now.sec - 59) / 60;
    if (minute == s->shown_minute)
        return;
    struct tm tm;
    bool en = ctx->lang && strcmp(ctx->lang, "en") == 0;
    if (clock_local(ctx->clock, ctx->tz, &tm) != 0 ||
        (en ? clock_format_en(&tm, s->when, sizeof s->when)
            : clock_format_ja(&tm, s->when, sizeof s->when)) < 0)
        snprintf(s->when, sizeof s->when, "--:--");
    s->shown_minute = minute;
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

static void *specimen_enter(screen_ctx *ctx)
{
    specimen *s = calloc(1, sizeof *s);
    if (!s) {
        LOG_ERROR("specimen", "out of memory");
        return NULL;
    }
    s->shown_minute = -1;
    refresh_time(s, ctx);
    return s;
}

static void specimen_update(void *self, screen_ctx *ctx)
{
    specimen *s = self;
    refresh_time(s, ctx);
    if (ctx->frame && !clock_is_frozen(ctx->clock)) {
        clock_time now = clock_now(ctx->clock);
        int64_t into = (now.sec % 60 + 60) % 60 * 1000 + now.ms;
        ui_frame_wake_in(ctx->frame, (uint32_t)(60000 - into));
    }
}

static void specimen_draw(void *self, screen_ctx *ctx)
{
    specimen *s = self;
    pass p = {.ctx = ctx,
              .s = s,
              .u = s->unit,
              .right = s->right,
              .split = s->split,
              .extra_gap = s->extra_gap};
    /* Fit again on a new size, or when the header's time no longer fits
     * (measuring hits the cache, so this check is cheap). */
    if (s->fit_w != ctx->width || s->fit_h != ctx->height || s->unit <= 0 ||
        walk(&p).overflow > 0) {
        fit(ctx, s);
        s->fit_w = ctx->width;
        s->fit_h = ctx->height;
        p.u = s->unit;
        p.right = s->right;
        p.split = s->split;
        p.extra_gap = s->extra_gap;
    }
    p.draw = true;
    walk(&p);
}

static void specimen_leave(void *self, screen_ctx *ctx)
{
    (void)ctx;
    free(self);
}

const screen_ops specimen_screen_ops = {
    .name = "specimen",
    .enter = specimen_enter,
    .update = specimen_update,
    .draw = specimen_draw,
    .leave = specimen_leave,
};
