/* staff: the hidden gesture, what both staff screens share (header, idle
 * close), and the status page (see staff.h). The page shows a report main
 * fills (screen_staff.status); it never reads the network, the store or the
 * system itself, and its buttons do nothing but call main's callbacks. */
#include "app/screens/staff.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "app/screens/kit.h"
#include "app/screens/kit_draw.h"
#include "app/screens/signage.h"
#include "ui/draw.h"

/* ---- the gesture ---- */

SDL_Rect staff_corner(const screen_ctx *ctx)
{
    kit_metrics m = kit_metrics_get(ctx);
    return (SDL_Rect){0, 0, m.target, m.target};
}

static bool in_corner(const screen_ctx *ctx, int x, int y)
{
    SDL_Rect c = staff_corner(ctx);
    SDL_Point p = {x, y};
    return SDL_PointInRect(&p, &c);
}

/* Moved further than a third of a target: a drag, not a hold. */
static bool moved(const staff_gesture *g, const screen_ctx *ctx, int x, int y)
{
    int slop = kit_metrics_get(ctx).target / 3;
    return abs(x - g->x0) > slop || abs(y - g->y0) > slop || !in_corner(ctx, x, y);
}

static void begin(staff_gesture *g, const screen_ctx *ctx, bool mouse, SDL_FingerID f, int x, int y)
{
    g->armed = in_corner(ctx, x, y);
    g->mouse = mouse;
    g->finger = f;
    g->since_ms = ctx->now_ms;
    g->x0 = x;
    g->y0 = y;
}

void staff_gesture_event(staff_gesture *g, const screen_ctx *ctx, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_FINGERDOWN: {
        g->fingers++;
        int x = (int)(ev->tfinger.x * (float)ctx->width),
            y = (int)(ev->tfinger.y * (float)ctx->height);
        if (g->fingers == 1)
            begin(g, ctx, false, ev->tfinger.fingerId, x, y);
        else
            g->armed = false; /* a second finger: not the gesture */
        break;
    }
    case SDL_FINGERMOTION:
        if (g->armed && !g->mouse && ev->tfinger.fingerId == g->finger &&
            moved(g, ctx, (int)(ev->tfinger.x * (float)ctx->width),
                  (int)(ev->tfinger.y * (float)ctx->height)))
            g->armed = false;
        break;
    case SDL_FINGERUP:
        if (g->fingers > 0)
            g->fingers--;
        if (!g->mouse)
            g->armed = false;
        break;
    case SDL_MOUSEBUTTONDOWN:
        /* Touches also arrive as synthesised mouse events: those are the
         * finger's, already followed. */
        if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT &&
            g->fingers == 0)
            begin(g, ctx, true, 0, ev->button.x, ev->button.y);
        break;
    case SDL_MOUSEMOTION:
        if (g->armed && g->mouse && ev->motion.which != SDL_TOUCH_MOUSEID &&
            moved(g, ctx, ev->motion.x, ev->motion.y))
            g->armed = false;
        break;
    case SDL_MOUSEBUTTONUP:
        if (g->mouse && ev->button.which != SDL_TOUCH_MOUSEID)
            g->armed = false;
        break;
    default:
        break;
    }
}

bool staff_gesture_due(staff_gesture *g, screen_ctx *ctx)
{
    if (!g->armed)
        return false;
    int64_t held = ctx->now_ms - g->since_ms;
    if (held >= STAFF_HOLD_MS) {
        g->armed = false;
        return true;
    }
    if (ctx->frame)
        ui_frame_wake_in(ctx->frame, (uint32_t)(STAFF_HOLD_MS - held));
    return false;
}

bool staff_screen(const screen_ops *ops)
{
    return ops == &staff_pin_screen_ops || ops == &staff_status_screen_ops;
}

/* ---- shared by both screens ---- */

void staff_close(screen_ctx *ctx)
{
    if (ctx->staff)
        ctx->staff->unlocked = false;
    screen_session *s = ctx->session;
    const screen_ops *to = s && s->idle_screen ? s->idle_screen
                           : ctx->touch        ? &home_screen_ops
                                               : &signage_screen_ops;
    if (s) {
        screen_session_reset(s);
        ctx->lang = model_lang_code(s->lang);
    }
    screen_go(ctx, to);
}

