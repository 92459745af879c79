/* queue: the counter queue board (窓口の混雑状況). A card per counter with
 * its name, the number now being served in figures readable from five
 * metres (digits at least a ninth of a 1080p screen's height), the people
 * waiting and the estimated wait; a closed counter is greyed and says
 * 受付終了 in words. A number that changed since the last snapshot (the
 * counter matched by id) is highlighted for BOARDS_HIGHLIGHT_MS, with a
 * marker and the highlight colours, then fades back. More counters than
 * fit are paged, turning by themselves and by swipe.
 * One layout for every window shape: the grid takes the columns and card
 * style (stacked, or name beside number on wide cards) that show the most
 * counters per page. Never keeps a pointer into a snapshot, never redraws
 * without a reason (wake-ups are declared for the next change). */
#include "app/screens/boards_private.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

#define FADE_FRAME_MS 33
#define NO_TIME       INT64_MIN

/* Everything a grid depends on besides the snapshot's texts. */
typedef struct grid_key {
    const feeds_queue *snap; /* identity only */
    uint64_t serial;
    int w, h, screen_w, screen_h;
    float px_per_mm;
    model_lang lang;
    bool large, furigana, valid;
} grid_key;

typedef struct seen_counter {
    char id[FEEDS_MAX_ID + 1];
    int32_t serving;
    int64_t lit_ms; /* when its highlight began (ctx->now_ms), NO_TIME: none */
} seen_counter;

struct boards_queue {
    bool signage;
    bool primed; /* a snapshot has been seen: changes from here on are news */
    /* The snapshot last looked at, for identity only: never read through. */
    const feeds_queue *snap;
    uint64_t serial;
    seen_counter seen[FEEDS_MAX_COUNTERS];
    size_t n_seen;
    bool lit; /* some counter was highlighted at the last update */
    int page, n_pages;
    int64_t page_since;
    /* The grid last fitted and what it was fitted for: fitting measures
     * every counter in every style, too much to redo on each frame of a
     * fade. */
    queue_grid grid;
    grid_key key;
};

boards_queue *boards_queue_create(bool in_signage)
{
    boards_queue *b = calloc(1, sizeof *b);
    if (!b) {
        LOG_ERROR("queue", "out of memory");
        return NULL;
    }
    b->signage = in_signage;
    return b;
}

void boards_queue_destroy(boards_queue *b)
{
    free(b);
}

static const seen_counter *find_seen(const seen_counter *list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].id, id) == 0)
            return &list[i];
    return NULL;
}

/* A new snapshot: compare each counter's number with the one shown. */
static void notice(boards_queue *b, const screen_ctx *ctx, const feeds_queue *q)
{
    seen_counter next[FEEDS_MAX_COUNTERS];
    size_t n = q->n_counters < FEEDS_MAX_COUNTERS ? q->n_counters : FEEDS_MAX_COUNTERS;
    for (size_t i = 0; i < n; i++) {
        const feeds_counter *c = &q->counters[i];
        const seen_counter *old = find_seen(b->seen, b->n_seen, c->id);
        seen_counter *s = &next[i];
        snprintf(s->id, sizeof s->id, "%s", c->id);
        s->serving = c->serving;
        s->lit_ms = old ? old->lit_ms : NO_TIME;
        if (b->primed && old && c->open && c->serving != FEEDS_UNKNOWN &&
            c->serving != old->serving) {
            s->lit_ms = ctx->now_ms;
            LOG_DEBUG("queue", "counter %s now serves %d", c->id, (int)c->serving);
        }
    }
    memcpy(b->seen, next, n * sizeof next[0]);
    b->n_seen = n;
    b->primed = true;
}

