/* screen: the router holding the current screen, and the resident's
 * session on a touch kiosk: it applies screens' requests to go elsewhere,
 * notes every input, and after the idle time puts the kiosk back as the next
 * resident should find it (language, text size, idle screen). Never knows
 * what a screen draws; the names table is the only list of screens.
 * Emergency alerts (alert.h) are drawn here, over every screen: a
 * full-screen alert replaces the screen's picture and takes its events,
 * interrupts the session and holds the shared video player until it ends;
 * a banner is drawn over the screen's top.
 * The appliance's part (issue 7): outside the pack's screen hours the
 * screen is dark (hours.h), and the staff view's hidden gesture is watched
 * for here (staff.h), before any screen sees an event. */
#include "app/screens/screen.h"

#include <stdlib.h>
#include <string.h>

#include "app/core/hours.h"
#include "app/core/log.h"
#include "app/screens/alert.h"
#include "app/screens/staff.h"
#include "app/screens/signage.h"
#include "ui/draw.h"

struct screen_router {
    screen_ctx *ctx;
    const screen_ops *ops;
    void *state;
    int64_t drawn_minute; /* the wall-clock minute of the last draw; -1: none */
    alert_overlay *alert;
    bool takeover;                 /* a full-screen alert showed at the last update */
    bool takeover_known;           /* takeover is meaningful (an update ran) */
    bool video_held;               /* the router muted (and maybe paused) the video for an alert */
    bool video_resume;             /* ... and paused a clip that was playing: play it afterwards */
    bool video_muted;              /* the player's mute before the alert */
    bool dark;                     /* outside the screen hours: no screen entered */
    const screen_ops *dark_return; /* the screen left when it went dark */
    staff_gesture gesture;         /* the staff view's hidden gesture */
};

static void hold_video(screen_router *r, bool covering);

screen_router *screen_router_create(screen_ctx *ctx)
{
    screen_router *r = calloc(1, sizeof *r);
    if (!r) {
        LOG_ERROR("screen", "out of memory");
        return NULL;
    }
    r->ctx = ctx;
    r->drawn_minute = -1;
    r->alert = alert_overlay_create();
    if (!r->alert) {
        free(r);
        return NULL;
    }
    return r;
}

void screen_router_destroy(screen_router *r)
{
    if (!r)
        return;
    if (r->ops && r->ops->leave)
        r->ops->leave(r->state, r->ctx);
    alert_overlay_destroy(r->alert);
    free(r);
}

int screen_router_switch(screen_router *r, const screen_ops *ops)
{
    /* Leave first, then enter: screens share one video player and one
     * session, so the old screen must let go of them (stop its clip) before
     * the new one takes them (opens a clip in enter). */
    const screen_ops *old = r->ops;
    if (old && old->leave)
        old->leave(r->state, r->ctx);
    r->ops = NULL;
    r->state = NULL;
    void *state = ops->enter ? ops->enter(r->ctx) : NULL;
    if (ops->enter && !state) {
        LOG_ERROR("screen", "cannot enter %s; back to %s", ops->name, old ? old->name : "(none)");
        if (old) {
            void *again = old->enter ? old->enter(r->ctx) : NULL;
            if (!old->enter || again) {
                r->ops = old;
                r->state = again;
            }
        }
        if (r->ctx->frame)
            ui_frame_invalidate(r->ctx->frame);
        return -1;
    }
    r->ops = ops;
    r->state = state;
    if (r->video_held) /* a clip the new screen started must not play under an alert */
        hold_video(r, true);
    LOG_DEBUG("screen", "now showing %s", ops->name);
    if (r->ctx->frame)
        ui_frame_invalidate(r->ctx->frame);
    return 0;
}

const char *screen_router_current(const screen_router *r)
{
    return r->ops ? r->ops->name : r->dark ? "dark" : NULL;
}

/* Touches, clicks, drags, wheels and keys: what a resident does. Mouse
 * motion counts only with a button down (a mouse resting on a desktop
 * preview is nobody). */
