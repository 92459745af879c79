/* kit_chrome: buttons and the chrome every touch screen wears: the header
 * (title, facility, date and time), the bar (back, home, language,
 * furigana, large text) and the language picker. The language button is
 * labelled in several scripts and the picker names every language in
 * itself, so a resident who cannot read the current language still finds
 * their own. Switches show their state by fill, a check mark and a word,
 * never by colour alone. */
#include "app/screens/kit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/core/log.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

/* Each language named in itself (the picker) and the words the language
 * button shows, each drawn in its own script's font. */
static const char *const lang_self[MODEL_LANG_COUNT] = {
    [MODEL_LANG_JA] = "日本語",
    [MODEL_LANG_EN] = "English",
    [MODEL_LANG_ZH] = "简体中文",
    [MODEL_LANG_KO] = "한국어",
    [MODEL_LANG_JA_EASY] = "やさしい {日本語|にほんご}",
};

typedef struct piece {
    const char *text;
    model_lang lang;
} piece;

static const piece lang_words[] = {
    {"言語", MODEL_LANG_JA},
    {"Language", MODEL_LANG_EN},
    {"语言", MODEL_LANG_ZH},
    {"언어", MODEL_LANG_KO},
};
#define N_LANG_WORDS (sizeof lang_words / sizeof lang_words[0])

static model_lang cur_lang(const screen_ctx *ctx)
{
    if (ctx->session && ctx->session->lang >= 0 && ctx->session->lang < MODEL_LANG_COUNT)
        return ctx->session->lang;
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

/* The language a catalog string is in (for its font). */
static model_lang str_lang(const screen_ctx *ctx, const char *key)
{
    return ctx->catalog ? catalog_lang(ctx->catalog, cur_lang(ctx), key) : MODEL_LANG_EN;
}

static void put(screen_ctx *ctx, const text_layout *l, int x, int y, SDL_Color c)
{
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, x, y, c);
}

static int lh(const text_layout *l)
{
    return l ? text_layout_height(l) : 0;
}

static int ladv(const text_layout *l)
{
    return l ? text_layout_max_advance(l) : 0;
}

/* ---- buttons ---- */

/* Internal: a choice that is the current one (the picker's language): the
 * "on" colours and a check mark before its label, but no state word. */
#define STYLE_CHOSEN ((kit_button_style)100)

typedef struct look {
    SDL_Color bg, ink, edge;
    int edge_px;
} look;

static look look_of(screen_ctx *ctx, const kit_ui *ui, int id, kit_button_style style)
{
    const kit_theme *t = kit_theme_get();
    int edge = kit_metrics_get(ctx).gap / 6;
    edge = edge > 2 ? edge : 2;
    if (kit_ui_pressed(ui, id))
        return (look){t->pressed, t->pressed_ink, t->ink, edge};
    if (style == KIT_BUTTON_SWITCH_ON || style == STYLE_CHOSEN)
        return (look){t->on, t->on_ink, t->band_ink, edge};
    return (look){t->tile, t->tile_ink, t->tile_edge, edge};
}

/* A button with an optional drawn mark before its label, or (tiles) a
 * texture above it. Switches draw a check box and the state word. */