bool staff_idle(screen_ctx *ctx)
{
    const screen_session *s = ctx->session;
    if (!s)
        return false;
    int64_t limit = s->idle_ms ? (int64_t)s->idle_ms : STAFF_IDLE_MS;
    int64_t idle = ctx->now_ms - s->last_input_ms;
    if (idle >= limit)
        return true;
    if (ctx->frame)
        ui_frame_wake_in(ctx->frame, (uint32_t)(limit - idle));
    return false;
}

static model_lang lang_of(const screen_ctx *ctx)
{
    return ctx->session ? ctx->session->lang : MODEL_LANG_JA;
}

int staff_header_height(const screen_ctx *ctx)
{
    return kit_metrics_get(ctx).title_px * 2;
}

SDL_Rect staff_header(screen_ctx *ctx, const char *title, const char *right)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    int h = staff_header_height(ctx);
    ui_draw_fill_rect(ctx->renderer, (SDL_Rect){0, 0, ctx->width, h}, t->band);
    int pad = m.gap * 2, w = ctx->width - 2 * pad;
    text_style st = kit_style(ctx, lang_of(ctx), m.title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1);
    const text_layout *l = kit_layout(ctx, title, &st, w * 6 / 10);
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, pad, (h - text_layout_height(l)) / 2, t->band_ink);
    if (right && *right) {
        st = kit_style(ctx, MODEL_LANG_JA, m.small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_RIGHT, 1);
        st.markup = false;
        l = kit_layout(ctx, right, &st, w * 4 / 10 - m.gap);
        if (l && ctx->atlas)
            text_atlas_draw(ctx->atlas, l, pad + w * 6 / 10 + m.gap,
                            (h - text_layout_height(l)) / 2, t->band_ink);
    }
    return (SDL_Rect){0, h, ctx->width, ctx->height - h};
}

/* ---- the status page ---- */

typedef struct page {
    kit_ui ui;
    status_report report;
    int64_t refreshed_ms;
    int64_t restart_armed_ms; /* ctx->now_ms of the first press; 0: not armed */
    int64_t sync_pressed_ms;  /* "sync started" shows a while after; 0: never */
} page;