static bool is_input(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEWHEEL:
    case SDL_KEYDOWN:
    case SDL_KEYUP:
    case SDL_TEXTINPUT:
        return true;
    case SDL_MOUSEMOTION:
        return ev->motion.state != 0;
    default:
        return false;
    }
}

bool screen_router_event(screen_router *r, const SDL_Event *ev)
{
    if (r->ctx->session && is_input(ev))
        r->ctx->session->last_input_ms = r->ctx->now_ms;
    /* Dark outside the screen hours: an input only wakes the screen (at the
     * next update); nothing was showing to be touched. */
    if (r->dark)
        return is_input(ev);
    if (r->ctx->staff)
        staff_gesture_event(&r->gesture, r->ctx, ev);
    /* An alert over the whole screen takes every event (the screen gets
     * none); a banner takes the touches that land on it. */
    if (alert_overlay_covers(r->alert, r->ctx))
        return alert_overlay_event(r->alert, r->ctx, ev);
    if (alert_overlay_event(r->alert, r->ctx, ev))
        return true;
    if (!r->ops || !r->ops->event)
        return false;
    return r->ops->event(r->state, r->ctx, ev);
}

/* The session as a new resident finds it, on the idle screen. */
static bool session_is_default(const screen_router *r)
{
    const screen_session *s = r->ctx->session;
    return r->ops == s->idle_screen && s->lang == s->default_lang &&
           s->furigana == s->default_furigana && !s->large_text && !s->category[0] && !s->page[0] &&
           s->vacancy_day == 0;
}

static void apply_request(screen_router *r)
{
    screen_session *s = r->ctx->session;
    const screen_ops *to = s->request;
    s->request = NULL;
    if (!to || to == r->ops)
        return;
    /* The staff view is not a resident's use of the kiosk. */
    if (screen_router_switch(r, to) == 0 && !staff_screen(to))
        screen_count(r->ctx, to->name, NULL);
}

