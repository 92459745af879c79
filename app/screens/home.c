/* home: the touch kiosk's menu. Four large tiles (child-care support,
 * counter queues, facility vacancies, the notices loop), each with a drawn
 * pictogram, its name and one line of what is inside: live numbers where a
 * fresh feed has them, a plain description otherwise (a number that may be
 * out of date is never shown here; the board itself explains its age).
 * Landscape shows the tiles two by two, portrait one above another: one
 * layout that picks its grid from the content area's shape. */
#include "app/screens/screen.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "app/screens/kit.h"
#include "app/screens/kit_draw.h"
#include "app/screens/signage.h"
#include "ui/draw.h"

enum { TILE_CHILDCARE, TILE_QUEUE, TILE_VACANCY, TILE_SIGNAGE, N_TILES };

typedef struct home {
    kit_ui ui;
    kit_scroll scroll;     /* used when large text makes the tiles taller than the screen */
    uint64_t feeds_serial; /* the feeds the summaries were drawn from */
} home;

static const struct tile_def {
    const char *label; /* catalog keys */
    const char *sub;
} tiles[N_TILES] = {
    [TILE_CHILDCARE] = {"home.childcare", "home.childcare_sub"},
    [TILE_QUEUE] = {"home.queue", "home.queue_sub"},
    [TILE_VACANCY] = {"home.vacancy", "home.vacancy_sub"},
    [TILE_SIGNAGE] = {"home.signage", "home.signage_sub"},
};

static model_lang lang_of(const screen_ctx *ctx)
{
    return ctx->session ? ctx->session->lang : MODEL_LANG_JA;
}

static model_lang key_lang(const screen_ctx *ctx, const char *key)
{
    return ctx->catalog ? catalog_lang(ctx->catalog, lang_of(ctx), key) : MODEL_LANG_EN;
}

/* fmt with its one %d replaced by n (never trusted as a printf format). */
static void put_number(char *buf, size_t cap, const char *fmt, long n)
{
    const char *at = strstr(fmt, "%d");
    if (!at)
        snprintf(buf, cap, "%s", fmt);
    else
        snprintf(buf, cap, "%.*s%ld%s", (int)(at - fmt), fmt, n, at + 2);
}

/* ---- live summaries ---- */

/* "待ち 8人": people waiting at the open counters, when the feed is fresh. */
static bool queue_summary(screen_ctx *ctx, char *buf, size_t cap)
{
    const screen_feeds *f = ctx->feeds;
    if (!f || !f->queue ||
        kit_feed_stale(ctx, f->queue->updated, &f->queue_status, f->queue_stale_s))
        return false;
    long waiting = 0;
    size_t open = 0;
    for (size_t i = 0; i < f->queue->n_counters; i++) {
        const feeds_counter *c = &f->queue->counters[i];
        if (!c->open)
            continue;
        open++;
        if (c->waiting > 0)
            waiting += c->waiting;
    }
    if (!open)
        return false;
    put_number(buf, cap, kit_str(ctx, "home.queue_now"), waiting);
    return true;
}

/* "今日の空き 5枠": today's free slots that have not ended yet. */
static bool vacancy_summary(screen_ctx *ctx, char *buf, size_t cap)
{
    const screen_feeds *f = ctx->feeds;
    if (!f || !f->vacancy || !ctx->clock ||
        kit_feed_stale(ctx, f->vacancy->updated, &f->vacancy_status, f->vacancy_stale_s))
        return false;
    struct tm tm;
    const char *tz = ctx->tz ? ctx->tz : ctx->pack ? ctx->pack->timezone : NULL;
    if (clock_local(ctx->clock, tz, &tm) != 0)
        return false;
    /* Days since 1970-01-01 of the local civil date (the feed's day numbers). */
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int32_t today = era * 146097 + doe - 719468;
    int now_min = tm.tm_hour * 60 + tm.tm_min;
    long free_slots = 0;
    bool have_today = false;
    for (size_t i = 0; i < f->vacancy->n_facilities; i++) {
        const feeds_facility *fac = &f->vacancy->facilities[i];
        for (size_t j = 0; j < fac->n_days; j++) {
            if (fac->days[j].day != today)
                continue;
            have_today = true;
            for (size_t k = 0; k < fac->days[j].n_slots; k++) {
                const feeds_slot *s = &fac->days[j].slots[k];
                if (s->state == FEEDS_SLOT_FREE && s->end_min > now_min)
                    free_slots++;
            }
        }
    }
    if (!have_today)
        return false;
    put_number(buf, cap, kit_str(ctx, "home.vacancy_now"), free_slots);
    return true;
}