void boards_queue_update(boards_queue *b, screen_ctx *ctx)
{
    const feeds_queue *q = ctx->feeds ? ctx->feeds->queue : NULL;
    uint64_t serial = ctx->feeds ? ctx->feeds->serial : 0;
    if (q != b->snap || serial != b->serial) {
        if (q)
            notice(b, ctx, q);
        b->snap = q;
        b->serial = serial;
        if (ctx->frame)
            ui_frame_invalidate(ctx->frame);
    }
    bool lit = false;
    for (size_t i = 0; i < b->n_seen; i++) {
        seen_counter *s = &b->seen[i];
        if (s->lit_ms == NO_TIME)
            continue;
        int64_t age = ctx->now_ms - s->lit_ms;
        if (age < 0 || age >= BOARDS_HIGHLIGHT_MS) {
            s->lit_ms = NO_TIME; /* over (or the monotonic clock was reset) */
            continue;
        }
        lit = true;
        if (!ctx->frame)
            continue;
        int64_t hold = BOARDS_HIGHLIGHT_MS - BOARDS_FADE_MS;
        if (age < hold) {
            ui_frame_wake_in(ctx->frame, (uint32_t)(hold - age));
        } else {
            ui_frame_invalidate(ctx->frame); /* fading: a frame every FADE_FRAME_MS */
            ui_frame_wake_in(ctx->frame, FADE_FRAME_MS);
        }
    }
    if (lit != b->lit && ctx->frame)
        ui_frame_invalidate(ctx->frame); /* a highlight began or ended */
    b->lit = lit;
    boards_page_tick(ctx, &b->page, b->n_pages, &b->page_since);
    if (q)
        boards_wake_when_stale(ctx, q->updated, ctx->feeds->queue_stale_s);
}