static void button(screen_ctx *ctx, kit_ui *ui, int id, SDL_Rect rect, const char *label,
                   model_lang lang, kit_button_style style, SDL_Texture *icon, int mark,
                   int size_px)
{
    kit_metrics m = kit_metrics_get(ctx);
    look lk = look_of(ctx, ui, id, style);
    kit_draw_panel(ctx->renderer, rect, m.radius, lk.bg, lk.edge, lk.edge_px);
    if (id != KIT_NONE)
        kit_ui_hit(ui, rect, id);
    int pad = m.gap / 2 > lk.edge_px * 2 ? m.gap / 2 : lk.edge_px * 2;
    SDL_Rect in = {rect.x + pad, rect.y + pad, rect.w - 2 * pad, rect.h - 2 * pad};
    if (in.w <= 0 || in.h <= 0)
        return;
    int min_px = m.small_px * 3 / 4;
    if (style == KIT_BUTTON_TILE) {
        int icon_h = 0;
        if (icon) {
            icon_h = in.h * 45 / 100;
            SDL_Rect dst = {in.x + (in.w - icon_h) / 2, in.y, icon_h, icon_h};
            SDL_RenderCopy(ctx->renderer, icon, NULL, &dst);
            icon_h += m.gap / 2;
        }
        const text_layout *l = kit_fit(ctx, label, lang, size_px, TEXT_WEIGHT_BOLD,
                                       TEXT_ALIGN_CENTER, in.w, in.h - icon_h, min_px);
        int y = in.y + icon_h + (in.h - icon_h - lh(l)) / 2;
        put(ctx, l, in.x, y, lk.ink);
        return;
    }
    bool is_switch = style == KIT_BUTTON_SWITCH_ON || style == KIT_BUTTON_SWITCH_OFF;
    if (style == STYLE_CHOSEN && mark < 0)
        mark = KIT_MARK_CHECK;
    int box = 0, space = 0;
    if (is_switch || mark >= 0) {
        box = (int)lround(m.small_px * 1.25);
        box = box < in.h ? box : in.h;
        space = m.gap / 3;
    }
    int tw = in.w - box - space;
    if (!is_switch) {
        const text_layout *l = kit_fit(ctx, label, lang, size_px, TEXT_WEIGHT_BOLD,
                                       box ? TEXT_ALIGN_LEFT : TEXT_ALIGN_CENTER, tw, in.h, min_px);
        /* A mark and its label are centred together. */
        int x = in.x;
        if (box) {
            int used = box + space + ladv(l);
            x += (in.w - used) / 2 > 0 ? (in.w - used) / 2 : 0;
            kit_draw_mark(ctx->renderer, (kit_mark)mark,
                          (SDL_Rect){x, in.y + (in.h - box) / 2, box, box}, lk.ink, lk.bg);
            x += box + space;
        }
        put(ctx, l, x, in.y + (in.h - lh(l)) / 2, lk.ink);
        return;
    }
    /* Switch: the label across the button, and under it the state as a
     * box (empty when off, ticked when on) and a word, so the state is
     * told by fill, mark and word at once. */
    const kit_theme *t = kit_theme_get();
    const char *key = style == KIT_BUTTON_SWITCH_ON ? "chrome.on" : "chrome.off";
    box = (int)lround(m.small_px * 1.05);
    const text_layout *st =
        kit_fit(ctx, kit_str(ctx, key), str_lang(ctx, key), m.small_px, TEXT_WEIGHT_BOLD,
                TEXT_ALIGN_LEFT, in.w - box - space, in.h / 2, min_px);
    int row_h = lh(st) > box ? lh(st) : box;
    const text_layout *l = kit_fit(ctx, label, lang, size_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER,
                                   in.w, in.h - row_h, min_px);
    int y = in.y + (in.h - lh(l) - row_h) / 2;
    put(ctx, l, in.x, y, lk.ink);
    y += lh(l);
    int row_w = box + space + ladv(st);
    int x = in.x + (in.w - row_w) / 2;
    SDL_Rect b = {x, y + (row_h - box) / 2, box, box};
    int edge = box / 10 > 2 ? box / 10 : 2;
    kit_draw_panel(ctx->renderer, b, box / 6, t->paper, lk.ink, edge);
    if (style == KIT_BUTTON_SWITCH_ON)
        kit_draw_mark(ctx->renderer, KIT_MARK_CHECK, b, t->on, t->paper);
    put(ctx, st, x + box + space, y + (row_h - lh(st)) / 2, lk.ink);
}

void kit_button(screen_ctx *ctx, kit_ui *ui, int id, SDL_Rect rect, const char *label,
                model_lang lang, kit_button_style style, SDL_Texture *icon)
{
    kit_metrics m = kit_metrics_get(ctx);
    button(ctx, ui, id, rect, label, lang, style, icon, -1,
           style == KIT_BUTTON_TILE ? m.title_px : m.text_px);
}

/* ---- the header ---- */

static const char *const wday_zh[7] = {"星期日", "星期一", "星期二", "星期三",
                                       "星期四", "星期五", "星期六"};
static const char *const wday_ko[7] = {"일", "월", "화", "수", "목", "금", "토"};

