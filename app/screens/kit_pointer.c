/* kit_pointer: touch and mouse as one pointer, hit regions, press and
 * release, drag to scroll with inertia. A finger that moves more than the
 * slop is scrolling, not pressing: the press is cancelled, so a resident who
 * scrolls a long page never opens what their finger started on. Keeps no
 * state outside the kit_ui and kit_scroll it is handed. */
#include "app/screens/kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Inertia: the fling's speed decays by this factor every 16 ms and stops
 * below STOP_SPEED px/ms. A finger that rested longer than FLING_IDLE_MS
 * before lifting was not flinging. */
#define FRICTION      0.94f
#define STOP_SPEED    0.03f
#define FLING_MIN     0.25f
#define FLING_IDLE_MS 80
#define FRAME_MS      16

kit_pointer kit_pointer_from_event(const screen_ctx *ctx, const SDL_Event *ev)
{
    kit_pointer p = {KIT_POINTER_NONE, 0, 0};
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
        p.kind = ev->type == SDL_FINGERDOWN ? KIT_POINTER_DOWN
                 : ev->type == SDL_FINGERUP ? KIT_POINTER_UP
                                            : KIT_POINTER_MOVE;
        p.x = (int)lroundf(ev->tfinger.x * (float)ctx->width);
        p.y = (int)lroundf(ev->tfinger.y * (float)ctx->height);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* SDL copies every touch as a mouse event too: count it once. */
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            break;
        p.kind = ev->type == SDL_MOUSEBUTTONDOWN ? KIT_POINTER_DOWN : KIT_POINTER_UP;
        p.x = ev->button.x;
        p.y = ev->button.y;
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !(ev->motion.state & SDL_BUTTON_LMASK))
            break;
        p.kind = KIT_POINTER_MOVE;
        p.x = ev->motion.x;
        p.y = ev->motion.y;
        break;
    default:
        break;
    }
    return p;
}

void kit_ui_init(kit_ui *ui)
{
    memset(ui, 0, sizeof *ui);
    ui->pressed = KIT_NONE;
}

void kit_ui_begin(kit_ui *ui)
{
    ui->n_hits = 0;
    ui->scroll = NULL;
    ui->scroll_rect = (SDL_Rect){0, 0, 0, 0};
}

static void add_hit(kit_ui *ui, SDL_Rect rect, int id, bool in_scroll)
{
    if (ui->n_hits >= KIT_MAX_HITS)
        return; /* the last regions drawn lose; KIT_MAX_HITS is far above any screen */
    ui->hits[ui->n_hits++] = (kit_hit){rect, id, in_scroll};
}

void kit_ui_hit(kit_ui *ui, SDL_Rect rect, int id)
{
    add_hit(ui, rect, id, false);
}

void kit_ui_set_scroll(kit_ui *ui, kit_scroll *scroll, SDL_Rect rect)
{
    ui->scroll = scroll;
    ui->scroll_rect = rect;
}

void kit_ui_hit_scrolled(kit_ui *ui, SDL_Rect content_rect, int id)
{
    add_hit(ui, content_rect, id, true);
}