/* Idle: back to the defaults and the idle screen, once. */
static void check_idle(screen_router *r)
{
    screen_ctx *ctx = r->ctx;
    screen_session *s = ctx->session;
    if (!s->idle_ms || !s->idle_screen || session_is_default(r))
        return;
    int64_t idle = ctx->now_ms - s->last_input_ms;
    if (idle < (int64_t)s->idle_ms) {
        if (ctx->frame) /* wake the loop when the time is up, even with no input */
            ui_frame_wake_in(ctx->frame, (uint32_t)((int64_t)s->idle_ms - idle));
        return;
    }
    LOG_INFO("screen", "idle for %lld ms: back to %s", (long long)idle, s->idle_screen->name);
    screen_session_reset(s);
    ctx->lang = model_lang_code(s->lang);
    /* Entered afresh even when it is the current screen: its own state
     * (a scroll, an open picker) belongs to the resident who left. */
    if (screen_router_switch(r, s->idle_screen) != 0)
        s->last_input_ms = ctx->now_ms; /* try again after another idle period */
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

/* The clock in the chrome: redraw when the minute turns, and sleep until then. */
static void tick_minute(screen_router *r)
{
    screen_ctx *ctx = r->ctx;
    if (!ctx->clock || !ctx->frame || r->drawn_minute < 0 || clock_is_frozen(ctx->clock))
        return; /* a frozen clock never turns a minute: sleep */
    clock_time now = clock_now(ctx->clock);
    if (now.sec / 60 != r->drawn_minute) {
        ui_frame_invalidate(ctx->frame);
        return;
    }
    int64_t ms = (60 - now.sec % 60) * 1000 - now.ms;
    ui_frame_wake_in(ctx->frame, (uint32_t)(ms > 0 ? ms : 1));
}

/* A takeover begins or ends. Beginning interrupts a touch session: its
 * place, text size and readings go back to the defaults and the idle screen
 * is entered afresh behind the alert, so the next resident finds the kiosk
 * as new when the alert ends. The language is kept: whoever stands at the
 * kiosk reads the alert in the language they were reading (the idle reset
 * returns it to the default later, as it always does). An alert already
 * showing when the router starts interrupts nothing. */
static void follow_takeover(screen_router *r)
{
    screen_ctx *ctx = r->ctx;
    bool now = alert_overlay_takeover(ctx);
    bool was = r->takeover, known = r->takeover_known;
    r->takeover = now;
    r->takeover_known = true;
    if (now == was || !known) {
        if (!known && now)
            alert_overlay_reset(r->alert);
        return;
    }
    alert_overlay_reset(r->alert);
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
    screen_session *s = ctx->session;
    if (!now || !ctx->touch || !s)
        return;
    LOG_INFO("screen", "alert takes over the screen: session interrupted");
    model_lang lang = s->lang;
    screen_session_reset(s);
    s->lang = lang;
    s->request = NULL;
    if (s->idle_screen)
        screen_router_switch(r, s->idle_screen);
}

/* While an alert covers the screen the shared player stays muted and
 * paused, whatever the screen asks of it (checked after the screen's
 * update, so a clip it started this turn never plays on); afterwards a clip
 * the router paused plays on and the mute is put back. */
static void hold_video(screen_router *r, bool covering)
{
    ui_video *v = r->ctx->video;
    if (!v)
        return;
    if (covering) {
        if (!r->video_held) {
            r->video_held = true;
            r->video_resume = false;
            r->video_muted = ui_video_is_muted(v);
        }
        ui_video_set_muted(v, true);
        enum ui_video_state st = ui_video_state(v);
        if ((st == UI_VIDEO_PLAYING || st == UI_VIDEO_OPENING) && ui_video_pause(v) == 0)
            r->video_resume = true;
        return;
    }
    if (!r->video_held)
        return;
    r->video_held = false;
    if (r->video_resume && ui_video_state(v) == UI_VIDEO_PAUSED)
        ui_video_play(v);
    r->video_resume = false;
    ui_video_set_muted(v, r->video_muted);
    if (r->ctx->frame)
        ui_frame_invalidate(r->ctx->frame);
}

/* Screen hours (hours.h): outside them the current screen is left (its
 * video stops, nothing animates, nothing redraws: one black frame), and the
 * idle screen is entered afresh, session reset, when the hours begin, an
 * alert arrives or a touch wakes it. Returns true while dark. */
static bool follow_hours(screen_router *r)
{
    screen_ctx *ctx = r->ctx;
    const model_pack *p = ctx->pack;
    if (!r->dark && (!p || !p->screen_hours.set))
        return false;
    screen_session *s = ctx->session;
    hours_input in = {
        .hours = p ? &p->screen_hours : NULL,
        .zone = p ? p->zone : NULL,
        .epoch_s = ctx->clock ? clock_now(ctx->clock).sec : 0,
        .alert_live = ctx->alerts && alerts_snapshot_top(ctx->alerts, ctx->now_ms),
        .since_input_ms = s ? ctx->now_ms - s->last_input_ms : -1,
        .wake_ms = s && s->idle_ms ? s->idle_ms : STAFF_IDLE_MS,
    };
    hours_decision d = hours_decide(&in);
    /* At least once a minute: the wall clock may be set meanwhile (a Pi
     * without a real-time clock, synchronised after boot). */
    if (ctx->frame && d.recheck_ms != HOURS_NEVER)
        ui_frame_wake_in(ctx->frame, (uint32_t)(d.recheck_ms < 60000 ? d.recheck_ms : 60000));
    if (d.dark == r->dark)
        return r->dark;
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
    if (d.dark) {
        LOG_INFO("screen", "outside the screen hours: the screen goes dark");
        if (r->ops && r->ops->leave)
            r->ops->leave(r->state, ctx);
        r->dark_return = r->ops;
        r->ops = NULL;
        r->state = NULL;
        r->dark = true;
        r->gesture.armed = false;
        return true;
    }
    LOG_INFO("screen", "the screen wakes: %s",
             d.inside        ? "screen hours"
             : in.alert_live ? "an alert"
                             : "a touch");
    r->dark = false;
    const screen_ops *to = s && s->idle_screen ? s->idle_screen : r->dark_return;
    if (s) {
        screen_session_reset(s);
        s->request = NULL;
        ctx->lang = model_lang_code(s->lang);
    }
    if (to)
        screen_router_switch(r, to);
    return false;
}

/* The staff view's gesture completed: the PIN pad, when a PIN is set. */
static void follow_staff(screen_router *r)
{
    screen_ctx *ctx = r->ctx;
    if (!ctx->staff || !staff_gesture_due(&r->gesture, ctx) || staff_screen(r->ops))
        return;
    if (!staff_pin_valid(ctx->staff->pin)) {
        LOG_INFO("screen", "staff gesture, but no staff_pin is set: no staff view");
        return;
    }
    if (ctx->session)
        ctx->session->request = NULL;
    screen_router_switch(r, &staff_pin_screen_ops);
}

void screen_router_update(screen_router *r)
{
    if (follow_hours(r))
        return; /* dark: no screen to update, nothing to tick */
    if (r->ctx->session) {
        apply_request(r);
        check_idle(r);
    }
    follow_staff(r);
    follow_takeover(r);
    alert_overlay_update(r->alert, r->ctx);
    bool covering = alert_overlay_covers(r->alert, r->ctx);
    r->ctx->alert_covering = covering;
    if (r->ops && r->ops->update)
        r->ops->update(r->state, r->ctx);
    hold_video(r, covering);
    tick_minute(r);
}

void screen_router_draw(screen_router *r)
{
    /* A clip left by the last frame (the language picker's) must not hide this one. */
    SDL_RenderSetClipRect(r->ctx->renderer, NULL);
    if (r->ctx->clock)
        r->drawn_minute = clock_now(r->ctx->clock).sec / 60;
    /* Decided here as well as in update: the first frame after a start
     * with an active alert shows the alert, even before any update ran. */
    if (alert_overlay_covers(r->alert, r->ctx)) {
        r->ctx->alert_covering = true;
        alert_overlay_draw(r->alert, r->ctx);
        return;
    }
    if (r->ops && r->ops->draw)
        r->ops->draw(r->state, r->ctx);
    else
        ui_draw_clear(r->ctx->renderer, ui_color_hex(0x000000));
    /* A banner goes over the screen's top, above a clip its picker left. */
    SDL_RenderSetClipRect(r->ctx->renderer, NULL);
    alert_overlay_draw(r->alert, r->ctx);
}

/* ---- the session ---- */

void screen_go(screen_ctx *ctx, const screen_ops *ops)
{
    if (ctx->session)
        ctx->session->request = ops;
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame); /* the loop must turn to switch */
}