/* Today's date and time as a resident of lang writes it. */
static void when_text(const screen_ctx *ctx, model_lang lang, char *buf, size_t cap)
{
    buf[0] = '\0';
    struct tm tm;
    const char *tz = ctx->tz ? ctx->tz : ctx->pack ? ctx->pack->timezone : NULL;
    if (!ctx->clock || clock_local(ctx->clock, tz, &tm) != 0)
        return;
    int wd = tm.tm_wday >= 0 && tm.tm_wday < 7 ? tm.tm_wday : 0;
    switch (lang) {
    case MODEL_LANG_EN:
        clock_format_en(&tm, buf, cap);
        break;
    case MODEL_LANG_ZH:
        snprintf(buf, cap, "%d年%d月%d日 %s %d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 wday_zh[wd], tm.tm_hour, tm.tm_min);
        break;
    case MODEL_LANG_KO:
        snprintf(buf, cap, "%d년 %d월 %d일 (%s) %d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, wday_ko[wd], tm.tm_hour, tm.tm_min);
        break;
    default:
        clock_format_ja(&tm, buf, cap);
        break;
    }
}

static void draw_header(screen_ctx *ctx, const kit_metrics *m, const char *title,
                        model_lang title_lang)
{
    const kit_theme *t = kit_theme_get();
    ui_draw_fill_rect(ctx->renderer, (SDL_Rect){0, 0, ctx->width, m->header_h}, t->band);
    int pad = m->gap, inner = ctx->width - 2 * pad, line_h = (m->header_h - m->gap) / 2;
    model_lang lang = cur_lang(ctx);
    const char *name = NULL;
    model_lang name_lang = lang;
    if (ctx->pack && !model_text_empty(&ctx->pack->facility.name)) {
        name = model_text_get(&ctx->pack->facility.name, lang);
        name_lang = model_text_lang(&ctx->pack->facility.name, lang);
    }
    char when[96];
    when_text(ctx, lang, when, sizeof when);
    /* The right column gets what it needs, up to 45% of the band. */
    text_style probe =
        kit_style(ctx, name_lang, m->small_px, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_RIGHT, 0);
    int want = name ? ladv(kit_layout(ctx, name, &probe, inner)) : 0;
    probe = kit_style(ctx, lang, m->small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_RIGHT, 0);
    int want_when = ladv(kit_layout(ctx, when, &probe, inner));
    int right_w = want > want_when ? want : want_when;
    right_w = right_w < inner * 45 / 100 ? right_w : inner * 45 / 100;
    int min_px = m->small_px * 3 / 4;
    const text_layout *nl = name ? kit_fit(ctx, name, name_lang, m->small_px, TEXT_WEIGHT_REGULAR,
                                           TEXT_ALIGN_RIGHT, right_w, line_h, min_px)
                                 : NULL;
    const text_layout *wl = kit_fit(ctx, when, lang, m->small_px, TEXT_WEIGHT_BOLD,
                                    TEXT_ALIGN_RIGHT, right_w, line_h, min_px);
    int right_h = lh(nl) + lh(wl);
    int ry = (m->header_h - right_h) / 2;
    put(ctx, nl, pad + inner - right_w, ry, t->band_ink);
    put(ctx, wl, pad + inner - right_w, ry + lh(nl), t->band_ink);
    int title_w = inner - right_w - m->gap;
    const text_layout *tl =
        kit_fit(ctx, title ? title : "", title_lang, m->title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT,
                title_w, m->header_h - m->gap / 2, m->small_px);
    put(ctx, tl, pad, (m->header_h - lh(tl)) / 2, t->band_ink);
}

/* ---- the bar ---- */

/* The language button: a globe and the word "language" in four scripts,
 * each in its own font, two to a line. */
static void lang_button(screen_ctx *ctx, kit_ui *ui, SDL_Rect rect, const kit_metrics *m)
{
    look lk = look_of(ctx, ui, KIT_ID_LANG, KIT_BUTTON);
    kit_draw_panel(ctx->renderer, rect, m->radius, lk.bg, lk.edge, lk.edge_px);
    kit_ui_hit(ui, rect, KIT_ID_LANG);
    int pad = m->gap / 2, globe = (int)lround(m->small_px * 1.4);
    int avail = rect.w - 2 * pad - globe - m->gap / 3;
    int space = m->small_px / 2;
    const text_layout *l[N_LANG_WORDS] = {0};
    int row_w[2] = {0, 0}, row_h[2] = {0, 0};
    for (int px = m->small_px;; px = px * 9 / 10) {
        for (size_t i = 0; i < N_LANG_WORDS; i++) {
            text_style st =
                kit_style(ctx, lang_words[i].lang, px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 0);
            st.line_height = 1.3f;
            l[i] = kit_layout(ctx, lang_words[i].text, &st, rect.w);
        }
        for (int r = 0; r < 2; r++) {
            row_w[r] = ladv(l[2 * r]) + space + ladv(l[2 * r + 1]);
            row_h[r] = lh(l[2 * r]) > lh(l[2 * r + 1]) ? lh(l[2 * r]) : lh(l[2 * r + 1]);
        }
        int w = row_w[0] > row_w[1] ? row_w[0] : row_w[1];
        if ((w <= avail && row_h[0] + row_h[1] <= rect.h - pad) || px <= m->small_px / 2)
            break;
    }
    int text_w = row_w[0] > row_w[1] ? row_w[0] : row_w[1];
    int x = rect.x + (rect.w - globe - m->gap / 3 - text_w) / 2;
    x = x > rect.x + pad ? x : rect.x + pad;
    kit_draw_mark(ctx->renderer, KIT_MARK_GLOBE,
                  (SDL_Rect){x, rect.y + (rect.h - globe) / 2, globe, globe}, lk.ink, lk.bg);
    x += globe + m->gap / 3;
    int y = rect.y + (rect.h - row_h[0] - row_h[1]) / 2;
    for (int r = 0; r < 2; r++) {
        put(ctx, l[2 * r], x, y, lk.ink);
        put(ctx, l[2 * r + 1], x + ladv(l[2 * r]) + space, y, lk.ink);
        y += row_h[r];
    }
}

/* One size for every label in the bar (a row of buttons in mixed sizes
 * looks broken): the largest, up to px, at which each fits on one line
 * beside its mark in a button bw wide. */
static int bar_label_px(screen_ctx *ctx, const kit_metrics *m, int bw, int px)
{
    static const char *const keys[] = {"chrome.back", "chrome.home", "chrome.furigana",
                                       "chrome.large_text"};
    int edge = m->gap / 6 > 2 ? m->gap / 6 : 2;
    int pad = m->gap / 2 > edge * 2 ? m->gap / 2 : edge * 2;
    int floor_px = m->small_px * 3 / 4;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        /* Back and home have a mark beside the label; switches span the button. */
        int w = bw - 2 * pad - (i < 2 ? (int)lround(m->small_px * 1.25) + m->gap / 3 : 0);
        for (; px > floor_px; px = px * 92 / 100) {
            text_style st =
                kit_style(ctx, str_lang(ctx, keys[i]), px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 0);
            const text_layout *l = kit_layout(ctx, kit_str(ctx, keys[i]), &st, w);
            if (!l || text_layout_line_count(l) <= 1)
                break;
        }
    }
    return px > floor_px ? px : floor_px;
}

static void draw_bar(screen_ctx *ctx, kit_ui *ui, const kit_metrics *m, unsigned flags)
{
    const kit_theme *t = kit_theme_get();
    int y0 = ctx->height - m->bar_h;
    ui_draw_fill_rect(ctx->renderer, (SDL_Rect){0, y0, ctx->width, m->bar_h}, t->band);
    int n_left = ((flags & KIT_CHROME_BACK) ? 1 : 0) + ((flags & KIT_CHROME_HOME) ? 1 : 0);
    int n = n_left + 3;
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    /* The language button is the widest: it carries four scripts. */
    double weights = (double)(n - 1) + 1.4;
    int split = n_left ? m->gap : 0; /* room between the two groups */
    int avail = ctx->width - 2 * m->gap - (n - 1) * m->gap - split;
    int bw = (int)(avail / weights), cap = u * 26 / 100;
    bw = bw < cap ? bw : cap;
    int lw = (int)(bw * 1.4);
    int bh = m->bar_h - m->gap, by = y0 + m->gap / 2;
    int label_px = bar_label_px(ctx, m, bw, (m->small_px + m->text_px) / 2);
    model_lang lang = cur_lang(ctx);
    int x = m->gap;
    if (flags & KIT_CHROME_BACK) {
        button(ctx, ui, KIT_ID_BACK, (SDL_Rect){x, by, bw, bh}, kit_str(ctx, "chrome.back"),
               str_lang(ctx, "chrome.back"), KIT_BUTTON, NULL, KIT_MARK_BACK, label_px);
        x += bw + m->gap;
    }
    if (flags & KIT_CHROME_HOME)
        button(ctx, ui, KIT_ID_HOME, (SDL_Rect){x, by, bw, bh}, kit_str(ctx, "chrome.home"),
               str_lang(ctx, "chrome.home"), KIT_BUTTON, NULL, KIT_MARK_HOME, label_px);
    /* Right group, from the right edge. */
    x = ctx->width - m->gap - bw;
    bool large = ctx->session && ctx->session->large_text;
    button(ctx, ui, KIT_ID_LARGE, (SDL_Rect){x, by, bw, bh}, kit_str(ctx, "chrome.large_text"),
           str_lang(ctx, "chrome.large_text"), large ? KIT_BUTTON_SWITCH_ON : KIT_BUTTON_SWITCH_OFF,
           NULL, -1, label_px);
    x -= bw + m->gap;
    /* Easy Japanese always shows readings: its switch shows on and rests. */
    bool easy = lang == MODEL_LANG_JA_EASY;
    bool furi = easy || (ctx->session && ctx->session->furigana);
    button(ctx, ui, easy ? KIT_NONE : KIT_ID_FURIGANA, (SDL_Rect){x, by, bw, bh},
           kit_str(ctx, "chrome.furigana"), str_lang(ctx, "chrome.furigana"),
           furi ? KIT_BUTTON_SWITCH_ON : KIT_BUTTON_SWITCH_OFF, NULL, -1, label_px);
    x -= lw + m->gap;
    lang_button(ctx, ui, (SDL_Rect){x, by, lw, bh}, m);
}

/* ---- the language picker ---- */

static void draw_picker(screen_ctx *ctx, kit_ui *ui, bool dim)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    SDL_Renderer *r = ctx->renderer;
    if (dim) {
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(r, 0, 0, 0, 150);
        SDL_RenderFillRect(r, NULL);
    }
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    int pw = u * 80 / 100, pad = m.gap * 3 / 2;
    int bh = m.target > (int)(m.text_px * 2.2) ? m.target : (int)(m.text_px * 2.2);
    int inner = pw - 2 * pad;
    /* The title says "language" in four scripts, like the bar's button. */
    int head_px = m.text_px;
    const text_layout *hl[N_LANG_WORDS];
    int head_w = 0, head_h = 0, space = m.text_px * 3 / 4;
    for (size_t i = 0; i < N_LANG_WORDS; i++) {
        text_style st =
            kit_style(ctx, lang_words[i].lang, head_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 0);
        hl[i] = kit_layout(ctx, lang_words[i].text, &st, inner);
        head_w += ladv(hl[i]) + (i ? space : 0);
        head_h = lh(hl[i]) > head_h ? lh(hl[i]) : head_h;
    }
    int n = MODEL_LANG_COUNT;
    int ph = pad + head_h + m.gap + n * (bh + m.gap) + bh + pad;
    int max_h = ctx->height - 2 * m.gap;
    if (ph > max_h) { /* a short screen: the buttons give way, down to a target */
        int fit = (max_h - 2 * pad - head_h - m.gap - n * m.gap) / (n + 1);
        bh = fit > m.target ? fit : m.target;
        ph = pad + head_h + m.gap + n * (bh + m.gap) + bh + pad;
    }
    SDL_Rect panel = {(ctx->width - pw) / 2, (ctx->height - ph) / 2, pw, ph};
    kit_draw_panel(r, panel, m.radius * 2, t->paper, t->band, m.gap / 6 > 2 ? m.gap / 6 : 2);
    kit_ui_hit(ui, panel, KIT_NONE); /* taps between the buttons do nothing */
    int x = panel.x + pad, y = panel.y + pad;
    int hx = x + (inner - head_w) / 2;
    hx = hx > x ? hx : x;
    for (size_t i = 0; i < N_LANG_WORDS; i++) {
        put(ctx, hl[i], hx, y + (head_h - lh(hl[i])) / 2, t->band);
        hx += ladv(hl[i]) + space;
    }
    y += head_h + m.gap;
    model_lang cur = cur_lang(ctx);
    static const model_lang order[] = {MODEL_LANG_JA, MODEL_LANG_JA_EASY, MODEL_LANG_EN,
                                       MODEL_LANG_ZH, MODEL_LANG_KO};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        model_lang l = order[i];
        button(ctx, ui, KIT_ID_LANG_PICK + (int)l, (SDL_Rect){x, y, inner, bh}, lang_self[l], l,
               l == cur ? STYLE_CHOSEN : KIT_BUTTON, NULL, -1, (int)lround(m.text_px * 1.15));
        y += bh + m.gap;
    }
    int cw = inner / 2;
    button(ctx, ui, KIT_ID_PICKER_CLOSE, (SDL_Rect){x + (inner - cw) / 2, y, cw, bh},
           kit_str(ctx, "chrome.close"), str_lang(ctx, "chrome.close"), KIT_BUTTON, NULL,
           KIT_MARK_CROSS, m.text_px);
}

