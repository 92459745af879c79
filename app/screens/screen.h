/* screen: what every screen is (one small vtable) and the router that owns
 * the current one. Screens turn model data into pixels; they never block on
 * the network or on disk, and never keep pointers into another screen. */
#ifndef HIROBA_APP_SCREENS_SCREEN_H
#define HIROBA_APP_SCREENS_SCREEN_H

#include <stdbool.h>

#include <SDL.h>

#include "app/core/clock.h"
#include "app/core/model.h"
#include "app/core/store.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/layout.h"
#include "ui/video.h"
#include "ui/window.h"

/* Everything a screen may use, owned by main and borrowed by screens for the
 * duration of each call (main updates width/height on resize). */
typedef struct screen_ctx {
    SDL_Renderer *renderer;
    int width, height; /* output size in px */
    text_engine *engine;
    text_cache *cache;
    text_atlas *atlas;
    const clock_source *clock;
    const char *lang; /* the resident's language: "ja", "en", ... */
    const char *tz;   /* zone for shown times; NULL: CLOCK_DEFAULT_TZ */
    ui_frame *frame;  /* invalidate when the picture changed; wake_in for a future change */
    /* The active content, NULL while there is none yet. To replace it, main
     * sets the new pack here and frees the old one only after the current
     * screen's next update (screens drop every pointer into an old pack
     * there, without reading it). */
    const model_pack *pack;
    /* Resolves a media file of pack to a local path in buf (the object store
     * on the kiosk, the source folder in preview). Returns 0, or -1 when the
     * file is not available. NULL: no media can be shown. */
    int (*media_path)(void *user, const model_media *m, char *buf, size_t cap);
    void *media_user;
    store *store;    /* proof of play goes here; NULL: none (preview, tests) */
    ui_video *video; /* one player for the whole run; NULL: videos are skipped */
} screen_ctx;

typedef struct screen_ops {
    const char *name;
    /* Returns the screen's state (freed by leave), or NULL (logged). */
    void *(*enter)(screen_ctx *ctx);
    /* Returns true when the screen used the event. Optional. */
    bool (*event)(void *self, screen_ctx *ctx, const SDL_Event *ev);
    /* Every loop turn: cheap checks only. Optional. */
    void (*update)(void *self, screen_ctx *ctx);
    /* Draws the whole picture (the router cleared nothing). */
    void (*draw)(void *self, screen_ctx *ctx);
    void (*leave)(void *self, screen_ctx *ctx);
} screen_ops;

typedef struct screen_router screen_router;

/* ctx is borrowed until destroy. */
screen_router *screen_router_create(screen_ctx *ctx);
/* Leaves the current screen. */
void screen_router_destroy(screen_router *r);

/* Enters ops, then leaves the old screen. If entering fails the old screen
 * stays and -1 is returned. ops is borrowed (static tables). */
int screen_router_switch(screen_router *r, const screen_ops *ops);
const char *screen_router_current(const screen_router *r);

bool screen_router_event(screen_router *r, const SDL_Event *ev);
void screen_router_update(screen_router *r);
/* Draws the current screen, or a plain background if there is none. */
void screen_router_draw(screen_router *r);

/* The type specimen: a public notice that shows what ui/text can do. */
extern const screen_ops specimen_screen_ops;
/* Lowest WCAG contrast ratio between any text colour the specimen uses and
 * the background behind it (tests hold it to >= 4.5). */
double specimen_min_contrast(void);

#endif