/* ---- pictograms ---- */

/* A person: a round head over a body with rounded shoulders, s px tall,
 * feet at (cx, base). The gap between them keeps the figure readable when
 * small. */
static void person(SDL_Renderer *r, float cx, float base, float s, SDL_Color c)
{
    float head = s * 0.19f, bw = s * 0.25f;
    kit_draw_disc(r, cx, base - s + head, head, c);
    float top = base - s + head * 2.0f + s * 0.07f;
    ui_draw_rounded_rect(r, (SDL_Rect){(int)(cx - bw), (int)top, (int)(2 * bw), (int)(base - top)},
                         (int)(bw * 0.9f), c);
}

static void pictogram(SDL_Renderer *r, int which, SDL_Rect box, SDL_Color c, SDL_Color bg)
{
    float s = (float)(box.w < box.h ? box.w : box.h);
    float x = (float)box.x + ((float)box.w - s) / 2.0f,
          y = (float)box.y + ((float)box.h - s) / 2.0f;
    float t = s * 0.06f > 2.0f ? s * 0.06f : 2.0f;
    switch (which) {
    case TILE_CHILDCARE: /* a parent holding a child's hand, and a heart */
        person(r, x + s * 0.3f, y + s * 0.98f, s * 0.86f, c);
        person(r, x + s * 0.76f, y + s * 0.98f, s * 0.52f, c);
        kit_draw_line(r, x + s * 0.5f, y + s * 0.7f, x + s * 0.64f, y + s * 0.7f, t, c);
        kit_draw_disc(r, x + s * 0.74f, y + s * 0.16f, s * 0.07f, c);
        kit_draw_disc(r, x + s * 0.86f, y + s * 0.16f, s * 0.07f, c);
        kit_draw_triangle(r, (SDL_FPoint){x + s * 0.675f, y + s * 0.19f},
                          (SDL_FPoint){x + s * 0.935f, y + s * 0.19f},
                          (SDL_FPoint){x + s * 0.8f, y + s * 0.34f}, c);
        break;
    case TILE_QUEUE: { /* a numbered ticket and people waiting */
        SDL_Rect ticket = {(int)(x + s * 0.04f), (int)(y + s * 0.06f), (int)(s * 0.5f),
                           (int)(s * 0.34f)};
        ui_draw_rounded_rect(r, ticket, (int)(s * 0.04f), c);
        ui_draw_fill_rect(r,
                          (SDL_Rect){ticket.x + (int)(s * 0.08f), ticket.y + (int)(s * 0.1f),
                                     (int)(s * 0.34f), (int)t},
                          bg);
        ui_draw_fill_rect(r,
                          (SDL_Rect){ticket.x + (int)(s * 0.08f), ticket.y + (int)(s * 0.2f),
                                     (int)(s * 0.22f), (int)t},
                          bg);
        person(r, x + s * 0.16f, y + s * 0.98f, s * 0.5f, c);
        person(r, x + s * 0.5f, y + s * 0.98f, s * 0.5f, c);
        person(r, x + s * 0.84f, y + s * 0.98f, s * 0.5f, c);
        break;
    }
    case TILE_VACANCY: { /* a calendar with a free (○) and a booked (×) day */
        SDL_Rect cal = {(int)(x + s * 0.06f), (int)(y + s * 0.12f), (int)(s * 0.88f),
                        (int)(s * 0.8f)};
        ui_draw_rounded_rect(r, cal, (int)(s * 0.05f), c);
        SDL_Rect page = {cal.x + (int)t, cal.y + (int)(s * 0.18f), cal.w - 2 * (int)t,
                         cal.h - (int)(s * 0.18f) - (int)t};
        ui_draw_fill_rect(r, page, bg);
        kit_draw_line(r, x + s * 0.28f, y + s * 0.04f, x + s * 0.28f, y + s * 0.2f, t * 1.4f, c);
        kit_draw_line(r, x + s * 0.72f, y + s * 0.04f, x + s * 0.72f, y + s * 0.2f, t * 1.4f, c);
        int cell = page.w / 3;
        kit_draw_mark(
            r, KIT_MARK_CIRCLE,
            (SDL_Rect){page.x + cell / 8, page.y + page.h / 8, cell * 3 / 4, page.h * 3 / 4}, c,
            bg);
        kit_draw_mark(
            r, KIT_MARK_CROSS,
            (SDL_Rect){page.x + cell + cell / 8, page.y + page.h / 8, cell * 3 / 4, page.h * 3 / 4},
            c, bg);
        kit_draw_mark(r, KIT_MARK_DASH,
                      (SDL_Rect){page.x + 2 * cell + cell / 8, page.y + page.h / 8, cell * 3 / 4,
                                 page.h * 3 / 4},
                      c, bg);
        break;
    }
    default: { /* a notice board on a stand, with lines of text */
        SDL_Rect board = {(int)(x + s * 0.04f), (int)(y + s * 0.08f), (int)(s * 0.92f),
                          (int)(s * 0.64f)};
        ui_draw_rounded_rect(r, board, (int)(s * 0.05f), c);
        int lx = board.x + (int)(s * 0.1f), lw = board.w - (int)(s * 0.2f);
        for (int i = 0; i < 3; i++)
            ui_draw_fill_rect(r,
                              (SDL_Rect){lx, board.y + (int)(s * (0.12f + 0.16f * (float)i)),
                                         i == 2 ? lw * 6 / 10 : lw, (int)(t * 1.2f)},
                              bg);
        kit_draw_line(r, x + s * 0.5f, y + s * 0.72f, x + s * 0.5f, y + s * 0.9f, t * 1.6f, c);
        kit_draw_line(r, x + s * 0.3f, y + s * 0.93f, x + s * 0.7f, y + s * 0.93f, t * 1.6f, c);
        break;
    }
    }
}