/* ---- the chrome ---- */

SDL_Rect kit_chrome_content(const screen_ctx *ctx)
{
    kit_metrics m = kit_metrics_get(ctx);
    int bottom = ctx->touch ? m.bar_h : 0;
    int h = ctx->height - m.header_h - bottom;
    return (SDL_Rect){0, m.header_h, ctx->width, h > 0 ? h : 0};
}

SDL_Rect kit_chrome(screen_ctx *ctx, kit_ui *ui, const char *title, model_lang title_lang,
                    unsigned flags)
{
    kit_metrics m = kit_metrics_get(ctx);
    draw_header(ctx, &m, title, title_lang);
    if (ctx->touch)
        draw_bar(ctx, ui, &m, flags);
    else
        ui->picker_open = false;
    if (ui->picker_open) {
        /* The picker is modal and drawn now, so the rest of this frame's
         * drawing is clipped away: a screen that draws its content after
         * the chrome cannot cover it (kit_chrome_overlay, or the router's
         * next draw, lifts the clip). */
        ui_draw_fill_rect(ctx->renderer, kit_chrome_content(ctx), kit_theme_get()->paper);
        draw_picker(ctx, ui, true);
        SDL_Rect none = {0, 0, 0, 0};
        SDL_RenderSetClipRect(ctx->renderer, &none);
    }
    return kit_chrome_content(ctx);
}

