/* vacancy_grid: the rooms x time grid of the vacancy board. Time runs
 * along a shared axis of whole hours (slots of different lengths line up),
 * each slot a cell that tells its state three ways: colour, a mark (○ × －)
 * and a word (空き, 予約済み, 休館), closed cells hatched as well, so the
 * grid reads the same in greyscale and to every kind of colour vision.
 * Narrow screens put each name above its bar instead of beside it. Draws
 * only; the board (vacancy.c) decides which rows, where and when. */
#include "app/screens/boards_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/screens/kit_draw.h"
#include "ui/draw.h"

/* An hour narrower than this share of min(w, h) puts names above bars. */
#define MIN_HOUR_SHARE 0.065

const feeds_day *vacancy_find_day(const feeds_facility *f, int32_t day)
{
    for (size_t i = 0; i < f->n_days; i++)
        if (f->days[i].day == day)
            return &f->days[i];
    return NULL;
}

/* ---- the three states ---- */

typedef struct state_look {
    SDL_Color bg, ink;
    kit_mark mark;
    const char *key;
} state_look;

static state_look look_of(feeds_slot_state s)
{
    const kit_theme *t = kit_theme_get();
    switch (s) {
    case FEEDS_SLOT_FREE:
        return (state_look){t->free_bg, t->free_ink, KIT_MARK_CIRCLE, "vacancy.free"};
    case FEEDS_SLOT_BOOKED:
        return (state_look){t->booked_bg, t->booked_ink, KIT_MARK_CROSS, "vacancy.booked"};
    default:
        return (state_look){t->closed_bg, t->closed_ink, KIT_MARK_DASH, "vacancy.closed"};
    }
}

static int word_px(const kit_metrics *m)
{
    return m->small_px;
}

static int mark_px(const kit_metrics *m)
{
    return (int)lround(m->small_px * 1.2);
}

/* Clipping that respects a clip already set (the scrolled rows). */
typedef struct clip_save {
    bool on;
    SDL_Rect rect;
} clip_save;

static clip_save clip_push(SDL_Renderer *r, SDL_Rect rect)
{
    clip_save s = {SDL_RenderIsClipEnabled(r) == SDL_TRUE, {0, 0, 0, 0}};
    SDL_Rect use = rect;
    if (s.on) {
        SDL_RenderGetClipRect(r, &s.rect);
        if (!SDL_IntersectRect(&s.rect, &rect, &use))
            use = (SDL_Rect){rect.x, rect.y, 0, 0};
    }
    SDL_RenderSetClipRect(r, &use);
    return s;
}

static void clip_pop(SDL_Renderer *r, clip_save s)
{
    SDL_RenderSetClipRect(r, s.on ? &s.rect : NULL);
}

/* Diagonal lines over a closed cell: a texture no colour vision misses. */
static void hatch(SDL_Renderer *r, SDL_Rect cell, SDL_Color c, int step)
{
    clip_save cs = clip_push(r, cell);
    float th = (float)(step / 6 > 2 ? step / 6 : 2);
    for (int x = cell.x - cell.h; x < cell.x + cell.w; x += step)
        kit_draw_line(r, (float)x, (float)(cell.y + cell.h), (float)(x + cell.h), (float)cell.y, th,
                      c);
    clip_pop(r, cs);
}

/* A cell's mark and word: side by side when they fit, the word under the
 * mark when the cell is narrow, the mark alone when even that cannot fit
 * (the legend names it). */