void screen_count(screen_ctx *ctx, const char *screen, const char *page)
{
    if (!ctx->store || !screen)
        return;
    const char *lang = ctx->lang;
    if (ctx->session)
        lang = model_lang_code(ctx->session->lang);
    int64_t at = ctx->clock ? clock_now(ctx->clock).sec : 0;
    int rc = store_usage_count(ctx->store, at, screen, page ? page : "", lang ? lang : "ja");
    if (rc != 0)
        LOG_WARN("screen", "cannot count %s/%s: %s", screen, page ? page : "", store_strerror(rc));
}

void screen_session_reset(screen_session *s)
{
    s->lang = s->default_lang;
    s->furigana = s->default_furigana;
    s->large_text = false;
    s->category[0] = '\0';
    s->page[0] = '\0';
    s->vacancy_day = 0;
}

void screen_set_lang(screen_ctx *ctx, model_lang lang)
{
    if (lang < 0 || lang >= MODEL_LANG_COUNT)
        return;
    if (ctx->session)
        ctx->session->lang = lang;
    ctx->lang = model_lang_code(lang);
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

const screen_ops *screen_ops_by_name(const char *name)
{
    static const struct {
        const char *name;
        const screen_ops *ops;
    } table[] = {
        {"home", &home_screen_ops},           {"signage", &signage_screen_ops},
        {"queue", &queue_screen_ops},         {"vacancy", &vacancy_screen_ops},
        {"childcare", &childcare_screen_ops}, {"specimen", &specimen_screen_ops},
    };
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].ops;
    return NULL;
}