/* ---- layout ---- */

/* A tile's words, laid out for a text column w px wide. */
typedef struct tile_text {
    const text_layout *label, *live, *sub;
    int h; /* their height together */
} tile_text;

static int height_of(const text_layout *l)
{
    return l ? text_layout_height(l) : 0;
}

/* The largest size from px down to floor (in 8% steps) at which every
 * tile's text for key_of fits one line w px wide; px when some never does
 * (those wrap). One size for all four tiles, so they read as a set. */
static int common_px(screen_ctx *ctx, bool sub, int px, int w, int floor_px, text_weight weight)
{
    int best = px;
    for (int i = 0; i < N_TILES; i++) {
        const char *key = sub ? tiles[i].sub : tiles[i].label;
        int size = px;
        for (;; size = size * 92 / 100) {
            if (size < floor_px) {
                size = best; /* this one wraps whatever the size: no reason to shrink */
                break;
            }
            text_style st = kit_style(ctx, key_lang(ctx, key), size, weight, TEXT_ALIGN_LEFT, 0);
            const text_layout *l = kit_layout(ctx, kit_str(ctx, key), &st, w);
            if (!l || text_layout_line_count(l) <= 1)
                break;
        }
        best = size < best ? size : best;
    }
    return best;
}

static tile_text tile_words(screen_ctx *ctx, int which, int w, bool with_sub, int label_px,
                            int sub_px, const kit_metrics *m)
{
    tile_text tt = {0};
    const struct tile_def *d = &tiles[which];
    /* Sizes are chosen for all tiles (common_px): here a name or line that
     * still does not fit wraps at that size. */
    tt.label = kit_fit(ctx, kit_str(ctx, d->label), key_lang(ctx, d->label), label_px,
                       TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, w, INT_MAX / 4, label_px);
    char live[160];
    bool have_live = which == TILE_QUEUE     ? queue_summary(ctx, live, sizeof live)
                     : which == TILE_VACANCY ? vacancy_summary(ctx, live, sizeof live)
                                             : false;
    if (have_live) {
        const char *key = which == TILE_QUEUE ? "home.queue_now" : "home.vacancy_now";
        text_style st =
            kit_style(ctx, key_lang(ctx, key), m->text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 0);
        tt.live = kit_layout(ctx, live, &st, w);
    }
    if (with_sub)
        tt.sub = kit_fit(ctx, kit_str(ctx, d->sub), key_lang(ctx, d->sub), sub_px,
                         TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, w, INT_MAX / 4, sub_px);
    tt.h = height_of(tt.label) + m->gap / 3 + height_of(tt.live) + height_of(tt.sub);
    return tt;
}

