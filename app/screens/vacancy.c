/* vacancy: the facility vacancy board (施設の空き状況). Rooms and courts
 * down, time along (vacancy_grid.c draws the grid), for the day the
 * resident picked on the tabs (今日, 明日, 11/26(木) ...; days counted in
 * the pack's zone), with a legend, the feed's time stamp, and a QR code to
 * the selected room's reservation page (tap a row to choose; at first the
 * first room that has one). Rows that do not fit scroll on a touch kiosk
 * and turn as pages in the signage loop. A day the feed does not cover
 * says 情報がありません, never an empty grid.
 * The QR code is made once per URL and size, never per frame. Keeps the
 * selected room by id, never a pointer into a snapshot. */
#include "app/screens/boards_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

#define MINUTE_MS 60000
#define N_DAYS    8 /* today and the next 7 days: the tabs */

struct boards_vacancy {
    bool signage;
    char selected[FEEDS_MAX_ID + 1]; /* the room tapped ("" : the default) */
    kit_scroll scroll;
    int scroll_day; /* the day the scroll belongs to */
    int page, n_pages;
    int64_t page_since;
    int32_t today; /* the civil day last drawn as today */
    /* The QR code shown, made for this URL at this size. */
    SDL_Texture *qr;
    char qr_url[FEEDS_MAX_STRING + 1];
    int qr_max, qr_side;
    bool qr_failed;
    /* The snapshot last looked at, for identity only: never read through. */
    const feeds_vacancy *snap;
    uint64_t serial;
};

boards_vacancy *boards_vacancy_create(bool in_signage)
{
    boards_vacancy *b = calloc(1, sizeof *b);
    if (!b) {
        LOG_ERROR("vacancy", "out of memory");
        return NULL;
    }
    b->signage = in_signage;
    b->today = INT32_MIN;
    return b;
}

void boards_vacancy_destroy(boards_vacancy *b)
{
    if (!b)
        return;
    if (b->qr)
        SDL_DestroyTexture(b->qr);
    free(b);
}

/* ---- days ---- */