static void refresh(page *p, screen_ctx *ctx)
{
    memset(&p->report, 0, sizeof p->report);
    p->report.disk_free_bytes = p->report.disk_total_bytes = -1;
    if (ctx->staff && ctx->staff->status)
        ctx->staff->status(ctx->staff->user, &p->report);
    p->refreshed_ms = ctx->now_ms;
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

/* fmt with its one %d replaced by n (a catalog string: never a printf format). */
static void put_number(char *buf, size_t cap, const char *fmt, long long n)
{
    const char *at = strstr(fmt, "%d");
    if (!at)
        snprintf(buf, cap, "%s", fmt);
    else
        snprintf(buf, cap, "%.*s%lld%s", (int)(at - fmt), fmt, n, at + 2);
}

static int64_t now_sec(const screen_ctx *ctx)
{
    return ctx->clock ? clock_now(ctx->clock).sec : 0;
}

/* "2026-11-24 10:03 (3分前)" in the pack's zone. */
static void when(const screen_ctx *ctx, int64_t at, char *buf, size_t cap)
{
    struct tm tm;
    const char *tz = ctx->tz ? ctx->tz : ctx->pack ? ctx->pack->timezone : NULL;
    char stamp[40] = "?";
    if (clock_to_local(at, tz, &tm) == 0)
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M", &tm);
    int64_t ago = now_sec(ctx) - at;
    ago = ago > 0 ? ago : 0;
    char rel[64];
    if (ago < 60)
        put_number(rel, sizeof rel, kit_str(ctx, "staff.ago_s"), ago);
    else if (ago < 3600)
        put_number(rel, sizeof rel, kit_str(ctx, "staff.ago_min"), ago / 60);
    else if (ago < 86400)
        put_number(rel, sizeof rel, kit_str(ctx, "staff.ago_h"), ago / 3600);
    else
        put_number(rel, sizeof rel, kit_str(ctx, "staff.ago_d"), ago / 86400);
    snprintf(buf, cap, "%s (%s)", stamp, rel);
}

static void bytes_text(int64_t b, char *buf, size_t cap)
{
    if (b < 0)
        snprintf(buf, cap, "?");
    else if (b >= (int64_t)1 << 30)
        snprintf(buf, cap, "%.1f GB", (double)b / (double)((int64_t)1 << 30));
    else
        snprintf(buf, cap, "%.0f MB", (double)b / (double)(1 << 20));
}

/* One row: a label (catalog key) and up to max_lines of value, or several
 * one-line values. Returns the height drawn. */
typedef struct column {
    int x, y, w, label_w, px, gap;
} column;

static int row(screen_ctx *ctx, column *c, const char *key, const char *const *values, size_t n,
               bool warn, int max_lines)
{
    const kit_theme *t = kit_theme_get();
    text_style ls = kit_style(ctx, lang_of(ctx), c->px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 2);
    int h = kit_text(ctx, kit_str(ctx, key), &ls, c->x, c->y, c->label_w - c->gap, t->muted);
    int vy = c->y;
    for (size_t i = 0; i < n; i++) {
        text_style vs =
            kit_style(ctx, MODEL_LANG_JA, c->px, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, max_lines);
        vs.markup = false; /* error texts and names are not furigana markup */
        vs.ruby = false;
        vy += kit_text(ctx, values[i], &vs, c->x + c->label_w, vy, c->w - c->label_w,
                       warn && i == n - 1 ? t->warn_ink : t->ink);
    }
    h = vy - c->y > h ? vy - c->y : h;
    c->y += h + c->gap / 2;
    return h;
}

/* A feed's row: when its board arrived, and why it fails (on its own
 * line, in the warning colour). */
static void feed_row(screen_ctx *ctx, column *c, const char *key, const status_feed *f)
{
    char w[96], why[HUB_FEED_ERROR_MAX + 64];
    const char *v[2] = {w, why};
    if (!f->configured)
        snprintf(w, sizeof w, "%s", kit_str(ctx, "staff.none"));
    else if (f->fetched_at_s > 0)
        when(ctx, f->fetched_at_s, w, sizeof w);
    else
        snprintf(w, sizeof w, "%s", kit_str(ctx, "staff.never"));
    snprintf(why, sizeof why, "%s: %s", kit_str(ctx, "staff.failing"), f->error);
    bool failing = f->configured && f->failing;
    row(ctx, c, key, v, failing ? 2 : 1, failing, 2);
}

static void draw_facts(screen_ctx *ctx, const page *p, column *c)
{
    const status_report *r = &p->report;
    char a[320], b[LOG_MESSAGE_MAX + 96];
    const char *v[2];
    v[0] = r->kiosk_id;
    row(ctx, c, "staff.kiosk", v, 1, false, 1);
    snprintf(a, sizeof a, "hiroba %s", r->version);
    v[0] = a;
    row(ctx, c, "staff.software", v, 1, false, 1);
    if (r->pack_version > 0) {
        char w[96];
        when(ctx, r->pack_issued_s, w, sizeof w);
        snprintf(a, sizeof a, "%s  v%" PRId64 "  %s", r->channel, r->pack_version, w);
    } else {
        snprintf(a, sizeof a, "%s  %s", r->channel, kit_str(ctx, "staff.none"));
    }
    v[0] = a;
    row(ctx, c, "staff.pack", v, 1, false, 1);
    if (r->have_sync) {
        when(ctx, r->sync_at_s, a, sizeof a);
        v[0] = a;
        v[1] = r->sync_result;
        row(ctx, c, "staff.sync", v, 2, !r->sync_ok, 2);
    } else {
        v[0] = kit_str(ctx, "staff.never");
        row(ctx, c, "staff.sync", v, 1, false, 2);
    }
    feed_row(ctx, c, "staff.queue", &r->queue);
    feed_row(ctx, c, "staff.vacancy", &r->vacancy);
    if (r->alerts_live) {
        snprintf(b, sizeof b, "%s (%zu): %s",
                 kit_str(ctx, r->alert_takeover ? "staff.takeover" : "staff.banner"),
                 r->alerts_live, r->alert_headline);
        v[0] = b;
    } else {
        v[0] = kit_str(ctx, "staff.none");
    }
    row(ctx, c, "staff.alerts", v, 1, r->alerts_live > 0, 2);
}

static void draw_system(screen_ctx *ctx, const page *p, column *c)
{
    const status_report *r = &p->report;
    const char *v[STATUS_ERRORS_MAX > STATUS_ADDRS_MAX ? STATUS_ERRORS_MAX : STATUS_ADDRS_MAX];
    for (size_t i = 0; i < r->n_addrs; i++)
        v[i] = r->addrs[i];
    if (!r->n_addrs)
        v[0] = kit_str(ctx, "staff.none");
    row(ctx, c, "staff.network", v, r->n_addrs ? r->n_addrs : 1, false, 1);
    char free_b[32], total_b[32], disk[80];
    bytes_text(r->disk_free_bytes, free_b, sizeof free_b);
    bytes_text(r->disk_total_bytes, total_b, sizeof total_b);
    snprintf(disk, sizeof disk, "%s / %s", free_b, total_b);
    v[0] = disk;
    row(ctx, c, "staff.disk", v, 1, false, 1);
    char lines[STATUS_ERRORS_MAX][LOG_MESSAGE_MAX + LOG_MODULE_MAX + 48];
    for (size_t i = 0; i < r->n_problems; i++) {
        const status_problem *pr = &r->problems[i];
        struct tm tm;
        char stamp[24] = "?";
        const char *tz = ctx->tz ? ctx->tz : ctx->pack ? ctx->pack->timezone : NULL;
        if (clock_to_local(pr->at_s, tz, &tm) == 0)
            strftime(stamp, sizeof stamp, "%m-%d %H:%M", &tm);
        if (pr->count > 1)
            snprintf(lines[i], sizeof lines[i], "%s %s ×%" PRIu32 ": %s", stamp, pr->source,
                     pr->count, pr->text);
        else
            snprintf(lines[i], sizeof lines[i], "%s %s: %s", stamp, pr->source, pr->text);
        v[i] = lines[i];
    }
    if (!r->n_problems)
        v[0] = kit_str(ctx, "staff.none");
    row(ctx, c, "staff.problems", v, r->n_problems ? r->n_problems : 1, false, 2);
}

/* The bar of buttons along the bottom. */
static int bar_height(const kit_metrics *m)
{
    return m->target + 2 * m->gap;
}

SDL_Rect staff_status_button_rect(const screen_ctx *ctx, int button)
{
    kit_metrics m = kit_metrics_get(ctx);
    int pad = m.gap * 2, w = ctx->width - 2 * pad, bw = (w - 2 * m.gap) / 3;
    int y = ctx->height - bar_height(&m) + m.gap;
    return (SDL_Rect){pad + button * (bw + m.gap), y, bw, m.target};
}

static void page_draw(void *self, screen_ctx *ctx)
{
    page *p = self;
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    kit_ui_begin(&p->ui);
    ui_draw_clear(ctx->renderer, t->paper);
    SDL_Rect area = staff_header(ctx, kit_str(ctx, "staff.title"), p->report.kiosk_id);
    int pad = m.gap * 2;
    int bar_h = bar_height(&m);
    SDL_Rect body = {pad, area.y + m.gap, ctx->width - 2 * pad, area.h - bar_h - m.gap};
    bool two = body.w > body.h;
    int px = m.small_px * 115 / 100;
    column c1 = {
        .x = body.x, .y = body.y, .w = two ? (body.w - pad) / 2 : body.w, .px = px, .gap = m.gap};
    c1.label_w = c1.w * 28 / 100;
    draw_facts(ctx, p, &c1);
    column c2 = c1;
    if (two) {
        c2.x = body.x + c1.w + pad;
        c2.y = body.y;
    }
    draw_system(ctx, p, &c2);
    /* The buttons, along the bottom. */
    ui_draw_hline(ctx->renderer, 0, ctx->height - bar_h, ctx->width, 2, t->tile_edge);
    bool confirm = p->restart_armed_ms && ctx->now_ms - p->restart_armed_ms < STAFF_CONFIRM_MS;
    bool synced = p->sync_pressed_ms && ctx->now_ms - p->sync_pressed_ms < STAFF_CONFIRM_MS;
    model_lang l = lang_of(ctx);
    kit_button(ctx, &p->ui, STAFF_BTN_SYNC, staff_status_button_rect(ctx, STAFF_BTN_SYNC),
               kit_str(ctx, synced ? "staff.sync_started" : "staff.sync_now"), l,
               synced ? KIT_BUTTON_SWITCH_ON : KIT_BUTTON, NULL);
    kit_button(ctx, &p->ui, STAFF_BTN_RESTART, staff_status_button_rect(ctx, STAFF_BTN_RESTART),
               kit_str(ctx, confirm ? "staff.restart_confirm" : "staff.restart"), l,
               confirm ? KIT_BUTTON_SWITCH_ON : KIT_BUTTON, NULL);
    kit_button(ctx, &p->ui, STAFF_BTN_CLOSE, staff_status_button_rect(ctx, STAFF_BTN_CLOSE),
               kit_str(ctx, "staff.close"), l, KIT_BUTTON, NULL);
}

static bool page_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    page *p = self;
    int id = kit_ui_event(&p->ui, ctx, ev);
    screen_staff *st = ctx->staff;
    switch (id) {
    case STAFF_BTN_SYNC:
        LOG_INFO("staff", "sync now (staff view)");
        if (st && st->sync_now)
            st->sync_now(st->user);
        p->sync_pressed_ms = ctx->now_ms;
        break;
    case STAFF_BTN_RESTART:
        /* Two presses: a restart blanks the screen for a few seconds. */
        if (p->restart_armed_ms && ctx->now_ms - p->restart_armed_ms < STAFF_CONFIRM_MS) {
            LOG_WARN("staff", "restart requested from the staff view");
            p->restart_armed_ms = 0;
            if (st && st->restart)
                st->restart(st->user);
        } else {
            p->restart_armed_ms = ctx->now_ms;
        }
        break;
    case STAFF_BTN_CLOSE:
        staff_close(ctx);
        break;
    default:
        return kit_pointer_from_event(ctx, ev).kind != KIT_POINTER_NONE;
    }
    if (ctx->frame) {
        ui_frame_invalidate(ctx->frame);
        ui_frame_wake_in(ctx->frame, STAFF_CONFIRM_MS); /* the labels go back */
    }
    return true;
}