/* Where the tiles go: a grid of equal tiles when every tile's words fit,
 * else one column of tiles as tall as their words, scrolled. */
typedef struct plan {
    int cols;
    bool with_sub; /* the plain description line (dropped before scrolling) */
    bool scroll;
    int pic;                /* the pictogram disc's side */
    int text_w;             /* the words' column */
    SDL_Rect rect[N_TILES]; /* scroll: relative to the scroll area */
    tile_text words[N_TILES];
    int content_h;
} plan;

/* Every tile's words for a text column w wide. */
static void all_words(screen_ctx *ctx, plan *p, bool with_sub, int label_px, const kit_metrics *m)
{
    int lp = common_px(ctx, false, label_px, p->text_w, label_px * 80 / 100, TEXT_WEIGHT_BOLD);
    int sp = with_sub ? common_px(ctx, true, m->text_px, p->text_w, m->text_px * 80 / 100,
                                  TEXT_WEIGHT_REGULAR)
                      : m->text_px;
    for (int i = 0; i < N_TILES; i++)
        p->words[i] = tile_words(ctx, i, p->text_w, with_sub, lp, sp, m);
}

static int pic_side(const screen_ctx *ctx, int tile_w, const kit_metrics *m)
{
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    bool large = ctx->session && ctx->session->large_text;
    int pic = tile_w * (large ? 18 : 28) / 100, cap = u * 18 / 100;
    (void)m;
    return pic < cap ? pic : cap;
}

static bool try_grid(screen_ctx *ctx, plan *p, SDL_Rect in, int cols, bool with_sub, int label_px,
                     const kit_metrics *m)
{
    int rows = N_TILES / cols, pad = m->gap;
    int tw = (in.w - (cols - 1) * m->gap) / cols, th = (in.h - (rows - 1) * m->gap) / rows;
    p->cols = cols;
    p->with_sub = with_sub;
    p->scroll = false;
    p->pic = pic_side(ctx, tw, m);
    p->text_w = tw - 3 * pad - p->pic;
    all_words(ctx, p, with_sub, label_px, m);
    for (int i = 0; i < N_TILES; i++) {
        int need = (p->words[i].h > p->pic ? p->words[i].h : p->pic) + 2 * pad;
        if (need > th)
            return false;
        p->rect[i] = (SDL_Rect){in.x + (i % cols) * (tw + m->gap),
                                in.y + (i / cols) * (th + m->gap), tw, th};
    }
    p->content_h = in.h;
    return true;
}

/* Returns false when nothing fits and the plan scrolls. */
static bool make_plan(screen_ctx *ctx, plan *p, SDL_Rect in, const kit_metrics *m)
{
    bool wide = in.w > in.h;
    int big = (int)lround(m->title_px * 1.1), compact = (int)lround(m->text_px * 1.15);
    /* Most to least preferred: the descriptions go first, then the names
     * come down to body size, before the grid gives way to scrolling. */
    const struct {
        int cols;
        bool sub;
        int label_px;
    } tries[] = {{2, true, big},  {1, true, big},      {2, false, big},
                 {1, false, big}, {2, false, compact}, {1, false, compact}};
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        if (tries[i].cols == 2 && !wide)
            continue;
        if (try_grid(ctx, p, in, tries[i].cols, tries[i].sub, tries[i].label_px, m))
            return true;
    }
    /* Nothing fits (very large text on a small screen): every word stays,
     * and the column scrolls. */
    int pad = m->gap, y = 0, tw = in.w - m->gap; /* room for the scroll bar */
    p->cols = 1;
    p->with_sub = true;
    p->scroll = true;
    p->pic = pic_side(ctx, tw, m);
    p->text_w = tw - 3 * pad - p->pic;
    all_words(ctx, p, true, big, m);
    for (int i = 0; i < N_TILES; i++) {
        int need = (p->words[i].h > p->pic ? p->words[i].h : p->pic) + 2 * pad;
        p->rect[i] = (SDL_Rect){0, y, tw, need};
        y += need + m->gap;
    }
    p->content_h = y - m->gap;
    return false;
}