/* Today's civil day number in the pack's zone (or the kiosk's). */
static int32_t today_of(const screen_ctx *ctx)
{
    struct tm tm;
    int rc = ctx->pack && ctx->pack->zone && ctx->clock
                 ? tz_zone_local(ctx->pack->zone, clock_now(ctx->clock).sec, &tm)
             : ctx->clock ? clock_local(ctx->clock, ctx->tz, &tm)
                          : -1;
    if (rc != 0)
        return 0;
    return (int32_t)tz_days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int day_index(const boards_vacancy *b, const screen_ctx *ctx)
{
    if (b->signage || !ctx->session)
        return 0;
    int d = ctx->session->vacancy_day;
    return d < 0 ? 0 : d >= N_DAYS ? N_DAYS - 1 : d;
}

/* "11/26" and "(木)" for a day, in the resident's language. */
static model_lang date_words(const screen_ctx *ctx, int32_t day, char *md, size_t md_cap, char *wd,
                             size_t wd_cap)
{
    int64_t y;
    int m, d;
    tz_civil_from_days(day, &y, &m, &d);
    char ms[8], ds[8], key[32], name[64];
    snprintf(ms, sizeof ms, "%d", m);
    snprintf(ds, sizeof ds, "%d", d);
    const char *args[] = {ms, ds};
    model_lang lang = boards_str(ctx, "vacancy.date", args, 2, md, md_cap);
    snprintf(key, sizeof key, "vacancy.wd%d", tz_weekday(day));
    boards_str(ctx, key, NULL, 0, name, sizeof name);
    const char *warg[] = {name};
    boards_str(ctx, "vacancy.weekday", warg, 1, wd, wd_cap);
    return lang;
}

/* ---- the snapshot ---- */

static int find_facility(const feeds_vacancy *v, const char *id)
{
    for (size_t i = 0; id[0] && i < v->n_facilities; i++)
        if (strcmp(v->facilities[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int first_with_url(const feeds_vacancy *v, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < v->n_facilities; i++)
        if (v->facilities[i].reserve_url)
            return (int)i;
    return -1;
}

int boards_vacancy_selected(const boards_vacancy *b, const screen_ctx *ctx)
{
    const feeds_vacancy *v = ctx->feeds ? ctx->feeds->vacancy : NULL;
    if (!v)
        return -1;
    int i = find_facility(v, b->selected);
    return i >= 0 ? i : first_with_url(v, 0, v->n_facilities);
}

int boards_vacancy_page(const boards_vacancy *b, int *n_pages)
{
    if (n_pages)
        *n_pages = b->n_pages;
    return b->page;
}

void boards_vacancy_update(boards_vacancy *b, screen_ctx *ctx)
{
    const feeds_vacancy *v = ctx->feeds ? ctx->feeds->vacancy : NULL;
    uint64_t serial = ctx->feeds ? ctx->feeds->serial : 0;
    if ((v != b->snap || serial != b->serial) && ctx->frame)
        ui_frame_invalidate(ctx->frame);
    b->snap = v;
    b->serial = serial;
    if (today_of(ctx) != b->today && b->today != INT32_MIN && ctx->frame)
        ui_frame_invalidate(ctx->frame); /* midnight: the tabs and "today" move on */
    if (ctx->frame && ctx->clock && !clock_is_frozen(ctx->clock)) {
        clock_time t = clock_now(ctx->clock);
        ui_frame_wake_in(ctx->frame, (uint32_t)(MINUTE_MS - (t.sec % 60) * 1000 - t.ms));
    }
    if (b->signage)
        boards_page_tick(ctx, &b->page, b->n_pages, &b->page_since);
    if (v)
        boards_wake_when_stale(ctx, v->updated, ctx->feeds->vacancy_stale_s);
}

bool boards_vacancy_handle(boards_vacancy *b, screen_ctx *ctx, int id)
{
    const feeds_vacancy *v = ctx->feeds ? ctx->feeds->vacancy : NULL;
    if (id >= BOARDS_ID_DAY && id < BOARDS_ID_DAY + N_DAYS) {
        if (ctx->session)
            ctx->session->vacancy_day = id - BOARDS_ID_DAY;
        b->scroll.offset = 0;
        b->scroll.velocity = 0.0f;
    } else if (id >= BOARDS_ID_ROW && v && (size_t)(id - BOARDS_ID_ROW) < v->n_facilities) {
        snprintf(b->selected, sizeof b->selected, "%s", v->facilities[id - BOARDS_ID_ROW].id);
    } else {
        return false;
    }
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
    return true;
}

/* ---- parts ---- */

/* The smaller of px and the size l was laid out at. */
static int min_px_of(const text_layout *l, int px)
{
    size_t n = 0;
    const text_glyph *g = l ? text_layout_glyphs(l, &n) : NULL;
    int most = 0; /* the base text's size: the largest glyph (readings are smaller) */
    for (size_t i = 0; i < n; i++)
        most = g[i].size_px > most ? g[i].size_px : most;
    return most > 0 && most < px ? most : px;
}

/* The day tabs across the top of area, as tall as their words need (at
 * least a touch target). Returns the height they take. */
static int draw_tabs(screen_ctx *ctx, kit_ui *ui, SDL_Rect area, int32_t today, int shown)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    int gap = m.gap / 3, w = (area.w - (N_DAYS - 1) * gap) / N_DAYS, inner = w - m.gap / 2;
    int mark = m.gap / 2; /* the selected tab's pointer into the grid */
    const text_layout *top_l[N_DAYS], *bottom_l[N_DAYS];
    char dates[N_DAYS][2][128];
    model_lang date_lang[N_DAYS] = {MODEL_LANG_JA};
    int date_px[2] = {m.text_px, m.small_px};
    int h = m.target;
    for (int i = 0; i < N_DAYS; i++) {
        char md[64], wd[64], top[64], bottom[128];
        model_lang lang = date_words(ctx, today + i, md, sizeof md, wd, sizeof wd);
        if (i < 2) {
            lang = boards_str(ctx, i == 0 ? "vacancy.today" : "vacancy.tomorrow", NULL, 0, top,
                              sizeof top);
            snprintf(bottom, sizeof bottom, "%s%s", md, wd);
        } else {
            snprintf(top, sizeof top, "%s", md);
            snprintf(bottom, sizeof bottom, "%s", wd);
        }
        /* Each on one line, smaller on narrow tabs: "Tomorro|w" is no word. */
        top_l[i] = boards_fit_lines(ctx, top, lang, m.text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER,
                                    inner, 1, m.small_px * 3 / 5);
        bottom_l[i] =
            boards_fit_lines(ctx, bottom, boards_lang(ctx), m.small_px, TEXT_WEIGHT_REGULAR,
                             TEXT_ALIGN_CENTER, inner, 1, m.small_px * 3 / 5);
        /* The dated tabs share one size (the narrowest fit), so that a
         * short "12/1" does not stand out from "11/30". */
        if (i >= 2) {
            date_px[0] = min_px_of(top_l[i], date_px[0]);
            date_px[1] = min_px_of(bottom_l[i], date_px[1]);
            snprintf(dates[i][0], sizeof dates[i][0], "%s", top);
            snprintf(dates[i][1], sizeof dates[i][1], "%s", bottom);
            date_lang[i] = lang;
        }
    }
    for (int i = 2; i < N_DAYS; i++) {
        top_l[i] = boards_lay(ctx, dates[i][0], date_lang[i], date_px[0], TEXT_WEIGHT_BOLD,
                              TEXT_ALIGN_CENTER, inner, 0);
        bottom_l[i] = boards_lay(ctx, dates[i][1], boards_lang(ctx), date_px[1],
                                 TEXT_WEIGHT_REGULAR, TEXT_ALIGN_CENTER, inner, 0);
    }
    for (int i = 0; i < N_DAYS; i++) {
        int need = boards_h(top_l[i]) + boards_h(bottom_l[i]) + m.gap / 2;
        h = need > h ? need : h;
    }
    for (int i = 0; i < N_DAYS; i++) {
        SDL_Rect r = {area.x + i * (w + gap), area.y, w, h};
        int id = BOARDS_ID_DAY + i;
        bool on = i == shown, pressed = ui && kit_ui_pressed(ui, id);
        SDL_Color bg = pressed ? t->pressed : on ? t->on : t->tile;
        SDL_Color ink = pressed ? t->pressed_ink : on ? t->on_ink : t->tile_ink;
        kit_draw_panel(ctx->renderer, r, m.radius, bg, pressed ? t->ink : t->tile_edge, on ? 0 : 2);
        if (on)
            kit_draw_triangle(
                ctx->renderer, (SDL_FPoint){(float)(r.x + r.w / 2 - mark), (float)(r.y + r.h)},
                (SDL_FPoint){(float)(r.x + r.w / 2 + mark), (float)(r.y + r.h)},
                (SDL_FPoint){(float)(r.x + r.w / 2), (float)(r.y + r.h + mark)}, t->on);
        if (ui)
            kit_ui_hit(ui, r, id);
        int th = boards_h(top_l[i]) + boards_h(bottom_l[i]), y = r.y + (r.h - th) / 2;
        boards_put(ctx, top_l[i], r.x + (r.w - inner) / 2, y, ink);
        boards_put(ctx, bottom_l[i], r.x + (r.w - inner) / 2, y + boards_h(top_l[i]), ink);
    }
    return h + mark;
}

/* The QR code for url at most max px, made when either changed. */
static SDL_Texture *qr_for(boards_vacancy *b, screen_ctx *ctx, const char *url, int max)
{
    if (b->qr_max == max && strcmp(b->qr_url, url) == 0)
        return b->qr;
    if (b->qr)
        SDL_DestroyTexture(b->qr);
    b->qr = kit_qr_texture(ctx->renderer, url, max, &b->qr_side);
    snprintf(b->qr_url, sizeof b->qr_url, "%s", url);
    b->qr_max = max;
    return b->qr;
}

/* The selected room's QR code with its name and what to do with it, in
 * panel: the code on top and the words under it (a column beside the
 * grid; the code gives up some size for the words), or the code on the
 * left and the words beside it (a strip under the grid). A line that would
 * not fit the panel is left out, never drawn outside it. */
static void draw_qr_panel(boards_vacancy *b, screen_ctx *ctx, const feeds_facility *f,
                          SDL_Rect panel, bool strip, int qr_side)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    ui_draw_rounded_rect(ctx->renderer, panel, m.radius, t->tile);
    int pad = m.gap / 2, u = ctx->width < ctx->height ? ctx->width : ctx->height;
    int side = strip ? panel.h - 2 * pad : panel.w - 2 * pad;
    side = side < qr_side ? side : qr_side;
    int text_w = strip ? panel.w - 3 * pad - side : panel.w - 2 * pad;
    model_lang lang = boards_lang(ctx);
    const text_layout *lines[3] = {
        boards_fit_lines(ctx, model_text_get(&f->name, lang), model_text_lang(&f->name, lang),
                         m.text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, text_w, 2, m.small_px),
        f->reserve_url ? boards_lay_ui(ctx, "vacancy.scan", NULL, 0, m.small_px,
                                       TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, text_w)
                       : NULL,
        b->signage ? NULL
                   : boards_lay_ui(ctx, "vacancy.tap_hint", NULL, 0, m.small_px,
                                   TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, text_w),
    };
    if (!strip) {
        /* The hint goes first if the code would get small for it. */
        int least = (int)lround(u * 0.1); /* 108 px on 1080p: 45 mm at 2.3 px/mm */
        int words = boards_h(lines[0]) + boards_h(lines[1]) + boards_h(lines[2]) + m.gap / 3;
        if (lines[2] && panel.h - 3 * pad - words < (int)lround(u * 0.2)) {
            words -= boards_h(lines[2]) + m.gap / 3;
            lines[2] = NULL;
        }
        int room = panel.h - 3 * pad - words;
        side = room < side ? (room > least ? room : least) : side;
    }
    SDL_Rect code = {strip ? panel.x + pad : panel.x + (panel.w - side) / 2, panel.y + pad, side,
                     side};
    int text_x = strip ? code.x + side + pad : panel.x + pad;
    int y = strip ? panel.y + pad : code.y + side + pad, bottom = panel.y + panel.h - pad;
    SDL_Texture *qr = f->reserve_url ? qr_for(b, ctx, f->reserve_url, side) : NULL;
    if (qr) {
        int s = b->qr_side;
        SDL_Rect dst = {code.x + (side - s) / 2, code.y + (side - s) / 2, s, s};
        SDL_RenderCopy(ctx->renderer, qr, NULL, &dst);
    } else {
        /* No code: say why where it would be. */
        const text_layout *l = boards_lay_ui(ctx, "vacancy.no_url", NULL, 0, m.small_px,
                                             TEXT_WEIGHT_REGULAR, TEXT_ALIGN_CENTER, side - pad);
        ui_draw_rounded_rect(ctx->renderer, code, m.radius, t->paper);
        boards_put(ctx, l, code.x + pad / 2, code.y + (side - boards_h(l)) / 2, t->muted);
        lines[1] = NULL;
    }
    SDL_Color ink[3] = {t->tile_ink, t->tile_ink, t->muted};
    for (int i = 0; i < 3; i++) {
        int space = i == 2 ? m.gap / 3 : 0;
        if (!lines[i])
            continue;
        if (y + space + boards_h(lines[i]) > bottom)
            break; /* the rest matters less than what is drawn */
        boards_put(ctx, lines[i], text_x, y + space, ink[i]);
        y += space + boards_h(lines[i]);
    }
}

/* A small triangle in a disc pointing up or down. */
static void more_mark(screen_ctx *ctx, int cx, int cy, int r, bool up)
{
    const kit_theme *t = kit_theme_get();
    kit_draw_disc(ctx->renderer, (float)cx, (float)cy, (float)r, t->on);
    float d = up ? -1.0f : 1.0f, s = (float)r * 0.5f;
    kit_draw_triangle(ctx->renderer, (SDL_FPoint){(float)cx - s, (float)cy - d * s * 0.5f},
                      (SDL_FPoint){(float)cx + s, (float)cy - d * s * 0.5f},
                      (SDL_FPoint){(float)cx, (float)cy + d * s * 0.7f}, t->on_ink);
}

/* Under the rows when they scroll: arrows for the ways that have more,
 * and the words. */
static void draw_more_note(screen_ctx *ctx, SDL_Rect row, bool below, bool above)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    const text_layout *l =
        boards_lay_ui(ctx, below ? "vacancy.more_below" : "vacancy.more_above", NULL, 0, m.small_px,
                      TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, row.w);
    int r = m.small_px * 7 / 10, w = 2 * r + m.gap / 3 + boards_w(l);
    int x = row.x + (row.w - w) / 2, cy = row.y + row.h / 2;
    more_mark(ctx, x + r, cy, r, !below && above);
    boards_put(ctx, l, x + 2 * r + m.gap / 3, cy - boards_h(l) / 2, t->ink);
}

/* Signage: how many rows a page holds in rows_h px; *pager (if not NULL)
 * gets the height of the page dots' row when n rows need pages, else 0. */
static int rows_per_page(const screen_ctx *ctx, const vacancy_layout *g, int rows_h, int n,
                         int *pager)
{
    kit_metrics m = kit_metrics_get(ctx);
    int pitch = g->row_h + g->gap, per = (rows_h + g->gap) / pitch, row = 0;
    if (per < n) {
        row = (int)lround(m.small_px * 1.6);
        per = (rows_h - row - m.gap / 2 + g->gap) / pitch;
    }
    if (pager)
        *pager = row;
    return per > 0 ? per : 1;
}

/* The rows: all of them scrolling (touch), or the page's (signage). */
static void draw_rows(boards_vacancy *b, screen_ctx *ctx, kit_ui *ui, const feeds_vacancy *v,
                      const vacancy_layout *g, int32_t day, int selected, SDL_Rect rows)
{
    kit_metrics m = kit_metrics_get(ctx);
    int pitch = g->row_h + g->gap, n = (int)v->n_facilities;
    if (b->signage) {
        int pager = 0;
        int per = rows_per_page(ctx, g, rows.h, n, &pager);
        if (pager) {
            b->n_pages = (n + per - 1) / per;
            if (b->page_since == 0)
                b->page_since = ctx->now_ms; /* the page's time runs from its first sight */
            b->page = b->page < b->n_pages ? b->page : 0;
            boards_pager(ctx, "vacancy.page",
                         (SDL_Rect){rows.x, rows.y + rows.h - pager, rows.w, pager}, b->page,
                         b->n_pages, false);
        } else {
            b->n_pages = 1;
            b->page = 0;
        }
        for (int i = b->page * per, k = 0; i < n && k < per; i++, k++)
            vacancy_grid_row(ctx, g, &v->facilities[i], day, i == selected,
                             (SDL_Rect){rows.x, rows.y + k * pitch, rows.w, g->row_h});
        return;
    }
    kit_scroll *sc = &b->scroll;
    sc->content_h = n * pitch - g->gap;
    /* The view holds whole rows at rest (a row cut in half reads as
     * broken), and says in words that more follow below. */
    int fit = (rows.h + g->gap) / pitch, note = 0;
    if (fit < n) {
        note = (int)lround(m.small_px * 1.8);
        fit = (rows.h - note + g->gap) / pitch;
        fit = fit > 1 ? fit : 1;
    }
    SDL_Rect view = {rows.x, rows.y, rows.w, fit < n ? fit * pitch - g->gap : rows.h};
    sc->view_h = view.h;
    int top = sc->content_h - sc->view_h > 0 ? sc->content_h - sc->view_h : 0;
    sc->offset = sc->offset < 0 ? 0 : sc->offset > top ? top : sc->offset;
    if (ui)
        kit_ui_set_scroll(ui, sc, view);
    SDL_RenderSetClipRect(ctx->renderer, &view);
    for (int i = 0; i < n; i++) {
        int y = i * pitch - sc->offset;
        if (y + g->row_h < 0 || y > view.h)
            continue;
        vacancy_grid_row(ctx, g, &v->facilities[i], day, i == selected,
                         (SDL_Rect){view.x, view.y + y, view.w, g->row_h});
        if (ui)
            kit_ui_hit_scrolled(ui, (SDL_Rect){0, i * pitch, view.w, g->row_h}, BOARDS_ID_ROW + i);
    }
    SDL_RenderSetClipRect(ctx->renderer, NULL);
    if (note)
        draw_more_note(ctx, (SDL_Rect){view.x, view.y + view.h + g->gap, view.w, note},
                       sc->offset<top, sc->offset> 0);
}

/* ---- the board ---- */

void boards_vacancy_draw(boards_vacancy *b, screen_ctx *ctx, kit_ui *ui, SDL_Rect area)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    ui_draw_fill_rect(ctx->renderer, area, t->paper);
    SDL_Rect in = {area.x + m.gap, area.y + m.gap / 2, area.w - 2 * m.gap, area.h - m.gap};
    int32_t today = today_of(ctx);
    b->today = today;
    int shown = day_index(b, ctx);
    int32_t day = today + shown;
    if (b->signage) {
        /* The title, and which day it is on the right of the same line. */
        char md[64], wd[64], word[64], line[256];
        date_words(ctx, day, md, sizeof md, wd, sizeof wd);
        model_lang lang = boards_str(ctx, "vacancy.today", NULL, 0, word, sizeof word);
        snprintf(line, sizeof line, "%s　%s%s", word, md, wd);
        int h = boards_heading(ctx, in, "vacancy.title");
        const text_layout *l =
            boards_lay(ctx, line, lang, m.text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_RIGHT, in.w, 0);
        boards_put(ctx, l, in.x, in.y + (h - boards_h(l)) / 2, t->ink);
        in.y += h + m.gap / 2;
        in.h -= h + m.gap / 2;
    }
    const feeds_vacancy *v = ctx->feeds ? ctx->feeds->vacancy : NULL;
    if (!v) {
        b->n_pages = 0;
        boards_no_data(ctx, in, "vacancy", ctx->feeds ? &ctx->feeds->vacancy_status : NULL,
                       ctx->pack && ctx->pack->feeds.vacancy);
        return;
    }
    if (!b->signage) {
        int h = draw_tabs(ctx, ui, in, today, shown);
        in.y += h + m.gap / 2;
        in.h -= h + m.gap / 2;
        if (b->scroll_day != shown) {
            b->scroll_day = shown;
            b->scroll.offset = 0;
        }
    }
    /* The stamp on the left, the legend on the right (or under it). */
    int legend_w = vacancy_legend(ctx, in, true);
    bool one_row = in.w - legend_w - m.gap >= in.w * 2 / 5;
    int stamp_w = one_row ? in.w - legend_w - m.gap : in.w;
    int sh = kit_feed_stamp(ctx, (SDL_Rect){in.x, in.y, stamp_w, in.h}, v->updated,
                            &ctx->feeds->vacancy_status, ctx->feeds->vacancy_stale_s);
    int chip_h = (int)lround(m.small_px * 1.9);
    if (one_row) {
        int h = sh > chip_h ? sh : chip_h;
        vacancy_legend(ctx, (SDL_Rect){in.x, in.y, in.w, chip_h}, false);
        in.y += h + m.gap / 2;
        in.h -= h + m.gap / 2;
    } else {
        vacancy_legend(ctx, (SDL_Rect){in.x, in.y + sh + m.gap / 3, in.w, chip_h}, false);
        in.y += sh + m.gap / 3 + chip_h + m.gap / 2;
        in.h -= sh + m.gap / 3 + chip_h + m.gap / 2;
    }

    /* The QR panel: a column right of the grid on wide screens, a strip
     * under it on tall ones. */
    int sel = find_facility(v, b->selected);
    if (b->signage || sel < 0)
        sel = first_with_url(v, 0, v->n_facilities);
    int u = ctx->width < ctx->height ? ctx->width : ctx->height, pad = m.gap / 2;
    int qr_side = (int)lround(u * 0.24);
    bool wide = in.w > in.h * 5 / 4;
    SDL_Rect grid = in, panel = {0, 0, 0, 0};
    if (sel >= 0 && wide) {
        int pw = in.w * 22 / 100;
        pw = pw > qr_side + 2 * pad ? pw : qr_side + 2 * pad;
        panel = (SDL_Rect){in.x + in.w - pw, in.y, pw, in.h};
        grid.w -= pw + m.gap;
    } else if (sel >= 0) {
        int ph = qr_side + 2 * pad;
        panel = (SDL_Rect){in.x, in.y + in.h - ph, in.w, ph};
        grid.h -= ph + m.gap;
    }
    vacancy_layout g;
    if (!vacancy_grid_layout(ctx, v, day, grid.w, &g)) {
        b->n_pages = 0;
        boards_message(ctx, grid, "vacancy.no_info", NULL);
    } else {
        int n = (int)v->n_facilities, pitch = g.row_h + g.gap;
        int need = g.head_h + n * pitch - g.gap;
        if (!wide && sel >= 0 && need < grid.h) {
            /* Few rows: the strip follows them instead of waiting at the bottom. */
            grid.h = need;
            panel.y = grid.y + grid.h + m.gap;
        }
        vacancy_grid_axis(ctx, &g, (SDL_Rect){grid.x, grid.y, grid.w, g.head_h});
        SDL_Rect rows = {grid.x, grid.y + g.head_h, grid.w, grid.h - g.head_h};
        if (b->signage && sel >= 0) {
            /* The code belongs to a room on the page showing. */
            int per = rows_per_page(ctx, &g, rows.h, n, NULL);
            int first = b->page * per;
            int on_page = first_with_url(v, (size_t)first, (size_t)(first + per));
            sel = on_page >= 0 ? on_page : sel;
        }
        draw_rows(b, ctx, ui, v, &g, day, sel, rows);
    }
    if (sel >= 0)
        draw_qr_panel(b, ctx, &v->facilities[sel], panel, !wide, qr_side);
}

