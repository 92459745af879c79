/* screen: the router holding the current screen, and the resident's
 * session on a touch kiosk: it applies screens' requests to go elsewhere,
 * notes every input, and after the idle time puts the kiosk back as the next
 * resident should find it (language, text size, idle screen). Never knows
 * what a screen draws; the names table is the only list of screens. */
#include "app/screens/screen.h"

#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "app/screens/signage.h"
#include "ui/draw.h"

struct screen_router {
    screen_ctx *ctx;
    const screen_ops *ops;
    void *state;
    int64_t drawn_minute; /* the wall-clock minute of the last draw; -1: none */
};

screen_router *screen_router_create(screen_ctx *ctx)
{
    screen_router *r = calloc(1, sizeof *r);
    if (!r) {
        LOG_ERROR("screen", "out of memory");
        return NULL;
    }
    r->ctx = ctx;
    r->drawn_minute = -1;
    return r;
}

void screen_router_destroy(screen_router *r)
{
    if (!r)
        return;
    if (r->ops && r->ops->leave)
        r->ops->leave(r->state, r->ctx);
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
    LOG_DEBUG("screen", "now showing %s", ops->name);
    if (r->ctx->frame)
        ui_frame_invalidate(r->ctx->frame);
    return 0;
}

const char *screen_router_current(const screen_router *r)
{
    return r->ops ? r->ops->name : NULL;
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
    if (screen_router_switch(r, to) == 0)
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

void screen_router_update(screen_router *r)
{
    if (r->ctx->session) {
        apply_request(r);
        check_idle(r);
    }
    if (r->ops && r->ops->update)
        r->ops->update(r->state, r->ctx);
    tick_minute(r);
}

void screen_router_draw(screen_router *r)
{
    /* A clip left by the last frame (the language picker's) must not hide this one. */
    SDL_RenderSetClipRect(r->ctx->renderer, NULL);
    if (r->ctx->clock)
        r->drawn_minute = clock_now(r->ctx->clock).sec / 60;
    if (r->ops && r->ops->draw) {
        r->ops->draw(r->state, r->ctx);
        return;
    }
    ui_draw_clear(r->ctx->renderer, ui_color_hex(0x000000));
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