static void draw_cell(screen_ctx *ctx, const kit_metrics *m, feeds_slot_state state, SDL_Rect c)
{
    state_look lk = look_of(state);
    ui_draw_fill_rect(ctx->renderer, c, lk.bg);
    if (state == FEEDS_SLOT_CLOSED)
        hatch(ctx->renderer, c, boards_mix(lk.bg, lk.ink, 0.16f), m->small_px);
    int mk = mark_px(m), pad = m->gap / 4, space = m->gap / 5;
    const text_layout *w = boards_lay_ui(ctx, lk.key, NULL, 0, word_px(m), TEXT_WEIGHT_BOLD,
                                         TEXT_ALIGN_LEFT, ctx->width);
    int ww = boards_w(w), wh = boards_h(w);
    mk = mk < c.h - 2 * pad ? mk : c.h - 2 * pad;
    if (mk <= 0)
        return;
    bool beside = mk + space + ww + 2 * pad <= c.w;
    if (!beside && ww + 2 * pad > c.w) {
        /* Under the mark, a little smaller if the cell is narrow. */
        char word[BOARDS_TEXT_MAX];
        model_lang lang = boards_str(ctx, lk.key, NULL, 0, word, sizeof word);
        w = boards_fit_lines(ctx, word, lang, word_px(m), TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT,
                             c.w - 2 * pad, 1, word_px(m) * 7 / 10);
        ww = boards_w(w);
        wh = boards_h(w);
    }
    SDL_Rect plate; /* what is drawn on a hatch gets a plain backing */
    if (beside) {
        int x = c.x + (c.w - (mk + space + ww)) / 2, h = wh > mk ? wh : mk;
        int y = c.y + (c.h - h) / 2;
        plate = (SDL_Rect){x - pad / 2, y, mk + space + ww + pad, h};
        if (state == FEEDS_SLOT_CLOSED)
            ui_draw_fill_rect(ctx->renderer, plate, lk.bg);
        kit_draw_mark(ctx->renderer, lk.mark, (SDL_Rect){x, y + (h - mk) / 2, mk, mk}, lk.ink,
                      lk.bg);
        boards_put(ctx, w, x + mk + space, y + (h - wh) / 2, lk.ink);
    } else if (ww + 2 * pad <= c.w && mk + wh + 2 * pad <= c.h) {
        int y = c.y + (c.h - mk - wh) / 2;
        int bw = ww > mk ? ww : mk;
        plate = (SDL_Rect){c.x + (c.w - bw) / 2 - pad / 2, y, bw + pad, mk + wh};
        if (state == FEEDS_SLOT_CLOSED)
            ui_draw_fill_rect(ctx->renderer, plate, lk.bg);
        kit_draw_mark(ctx->renderer, lk.mark, (SDL_Rect){c.x + (c.w - mk) / 2, y, mk, mk}, lk.ink,
                      lk.bg);
        boards_put(ctx, w, c.x + (c.w - ww) / 2, y + mk, lk.ink);
    } else {
        mk = mk < c.w - 2 * pad ? mk : c.w - 2 * pad;
        if (mk <= 0)
            return;
        plate = (SDL_Rect){c.x + (c.w - mk) / 2, c.y + (c.h - mk) / 2, mk, mk};
        if (state == FEEDS_SLOT_CLOSED)
            ui_draw_fill_rect(ctx->renderer, plate, lk.bg);
        kit_draw_mark(ctx->renderer, lk.mark, plate, lk.ink, lk.bg);
    }
}

/* ---- layout ---- */

static const text_layout *lay_name(screen_ctx *ctx, const kit_metrics *m, const feeds_facility *f,
                                   int w)
{
    model_lang lang = boards_lang(ctx);
    return boards_fit_lines(ctx, model_text_get(&f->name, lang), model_text_lang(&f->name, lang),
                            m->text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, w, 2, m->small_px);
}