/* ---- the touch screen ---- */

typedef struct vacancy_screen {
    kit_ui ui;
    boards_vacancy *board;
} vacancy_screen;

static void *vacancy_enter(screen_ctx *ctx)
{
    (void)ctx;
    vacancy_screen *s = calloc(1, sizeof *s);
    if (!s) {
        LOG_ERROR("vacancy", "out of memory");
        return NULL;
    }
    kit_ui_init(&s->ui);
    s->board = boards_vacancy_create(false);
    if (!s->board) {
        free(s);
        return NULL;
    }
    return s;
}

static void vacancy_leave(void *self, screen_ctx *ctx)
{
    (void)ctx;
    vacancy_screen *s = self;
    if (!s)
        return;
    boards_vacancy_destroy(s->board);
    free(s);
}

static bool vacancy_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    vacancy_screen *s = self;
    int id = kit_ui_event(&s->ui, ctx, ev);
    if (id == KIT_NONE)
        return kit_pointer_from_event(ctx, ev).kind != KIT_POINTER_NONE;
    if (id == KIT_ID_BACK)
        screen_go(ctx, &home_screen_ops);
    else if (!boards_vacancy_handle(s->board, ctx, id))
        kit_chrome_handle(ctx, &s->ui, id);
    return true;
}

static void vacancy_update(void *self, screen_ctx *ctx)
{
    vacancy_screen *s = self;
    kit_ui_update(&s->ui, ctx);
    boards_vacancy_update(s->board, ctx);
}

static void vacancy_draw(void *self, screen_ctx *ctx)
{
    vacancy_screen *s = self;
    ui_draw_clear(ctx->renderer, kit_theme_get()->paper);
    kit_ui_begin(&s->ui);
    boards_vacancy_draw(s->board, ctx, &s->ui, kit_chrome_content(ctx));
    char title[BOARDS_TEXT_MAX];
    model_lang lang = boards_str(ctx, "vacancy.title", NULL, 0, title, sizeof title);
    kit_chrome(ctx, &s->ui, title, lang, KIT_CHROME_HOME);
}

const screen_ops vacancy_screen_ops = {
    .name = "vacancy",
    .enter = vacancy_enter,
    .event = vacancy_event,
    .update = vacancy_update,
    .draw = vacancy_draw,
    .leave = vacancy_leave,
};