void kit_chrome_overlay(screen_ctx *ctx, kit_ui *ui)
{
    if (!ui->picker_open)
        return;
    SDL_RenderSetClipRect(ctx->renderer, NULL);
    /* The same panel over the same pixels: drawn again so nothing a screen
     * drew after kit_chrome (past the clip) stays on top of it. */
    draw_picker(ctx, ui, false);
}

bool kit_chrome_handle(screen_ctx *ctx, kit_ui *ui, int id)
{
    screen_session *s = ctx->session;
    switch (id) {
    case KIT_ID_HOME:
        screen_go(ctx, &home_screen_ops);
        return true;
    case KIT_ID_LANG:
        ui->picker_open = true;
        break;
    case KIT_ID_PICKER_CLOSE:
        ui->picker_open = false;
        break;
    case KIT_ID_FURIGANA:
        if (!s)
            return false;
        s->furigana = !s->furigana;
        screen_count(ctx, "chrome", s->furigana ? "furigana-on" : "furigana-off");
        break;
    case KIT_ID_LARGE:
        if (!s)
            return false;
        s->large_text = !s->large_text;
        screen_count(ctx, "chrome", s->large_text ? "large-on" : "large-off");
        break;
    default:
        if (id >= KIT_ID_LANG_PICK && id <= KIT_ID_LANG_PICK_LAST) {
            model_lang l = (model_lang)(id - KIT_ID_LANG_PICK);
            screen_set_lang(ctx, l);
            ui->picker_open = false;
            char page[STORE_USAGE_NAME_MAX];
            snprintf(page, sizeof page, "lang-%s", model_lang_code(l));
            screen_count(ctx, "chrome", page);
            break;
        }
        return false;
    }
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
    return true;
}