static bool inside(SDL_Rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static bool picker_id(int id)
{
    return id == KIT_ID_PICKER_CLOSE || (id >= KIT_ID_LANG_PICK && id <= KIT_ID_LANG_PICK_LAST);
}

/* The target under (x, y): the region added last wins (it was drawn on
 * top). While the picker is open only its regions count; its panel (added
 * with KIT_NONE) swallows taps between its buttons. */
static int hit_at(const kit_ui *ui, int x, int y)
{
    for (size_t i = ui->n_hits; i-- > 0;) {
        const kit_hit *h = &ui->hits[i];
        SDL_Rect r = h->rect;
        if (h->in_scroll) {
            if (!ui->scroll || !inside(ui->scroll_rect, x, y))
                continue;
            r.x += ui->scroll_rect.x;
            r.y += ui->scroll_rect.y - ui->scroll->offset;
        }
        if (!inside(r, x, y))
            continue;
        if (ui->picker_open && !picker_id(h->id) && h->id != KIT_NONE)
            continue;
        return h->id;
    }
    return KIT_NONE;
}

static int max_offset(const kit_scroll *s)
{
    int m = s->content_h - s->view_h;
    return m > 0 ? m : 0;
}

/* Moves the scroll by delta px; returns whether it moved. */
static bool scroll_by(kit_scroll *s, float delta)
{
    int old = s->offset;
    long v = lroundf((float)s->offset + delta);
    int top = max_offset(s);
    s->offset = v < 0 ? 0 : v > top ? top : (int)v;
    return s->offset != old;
}

static void invalidate(screen_ctx *ctx)
{
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

static int slop_px(const screen_ctx *ctx)
{
    int s = kit_metrics_get(ctx).target / 3;
    return s > 4 ? s : 4;
}

int kit_ui_event(kit_ui *ui, screen_ctx *ctx, const SDL_Event *ev)
{
    kit_pointer p = kit_pointer_from_event(ctx, ev);
    kit_scroll *sc = ui->picker_open ? NULL : ui->scroll;
    switch (p.kind) {
    case KIT_POINTER_DOWN:
        ui->down = true;
        ui->dragging = false;
        ui->down_x = p.x;
        ui->down_y = ui->last_y = p.y;
        ui->pressed = hit_at(ui, p.x, p.y);
        if (sc) {
            sc->velocity = 0.0f; /* a finger on a moving page stops it */
            sc->last_ms = ctx->now_ms;
        }
        invalidate(ctx);
        return KIT_NONE;
    case KIT_POINTER_MOVE: {
        if (!ui->down)
            return KIT_NONE;
        if (!ui->dragging &&
            (abs(p.x - ui->down_x) > slop_px(ctx) || abs(p.y - ui->down_y) > slop_px(ctx))) {
            ui->dragging = true;
            ui->pressed = KIT_NONE;
            ui->last_y = ui->down_y; /* the page follows the finger from where it landed */
            invalidate(ctx);
        }
        if (ui->dragging && sc && inside(ui->scroll_rect, ui->down_x, ui->down_y)) {
            float delta = (float)(ui->last_y - p.y);
            int64_t dt = ctx->now_ms - sc->last_ms;
            float v = dt > 0 ? delta / (float)dt : delta / (float)FRAME_MS;
            /* Smoothed, so one jittery sample does not decide the fling. */
            sc->velocity = 0.5f * sc->velocity + 0.5f * v;
            sc->last_ms = ctx->now_ms;
            if (scroll_by(sc, delta))
                invalidate(ctx);
        }
        ui->last_y = p.y;
        return KIT_NONE;
    }
    case KIT_POINTER_UP: {
        if (!ui->down)
            return KIT_NONE;
        int id = KIT_NONE;
        if (!ui->dragging && ui->pressed != KIT_NONE && hit_at(ui, p.x, p.y) == ui->pressed)
            id = ui->pressed;
        if (sc) {
            bool fling = ui->dragging && fabsf(sc->velocity) >= FLING_MIN &&
                         ctx->now_ms - sc->last_ms <= FLING_IDLE_MS;
            if (!fling)
                sc->velocity = 0.0f;
            sc->last_ms = ctx->now_ms;
            if (fling && ctx->frame)
                ui_frame_wake_in(ctx->frame, FRAME_MS);
        }
        ui->down = false;
        ui->dragging = false;
        ui->pressed = KIT_NONE;
        invalidate(ctx);
        return id;
    }
    default:
        return KIT_NONE;
    }
}

void kit_ui_update(kit_ui *ui, screen_ctx *ctx)
{
    kit_scroll *sc = ui->scroll;
    if (!sc || ui->down || sc->velocity == 0.0f)
        return;
    int64_t dt = ctx->now_ms - sc->last_ms;
    if (dt <= 0) {
        if (ctx->frame)
            ui_frame_wake_in(ctx->frame, FRAME_MS);
        return;
    }
    if (dt > 200)
        dt = 200; /* a stalled loop must not throw the page to its end */
    bool moved = scroll_by(sc, sc->velocity * (float)dt);
    sc->velocity *= powf(FRICTION, (float)dt / (float)FRAME_MS);
    sc->last_ms = ctx->now_ms;
    if (!moved || fabsf(sc->velocity) < STOP_SPEED)
        sc->velocity = 0.0f;
    if (moved)
        invalidate(ctx);
    if (sc->velocity != 0.0f && ctx->frame)
        ui_frame_wake_in(ctx->frame, FRAME_MS);
}

bool kit_ui_pressed(const kit_ui *ui, int id)
{
    return ui->down && !ui->dragging && ui->pressed == id && id != KIT_NONE;
}