/* ---- drawing ---- */

static void draw_tile(screen_ctx *ctx, home *h, int which, SDL_Rect rect, const plan *p,
                      const kit_metrics *m)
{
    const kit_theme *t = kit_theme_get();
    bool pressed = kit_ui_pressed(&h->ui, which);
    SDL_Color bg = pressed ? t->pressed : t->tile, ink = pressed ? t->pressed_ink : t->tile_ink;
    SDL_Color accent = pressed ? t->pressed_ink : t->tile_edge;
    int edge = m->gap / 6 > 2 ? m->gap / 6 : 2;
    kit_draw_panel(ctx->renderer, rect, m->radius * 2, bg, pressed ? t->ink : t->tile_edge, edge);

    int pad = m->gap;
    SDL_Rect in = {rect.x + pad, rect.y + pad, rect.w - 2 * pad, rect.h - 2 * pad};
    /* The pictogram sits in a paper disc on the left, the words beside it. */
    int pic = p->pic < in.h ? p->pic : in.h;
    float cx = (float)in.x + (float)p->pic / 2.0f, cy = (float)in.y + (float)in.h / 2.0f;
    kit_draw_disc(ctx->renderer, cx, cy, (float)pic / 2.0f, t->paper);
    int inset = pic * 19 / 100;
    pictogram(ctx->renderer, which,
              (SDL_Rect){(int)cx - pic / 2 + inset, (int)cy - pic / 2 + inset, pic - 2 * inset,
                         pic - 2 * inset},
              accent, t->paper);
    int tx = in.x + p->pic + pad;
    const tile_text *w = &p->words[which];
    int y = in.y + (in.h - w->h) / 2;
    y = y > in.y ? y : in.y;
    if (!ctx->atlas)
        return;
    if (w->label)
        text_atlas_draw(ctx->atlas, w->label, tx, y, ink);
    y += height_of(w->label) + m->gap / 3;
    /* Live numbers read first, in the accent colour, the plain line under them. */
    if (w->live)
        text_atlas_draw(ctx->atlas, w->live, tx, y, pressed ? ink : t->tile_edge);
    y += height_of(w->live);
    if (w->sub)
        text_atlas_draw(ctx->atlas, w->sub, tx, y, pressed ? ink : t->muted);
}

