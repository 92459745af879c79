/* screen: what every screen is (one small vtable) and the router that owns
 * the current one. Screens turn model data into pixels; they never block on
 * the network or on disk, and never keep pointers into another screen. */
#ifndef HIROBA_APP_SCREENS_SCREEN_H
#define HIROBA_APP_SCREENS_SCREEN_H

#include <stdbool.h>

#include <SDL.h>

#include "app/core/alerts.h"
#include "app/core/catalog.h"
#include "app/core/clock.h"
#include "app/core/feeds.h"
#include "app/core/hub.h"
#include "app/core/model.h"
#include "app/core/staff_lock.h"
#include "app/core/status.h"
#include "app/core/store.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/layout.h"
#include "ui/video.h"
#include "ui/window.h"

typedef struct screen_ops screen_ops;

/* The resident's session on a touch kiosk: what they chose, reset to the
 * defaults after idle_ms without input (screen_session_reset). Owned by
 * main (or a test) and shared by every screen through the ctx. */
typedef struct screen_session {
    model_lang lang;       /* the language shown now */
    bool furigana;         /* readings over kanji (ja-easy shows them always) */
    bool large_text;       /* text KIT_LARGE_SCALE times larger, layouts reflow */
    char category[65];     /* child-care: the category open, "" for the menu (ids <= 64 bytes) */
    char page[65];         /* child-care: the page open, "" for the category list */
    int vacancy_day;       /* vacancy board: 0 today .. 7 */
    int64_t last_input_ms; /* ctx->now_ms of the last touch, click or key */
    /* The defaults, from the config: */
    model_lang default_lang;
    bool default_furigana;
    uint32_t idle_ms;              /* 0: never reset */
    const screen_ops *idle_screen; /* where the kiosk returns when idle */
    /* A screen asked to go elsewhere (screen_go); the router switches at its
     * next update. */
    const screen_ops *request;
} screen_session;

/* The live boards' data. Snapshots are owned by main and replaced like packs:
 * the old one is freed after the current screen's next update, so screens
 * must not keep pointers into a snapshot past that update. */
typedef struct screen_feeds {
    const feeds_queue *queue; /* NULL: no good value yet */
    hub_feed_status queue_status;
    const feeds_vacancy *vacancy;
    hub_feed_status vacancy_status;
    uint32_t queue_stale_s;   /* "may be out of date" past this age (default 120) */
    uint32_t vacancy_stale_s; /* default 1800 */
    uint64_t serial;          /* bumped by main whenever anything above changes */
} screen_feeds;

/* The staff view (app/screens/staff.h): a hidden gesture, then a PIN pad,
 * then a status page with buttons. Main fills the first part; the rest is
 * the staff screens' own state, zero at start, kept here so that it
 * outlives the screens (which are entered afresh each time). */