void boards_queue_turn(boards_queue *b, screen_ctx *ctx, int delta)
{
    if (b->n_pages <= 1)
        return;
    b->page = ((b->page + delta) % b->n_pages + b->n_pages) % b->n_pages;
    b->page_since = ctx->now_ms;
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

int boards_queue_page(const boards_queue *b, int *n_pages)
{
    if (n_pages)
        *n_pages = b->n_pages;
    return b->page;
}

/* ---- drawing ---- */

/* How far the highlight has gone: 1 fully lit, 0 none. */
static float glow(const boards_queue *b, const screen_ctx *ctx, const char *id)
{
    const seen_counter *s = find_seen(b->seen, b->n_seen, id);
    if (!s || s->lit_ms == NO_TIME)
        return 0.0f;
    int64_t age = ctx->now_ms - s->lit_ms, hold = BOARDS_HIGHLIGHT_MS - BOARDS_FADE_MS;
    if (age < 0 || age >= BOARDS_HIGHLIGHT_MS)
        return 0.0f;
    if (age < hold)
        return 1.0f;
    return 1.0f - (float)(age - hold) / (float)BOARDS_FADE_MS;
}

/* The marker of a number just called: an arrow and a word on the
 * highlight colour, where the label usually is. */
static void draw_called(screen_ctx *ctx, const queue_sizes *z, int x, int y, int w, SDL_Color bg,
                        SDL_Color ink)
{
    const text_layout *l = boards_lay_ui(ctx, "queue.called", NULL, 0, z->label_px,
                                         TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, w);
    int icon = z->label_px, space = z->m.gap / 4, lw = icon + space + boards_w(l);
    int h = boards_h(l) > icon ? boards_h(l) : icon, px = z->m.gap / 3;
    int x0 = x + (w - lw) / 2;
    SDL_Rect chip = {x0 - px, y, lw + 2 * px, h};
    ui_draw_rounded_rect(ctx->renderer, chip, h / 3, ink);
    kit_draw_mark(ctx->renderer, KIT_MARK_NEXT, (SDL_Rect){x0, y + (h - icon) / 2, icon, icon}, bg,
                  ink);
    boards_put(ctx, l, x0 + icon + space, y + (h - boards_h(l)) / 2, bg);
}

static void draw_card(boards_queue *b, screen_ctx *ctx, const queue_sizes *z, const queue_grid *g,
                      const feeds_counter *c, SDL_Rect r)
{
    const kit_theme *t = kit_theme_get();
    float lit = c->open ? glow(b, ctx, c->id) : 0.0f;
    SDL_Color bg = c->open ? boards_mix(t->tile, t->highlight, lit) : t->closed_bg;
    SDL_Color ink = c->open ? t->ink : t->closed_ink;
    int edge = z->m.gap / 8 > 2 ? z->m.gap / 8 : 2;
    if (lit > 0.0f)
        edge = (int)lroundf((float)edge + (float)(z->m.gap / 3) * lit); /* a bold frame */
    kit_draw_panel(ctx->renderer, r, z->m.radius, bg,
                   c->open ? boards_mix(t->tile_edge, t->ink, lit) : t->muted, edge);

    int inner = r.w - 2 * z->pad;
    bool wide = g->wide;
    int text_w = wide ? inner - g->num_col - z->m.gap : inner;
    queue_card k;
    queue_lay_card(ctx, z, c, text_w, !wide, &k);
    int x = r.x + z->pad, y = r.y + z->pad;
    SDL_Color label_ink = c->open ? t->muted : t->closed_ink;

    /* The figures block: label (or the "called" marker) over the number,
     * or the closed word. */
    int fig_h = k.word ? boards_h(k.word) : boards_h(k.label) + boards_h(k.number);
    int fig_w = wide ? g->num_col : inner;
    int fig_x = wide ? r.x + r.w - z->pad - g->num_col : x;
    int fig_y;
    if (wide) {
        fig_y = r.y + (r.h - fig_h) / 2;
        int left_h = boards_h(k.name) + (k.stats ? z->m.gap / 3 + boards_h(k.stats) : 0);
        int ly = r.y + (r.h - left_h) / 2;
        boards_put(ctx, k.name, x, ly, ink);
        boards_put(ctx, k.stats, x, ly + boards_h(k.name) + z->m.gap / 3, ink);
    } else {
        boards_put(ctx, k.name, x, y, ink);
        int top = y + boards_h(k.name) + z->m.gap / 3;
        int bottom = r.y + r.h - z->pad - (k.stats ? boards_h(k.stats) + z->m.gap / 3 : 0);
        fig_y = top + (bottom - top - fig_h) / 2;
        if (k.stats)
            boards_put(ctx, k.stats, x, r.y + r.h - z->pad - boards_h(k.stats), ink);
    }
    if (k.word) {
        int wx = fig_x + (fig_w - boards_w(k.word)) / 2;
        boards_put(ctx, k.word, wx, fig_y, ink);
        return;
    }
    if (lit > 0.0f)
        draw_called(ctx, z, fig_x, fig_y, fig_w, bg, t->ink);
    else
        boards_put(ctx, k.label, fig_x + (fig_w - boards_w(k.label)) / 2, fig_y, label_ink);
    int nx = fig_x + (fig_w - boards_w(k.number)) / 2;
    boards_put(ctx, k.number, nx, fig_y + boards_h(k.label),
               c->serving == FEEDS_UNKNOWN ? t->muted : t->ink);
}

void boards_queue_draw(boards_queue *b, screen_ctx *ctx, kit_ui *ui, SDL_Rect area)
{
    (void)ui; /* the board's only gesture is the swipe, read by the screen */
    const kit_theme *t = kit_theme_get();
    queue_sizes z = queue_sizes_of(ctx);
    ui_draw_fill_rect(ctx->renderer, area, t->paper);
    SDL_Rect in = {area.x + z.m.gap, area.y + z.m.gap / 2, area.w - 2 * z.m.gap, area.h - z.m.gap};
    if (b->signage) {
        int h = boards_heading(ctx, in, "queue.title") + z.m.gap / 2;
        in.y += h;
        in.h -= h;
    }
    const feeds_queue *q = ctx->feeds ? ctx->feeds->queue : NULL;
    if (!q) {
        b->n_pages = 0;
        boards_no_data(ctx, in, "queue", ctx->feeds ? &ctx->feeds->queue_status : NULL,
                       ctx->pack && ctx->pack->feeds.queue);
        return;
    }
    int stamp =
        kit_feed_stamp(ctx, in, q->updated, &ctx->feeds->queue_status, ctx->feeds->queue_stale_s);
    stamp += stamp ? z.m.gap / 2 : 0;
    in.y += stamp;
    in.h -= stamp;
    if (q->n_counters == 0) {
        b->n_pages = 0;
        boards_message(ctx, in, "queue.empty", NULL);
        return;
    }
    int n = (int)q->n_counters, dots = (int)lround(z.m.small_px * 1.6);
    grid_key key;
    memset(&key, 0, sizeof key); /* padding too: keys are compared as bytes */
    key.snap = q;
    key.serial = ctx->feeds->serial;
    key.w = in.w;
    key.h = in.h;
    key.screen_w = ctx->width;
    key.screen_h = ctx->height;
    key.px_per_mm = ctx->px_per_mm;
    key.lang = boards_lang(ctx);
    key.large = ctx->session && ctx->session->large_text;
    key.furigana = ctx->session && ctx->session->furigana;
    key.valid = true;
    if (memcmp(&key, &b->key, sizeof key) != 0) {
        b->grid = queue_fit_grid(ctx, &z, q, in.w, in.h);
        if (b->grid.per_page < n) /* pages: the dots take a row at the bottom */
            b->grid = queue_fit_grid(ctx, &z, q, in.w, in.h - dots - z.m.gap / 2);
        b->key = key;
    }
    queue_grid g = b->grid;
    if (g.per_page < n) {
        g.per_page = g.per_page > 0 ? g.per_page : 1;
        b->n_pages = (n + g.per_page - 1) / g.per_page;
        if (b->page_since == 0)
            b->page_since = ctx->now_ms; /* the page's time runs from its first sight */
        if (b->page >= b->n_pages)
            b->page = 0;
        boards_pager(ctx, "queue.page", (SDL_Rect){in.x, in.y + in.h - dots, in.w, dots}, b->page,
                     b->n_pages, false);
    } else {
        b->n_pages = 1;
        b->page = 0;
    }
    /* Top-aligned: the eye starts at the top, and pages keep their places. */
    int first = b->page * g.per_page, count = n - first < g.per_page ? n - first : g.per_page;
    int y0 = in.y;
    for (int i = 0; i < count; i++) {
        int col = i % g.cols, row = i / g.cols;
        SDL_Rect r = {in.x + col * (g.card_w + z.m.gap), y0 + row * (g.card_h + z.m.gap), g.card_w,
                      g.card_h};
        draw_card(b, ctx, &g.z, &g, &q->counters[first + i], r);
    }
}

/* ---- the touch screen ---- */

typedef struct queue_screen {
    kit_ui ui;
    boards_queue *board;
    boards_swipe swipe;
} queue_screen;

static void *queue_enter(screen_ctx *ctx)
{
    (void)ctx;
    queue_screen *s = calloc(1, sizeof *s);
    if (!s) {
        LOG_ERROR("queue", "out of memory");
        return NULL;
    }
    kit_ui_init(&s->ui);
    s->board = boards_queue_create(false);
    if (!s->board) {
        free(s);
        return NULL;
    }
    return s;
}

static void queue_leave(void *self, screen_ctx *ctx)
{
    (void)ctx;
    queue_screen *s = self;
    if (!s)
        return;
    boards_queue_destroy(s->board);
    free(s);
}

static bool queue_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    queue_screen *s = self;
    int id = kit_ui_event(&s->ui, ctx, ev);
    if (id != KIT_NONE) {
        if (id == KIT_ID_BACK)
            screen_go(ctx, &home_screen_ops);
        else
            kit_chrome_handle(ctx, &s->ui, id);
        return true;
    }
    if (s->ui.picker_open)
        return false;
    int turn = boards_swipe_feed(&s->swipe, ctx, ev);
    if (turn) {
        boards_queue_turn(s->board, ctx, turn);
        return true;
    }
    return false;
}

static void queue_update(void *self, screen_ctx *ctx)
{
    queue_screen *s = self;
    kit_ui_update(&s->ui, ctx);
    boards_queue_update(s->board, ctx);
}

static void queue_draw(void *self, screen_ctx *ctx)
{
    queue_screen *s = self;
    const kit_theme *t = kit_theme_get();
    ui_draw_clear(ctx->renderer, t->paper);
    kit_ui_begin(&s->ui);
    SDL_Rect content = kit_chrome_content(ctx);
    boards_queue_draw(s->board, ctx, &s->ui, content);
    /* The chrome last: the language picker opens over the board. */
    char title[BOARDS_TEXT_MAX];
    model_lang lang = boards_str(ctx, "queue.title", NULL, 0, title, sizeof title);
    kit_chrome(ctx, &s->ui, title, lang, KIT_CHROME_HOME);
}

const screen_ops queue_screen_ops = {
    .name = "queue",
    .enter = queue_enter,
    .event = queue_event,
    .update = queue_update,
    .draw = queue_draw,
    .leave = queue_leave,
};