static void home_draw(void *self, screen_ctx *ctx)
{
    home *h = self;
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    kit_ui_begin(&h->ui);
    ui_draw_clear(ctx->renderer, t->paper);
    SDL_Rect area =
        kit_chrome(ctx, &h->ui, kit_str(ctx, "home.title"), key_lang(ctx, "home.title"), 0);
    h->feeds_serial = ctx->feeds ? ctx->feeds->serial : 0;
    if (h->ui.picker_open) {
        kit_chrome_overlay(ctx, &h->ui); /* modal: the tiles wait underneath */
        return;
    }
    int pad = m.gap * 2;
    SDL_Rect in = {area.x + pad, area.y + m.gap * 3 / 2, area.w - 2 * pad, area.h - m.gap * 3};
    /* The invitation above the tiles, unless the tiles need its room. */
    text_style st = kit_style(ctx, key_lang(ctx, "home.prompt"), m.text_px, TEXT_WEIGHT_BOLD,
                              TEXT_ALIGN_LEFT, 0);
    const text_layout *prompt = kit_layout(ctx, kit_str(ctx, "home.prompt"), &st, in.w);
    int said = height_of(prompt) + m.gap;
    SDL_Rect below = {in.x, in.y + said, in.w, in.h - said};
    plan p;
    bool fits = make_plan(ctx, &p, below, &m);
    if (fits || !make_plan(ctx, &p, in, &m)) {
        if (!fits)
            make_plan(ctx, &p, below, &m); /* scrolling either way: keep the invitation */
        if (prompt && ctx->atlas)
            text_atlas_draw(ctx->atlas, prompt, in.x, in.y, t->ink);
        in = below;
    }
    if (!p.scroll) {
        h->scroll = (kit_scroll){0};
        for (int i = 0; i < N_TILES; i++) {
            draw_tile(ctx, h, i, p.rect[i], &p, &m);
            kit_ui_hit(&h->ui, p.rect[i], i);
        }
        return;
    }
    /* Scrolled: the column moves under a clip, with a bar that shows where. */
    h->scroll.view_h = in.h;
    h->scroll.content_h = p.content_h;
    int top = p.content_h - in.h > 0 ? p.content_h - in.h : 0;
    h->scroll.offset = h->scroll.offset < top ? h->scroll.offset : top;
    kit_ui_set_scroll(&h->ui, &h->scroll, in);
    SDL_RenderSetClipRect(ctx->renderer, &in);
    for (int i = 0; i < N_TILES; i++) {
        SDL_Rect r = p.rect[i];
        kit_ui_hit_scrolled(&h->ui, r, i);
        r.x += in.x;
        r.y += in.y - h->scroll.offset;
        if (r.y + r.h > in.y && r.y < in.y + in.h)
            draw_tile(ctx, h, i, r, &p, &m);
    }
    SDL_RenderSetClipRect(ctx->renderer, NULL);
    int bar_w = m.gap / 3 > 4 ? m.gap / 3 : 4;
    int thumb_h = in.h * in.h / (p.content_h > 0 ? p.content_h : 1);
    int thumb_y = top ? in.y + (in.h - thumb_h) * h->scroll.offset / top : in.y;
    ui_draw_rounded_rect(ctx->renderer, (SDL_Rect){in.x + in.w - bar_w, in.y, bar_w, in.h},
                         bar_w / 2, t->tile);
    ui_draw_rounded_rect(ctx->renderer, (SDL_Rect){in.x + in.w - bar_w, thumb_y, bar_w, thumb_h},
                         bar_w / 2, t->tile_edge);
}

static bool home_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    home *h = self;
    int id = kit_ui_event(&h->ui, ctx, ev);
    if (id == KIT_NONE)
        return kit_pointer_from_event(ctx, ev).kind != KIT_POINTER_NONE;
    if (kit_chrome_handle(ctx, &h->ui, id))
        return true;
    switch (id) {
    case TILE_CHILDCARE:
        screen_go(ctx, &childcare_screen_ops);
        break;
    case TILE_QUEUE:
        screen_go(ctx, &queue_screen_ops);
        break;
    case TILE_VACANCY:
        screen_go(ctx, &vacancy_screen_ops);
        break;
    case TILE_SIGNAGE:
        screen_go(ctx, &signage_screen_ops);
        break;
    default:
        return false;
    }
    return true;
}

static void home_update(void *self, screen_ctx *ctx)
{
    home *h = self;
    kit_ui_update(&h->ui, ctx);
    /* New feed numbers change the summaries. */
    if (ctx->feeds && ctx->feeds->serial != h->feeds_serial && ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

static void *home_enter(screen_ctx *ctx)
{
    home *h = calloc(1, sizeof *h);
    if (!h) {
        LOG_ERROR("home", "out of memory");
        return NULL;
    }
    kit_ui_init(&h->ui);
    h->feeds_serial = ctx->feeds ? ctx->feeds->serial : 0;
    return h;
}

static void home_leave(void *self, screen_ctx *ctx)
{
    (void)ctx;
    free(self);
}

const screen_ops home_screen_ops = {
    .name = "home",
    .enter = home_enter,
    .event = home_event,
    .update = home_update,
    .draw = home_draw,
    .leave = home_leave,
};