typedef struct screen_staff {
    const char *pin; /* staff_pin: 4..8 digits; anything else: the view never opens */
    /* Fills *out with the kiosk's state now (status.h): on entering the status
     * page and every STAFF_REFRESH_MS while it shows. NULL: an empty report. */
    void (*status)(void *user, status_report *out);
    void (*sync_now)(void *user); /* polls the channel now (updater_poke); may be NULL */
    void (*restart)(void *user);  /* ends the kiosk so that systemd starts it again */
    void *user;
    /* The staff screens' state: */
    bool unlocked;   /* the right PIN was entered; the status page enters only while set,
                      * and clears it when it leaves */
    staff_lock lock; /* wrong PINs in a row (also in ctx->store, so restarts keep it) */
} screen_staff;

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

    /* ---- the touch kiosk and the live boards (issue 5) ---- */
    screen_session *session;   /* never NULL once set up (main, tests) */
    const catalog *catalog;    /* UI strings; NULL: keys are shown */
    const screen_feeds *feeds; /* NULL: no boards data */
    bool touch;                /* a touch kiosk: home menu, buttons, idle reset;
                                * false: a plain display, signage rotates boards */
    float px_per_mm;           /* output pixels per millimetre (touch targets >= 15 mm) */
    int64_t now_ms;            /* monotonic ms of this loop turn (main sets it every
                                * turn; tests drive it to test timeouts) */

    /* ---- emergency alerts (issue 6) ---- */
    /* The active alerts, the most important first, NULL or empty when none.
     * Owned by main and replaced like the feeds' snapshots (the old one is
     * released after the router's next update). Entries are live while
     * now_ms < until_mono_ms: now_ms is on the alerts' monotonic clock.
     * The router draws them over every screen (app/screens/alert.h). */
    const alerts_snapshot *alerts;
    /* Set by the router while an alert covers the whole screen: the screen's
     * draw is not called, its events go to the alert, and the shared video
     * player is paused and muted (the router pauses anything a screen starts
     * meanwhile and resumes it afterwards). A screen may read it to hold
     * what only makes sense while seen (slide timers, proof of play). */
    bool alert_covering;

    /* ---- the appliance (issue 7) ---- */
    /* The staff view's settings and state; NULL: no staff view (previews).
     * The router watches for its gesture before the screen sees an event. */
    screen_staff *staff;
} screen_ctx;

struct screen_ops {
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
};

typedef struct screen_router screen_router;

/* ctx is borrowed until destroy. */
screen_router *screen_router_create(screen_ctx *ctx);
/* Leaves the current screen. */
void screen_router_destroy(screen_router *r);

/* Leaves the old screen, then enters ops (so the old one lets go of the
 * shared video player before the new one takes it). If entering fails the
 * old screen is entered again (its state starts afresh) and -1 is returned.
 * ops is borrowed (static tables). */
int screen_router_switch(screen_router *r, const screen_ops *ops);
const char *screen_router_current(const screen_router *r);

bool screen_router_event(screen_router *r, const SDL_Event *ev);
void screen_router_update(screen_router *r);
/* Draws the current screen, or a plain background if there is none. */
void screen_router_draw(screen_router *r);

/* Update: applies a pending screen_go request (counting the opening with
 * screen_count), and when the session has been idle for idle_ms resets it
 * (screen_session_reset) and switches to its idle screen. Event: input
 * events (touch, mouse buttons and motion with a button down, keys) stamp
 * session->last_input_ms = ctx->now_ms before the screen sees them. */

/* Asks the router to switch to ops at its next update (the current screen
 * keeps running until then). */
void screen_go(screen_ctx *ctx, const screen_ops *ops);
/* Counts an opening of screen/page in the session's language (store_usage_count
 * at the clock's now; nothing without a store). */
void screen_count(screen_ctx *ctx, const char *screen, const char *page);
/* Back to the defaults: language, furigana, text size, child-care place,
 * vacancy day. Keeps last_input_ms, the defaults and idle settings. */
void screen_session_reset(screen_session *s);
/* Sets the session's language and keeps ctx->lang (the code) in step. */
void screen_set_lang(screen_ctx *ctx, model_lang lang);
/* The screen named by --screen (and by pack playlists): "home", "signage",
 * "queue", "vacancy", "childcare", "specimen"; NULL when unknown. */
const screen_ops *screen_ops_by_name(const char *name);

/* The touch kiosk's screens (app/screens/home.c, queue.c, vacancy.c,
 * childcare.c). */
extern const screen_ops home_screen_ops;
extern const screen_ops queue_screen_ops;
extern const screen_ops vacancy_screen_ops;
extern const screen_ops childcare_screen_ops;

/* The type specimen: a public notice that shows what ui/text can do. */
extern const screen_ops specimen_screen_ops;
/* Lowest WCAG contrast ratio between any text colour the specimen uses and
 * the background behind it (tests hold it to >= 4.5). */
double specimen_min_contrast(void);

#endif