bool vacancy_grid_layout(screen_ctx *ctx, const feeds_vacancy *v, int32_t day, int w,
                         vacancy_layout *out)
{
    kit_metrics m = kit_metrics_get(ctx);
    memset(out, 0, sizeof *out);
    int lo = 24 * 60, hi = 0;
    for (size_t i = 0; i < v->n_facilities; i++) {
        const feeds_day *d = vacancy_find_day(&v->facilities[i], day);
        for (size_t k = 0; d && k < d->n_slots; k++) {
            lo = d->slots[k].start_min < lo ? d->slots[k].start_min : lo;
            hi = d->slots[k].end_min > hi ? d->slots[k].end_min : hi;
        }
    }
    out->gap = m.gap / 3 > 4 ? m.gap / 3 : 4;
    out->pad = m.gap / 2;
    out->cell_gap = m.gap / 8 > 2 ? m.gap / 8 : 2;
    if (hi <= lo)
        return false;
    out->t0 = lo / 60 * 60;
    out->t1 = (hi + 59) / 60 * 60;
    int hours = (out->t1 - out->t0) / 60;
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    int name_w = (int)lround(w * 0.24);
    int min_name = m.text_px * 6, max_name = m.text_px * 11;
    name_w = name_w < min_name ? min_name : name_w > max_name ? max_name : name_w;
    out->stacked = (w - name_w) / hours < (int)lround(u * MIN_HOUR_SHARE);
    out->name_w = out->stacked ? 0 : name_w;
    out->bar_x = out->stacked ? 0 : name_w + out->gap;
    out->bar_w = w - out->bar_x;
    /* The cell: a mark over its word at least (furigana included), with
     * draw_cell's margins and the gaps between rows of cells. */
    int word_h = 0;
    static const feeds_slot_state states[] = {FEEDS_SLOT_FREE, FEEDS_SLOT_BOOKED,
                                              FEEDS_SLOT_CLOSED};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        int h = boards_h(boards_lay_ui(ctx, look_of(states[i]).key, NULL, 0, word_px(&m),
                                       TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, ctx->width));
        word_h = h > word_h ? h : word_h;
    }
    int cell_h = mark_px(&m) + word_h + 2 * (m.gap / 4) + 2 * out->cell_gap;
    int name_h = 0;
    for (size_t i = 0; i < v->n_facilities; i++) {
        int nw = out->stacked ? w - 2 * out->pad : name_w - 2 * out->pad;
        int h = boards_h(lay_name(ctx, &m, &v->facilities[i], nw));
        name_h = h > name_h ? h : name_h;
    }
    if (out->stacked) {
        out->name_h = name_h + out->pad / 2;
        out->row_h = out->name_h + cell_h;
    } else {
        out->name_h = 0;
        out->row_h = (name_h + out->pad > cell_h ? name_h + out->pad : cell_h);
    }
    /* Labels every hour, or every few when they would touch. */
    const text_layout *probe = boards_lay(ctx, "20:00", MODEL_LANG_JA, m.small_px,
                                          TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, w, 0);
    int hour_px = out->bar_w / hours;
    static const int steps[] = {1, 2, 3, 4, 6, 12};
    out->step = 12;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * hour_px >= boards_w(probe) + m.gap) {
            out->step = steps[i];
            break;
        }
    out->head_h = boards_h(probe) + out->gap;
    return true;
}

static int x_of(const vacancy_layout *g, int x0, int minute)
{
    return x0 + g->bar_x +
           (int)((int64_t)(minute - g->t0) * g->bar_w / (g->t1 - g->t0 > 0 ? g->t1 - g->t0 : 1));
}

void vacancy_grid_axis(screen_ctx *ctx, const vacancy_layout *g, SDL_Rect r)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    for (int min = g->t0; min <= g->t1; min += 60 * g->step) {
        char label[16];
        snprintf(label, sizeof label, "%d:00", min / 60);
        const text_layout *l = boards_lay(ctx, label, MODEL_LANG_JA, m.small_px,
                                          TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, r.w, 0);
        int x = x_of(g, r.x, min) - boards_w(l) / 2;
        int right = r.x + r.w - boards_w(l);
        x = x > right ? right : x < r.x + g->bar_x ? r.x + g->bar_x : x;
        boards_put(ctx, l, x, r.y, t->muted);
    }
}

/* The hour rules behind the cells, over a row's bar. */
static void hour_rules(screen_ctx *ctx, const vacancy_layout *g, SDL_Rect bar)
{
    SDL_Color rule = boards_mix(kit_theme_get()->paper, kit_theme_get()->muted, 0.3f);
    for (int min = g->t0; min <= g->t1; min += 60) {
        int x = x_of(g, bar.x - g->bar_x, min);
        ui_draw_fill_rect(ctx->renderer, (SDL_Rect){x - 1, bar.y, 2, bar.h}, rule);
    }
}