static void page_update(void *self, screen_ctx *ctx)
{
    page *p = self;
    kit_ui_update(&p->ui, ctx);
    if (staff_idle(ctx)) {
        LOG_INFO("staff", "staff view closed (idle)");
        staff_close(ctx);
        return;
    }
    if (ctx->now_ms - p->refreshed_ms >= STAFF_REFRESH_MS)
        refresh(p, ctx);
    else if (ctx->frame)
        ui_frame_wake_in(ctx->frame,
                         (uint32_t)(STAFF_REFRESH_MS - (ctx->now_ms - p->refreshed_ms)));
}

static void *page_enter(screen_ctx *ctx)
{
    if (!ctx->staff || !ctx->staff->unlocked) {
        LOG_WARN("staff", "the status page is only reachable through the PIN pad");
        return NULL;
    }
    page *p = calloc(1, sizeof *p);
    if (!p) {
        LOG_ERROR("staff", "out of memory");
        return NULL;
    }
    kit_ui_init(&p->ui);
    refresh(p, ctx);
    return p;
}

static void page_leave(void *self, screen_ctx *ctx)
{
    if (ctx->staff)
        ctx->staff->unlocked = false;
    free(self);
}

const screen_ops staff_status_screen_ops = {
    .name = "staff-status",
    .enter = page_enter,
    .event = page_event,
    .update = page_update,
    .draw = page_draw,
    .leave = page_leave,
};
