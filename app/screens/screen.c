/* screen: the router holding the current screen. Must never know any
 * particular screen: main decides which one to show. */
#include "app/screens/screen.h"

#include <stdlib.h>

#include "app/core/log.h"
#include "ui/draw.h"

struct screen_router {
    screen_ctx *ctx;
    const screen_ops *ops;
    void *state;
};

screen_router *screen_router_create(screen_ctx *ctx)
{
    screen_router *r = calloc(1, sizeof *r);
    if (!r) {
        LOG_ERROR("screen", "out of memory");
        return NULL;
    }
    r->ctx = ctx;
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
    void *state = ops->enter ? ops->enter(r->ctx) : NULL;
    if (ops->enter && !state) {
        LOG_ERROR("screen", "cannot enter %s; staying on %s", ops->name,
                  r->ops ? r->ops->name : "(none)");
        return -1;
    }
    if (r->ops && r->ops->leave)
        r->ops->leave(r->state, r->ctx);
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

bool screen_router_event(screen_router *r, const SDL_Event *ev)
{
    if (!r->ops || !r->ops->event)
        return false;
    return r->ops->event(r->state, r->ctx, ev);
}

void screen_router_update(screen_router *r)
{
    if (r->ops && r->ops->update)
        r->ops->update(r->state, r->ctx);
}

void screen_router_draw(screen_router *r)
{
    if (r->ops && r->ops->draw) {
        r->ops->draw(r->state, r->ctx);
        return;
    }
    ui_draw_clear(r->ctx->renderer, ui_color_hex(0x000000));
}