void vacancy_grid_row(screen_ctx *ctx, const vacancy_layout *g, const feeds_facility *f,
                      int32_t day, bool selected, SDL_Rect r)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    SDL_Rect name_box, bar;
    if (g->stacked) {
        name_box = (SDL_Rect){r.x, r.y, r.w, g->name_h};
        bar = (SDL_Rect){r.x, r.y + g->name_h, r.w, r.h - g->name_h};
    } else {
        name_box = (SDL_Rect){r.x, r.y, g->name_w, r.h};
        bar = (SDL_Rect){r.x + g->bar_x, r.y, g->bar_w, r.h};
    }
    /* The selected row (its QR code shows) is framed and its name reversed:
     * a shape as well as a colour. */
    SDL_Color name_bg = selected ? t->on : t->tile, name_ink = selected ? t->on_ink : t->tile_ink;
    ui_draw_rounded_rect(ctx->renderer, name_box, m.radius / 2, name_bg);
    int nw = name_box.w - 2 * g->pad;
    const text_layout *name = lay_name(ctx, &m, f, nw);
    boards_put(ctx, name, name_box.x + g->pad, name_box.y + (name_box.h - boards_h(name)) / 2,
               name_ink);

    const feeds_day *d = vacancy_find_day(f, day);
    if (!d) {
        ui_draw_fill_rect(ctx->renderer, bar, boards_mix(t->paper, t->tile, 0.5f));
        const text_layout *l = boards_lay_ui(ctx, "vacancy.no_info", NULL, 0, m.small_px,
                                             TEXT_WEIGHT_REGULAR, TEXT_ALIGN_CENTER, bar.w);
        boards_put(ctx, l, bar.x, bar.y + (bar.h - boards_h(l)) / 2, t->muted);
    } else {
        hour_rules(ctx, g, bar);
        for (size_t k = 0; k < d->n_slots; k++) {
            const feeds_slot *s = &d->slots[k];
            int x0 = x_of(g, bar.x - g->bar_x, s->start_min) + g->cell_gap / 2;
            int x1 = x_of(g, bar.x - g->bar_x, s->end_min) - (g->cell_gap + 1) / 2;
            if (x1 <= x0)
                continue;
            draw_cell(ctx, &m, s->state,
                      (SDL_Rect){x0, bar.y + g->cell_gap, x1 - x0, bar.h - 2 * g->cell_gap});
        }
        if (d->n_slots == 0) {
            const text_layout *l = boards_lay_ui(ctx, "vacancy.no_slots", NULL, 0, m.small_px,
                                                 TEXT_WEIGHT_REGULAR, TEXT_ALIGN_CENTER, bar.w);
            boards_put(ctx, l, bar.x, bar.y + (bar.h - boards_h(l)) / 2, t->muted);
        }
    }
    if (selected) {
        int edge = m.gap / 6 > 3 ? m.gap / 6 : 3;
        ui_draw_rect_outline(ctx->renderer, r, edge, t->on);
    }
}

int vacancy_legend(screen_ctx *ctx, SDL_Rect row, bool measure_only)
{
    static const feeds_slot_state states[] = {FEEDS_SLOT_FREE, FEEDS_SLOT_BOOKED,
                                              FEEDS_SLOT_CLOSED};
    kit_metrics m = kit_metrics_get(ctx);
    int mk = mark_px(&m), pad = m.gap / 3, space = m.gap / 5, total = 0;
    int w[3];
    const text_layout *l[3];
    for (int i = 0; i < 3; i++) {
        l[i] = boards_lay_ui(ctx, look_of(states[i]).key, NULL, 0, word_px(&m), TEXT_WEIGHT_BOLD,
                             TEXT_ALIGN_LEFT, ctx->width);
        w[i] = pad + mk + space + boards_w(l[i]) + pad;
        total += w[i] + (i ? m.gap / 2 : 0);
    }
    if (measure_only)
        return total;
    int x = row.x + row.w - total;
    for (int i = 0; i < 3; i++) {
        state_look lk = look_of(states[i]);
        int h = boards_h(l[i]) > mk ? boards_h(l[i]) : mk;
        SDL_Rect chip = {x, row.y + (row.h - h - pad) / 2, w[i], h + pad};
        ui_draw_rounded_rect(ctx->renderer, chip, m.radius / 2, lk.bg);
        kit_draw_mark(ctx->renderer, lk.mark,
                      (SDL_Rect){x + pad, chip.y + (chip.h - mk) / 2, mk, mk}, lk.ink, lk.bg);
        boards_put(ctx, l[i], x + pad + mk + space, chip.y + (chip.h - boards_h(l[i])) / 2, lk.ink);
        x += w[i] + m.gap / 2;
    }
    return total;
}
