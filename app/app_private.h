/* app_private: what main.c, app_open.c and app_live.c share, and nothing
 * else includes. struct app is the kiosk's whole state, owned by main; the
 * functions below are main's wiring steps, split out by responsibility so
 * that main.c stays a flat list of them. UI thread only, like main. */
#ifndef HIROBA_APP_PRIVATE_H
#define HIROBA_APP_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "app/args.h"
#include "app/core/alerter.h"
#include "app/core/clock.h"
#include "app/core/content.h"
#include "app/core/feeder.h"
#include "app/core/hub.h"
#include "app/core/service.h"
#include "app/core/updater.h"
#include "app/health.h"
#include "app/screens/screen.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/text/layout.h"
#include "ui/video.h"
#include "ui/window.h"

#ifndef HIROBA_VERSION
#define HIROBA_VERSION "0.0.0"
#endif

struct app {
    struct options opt;
    clock_source *clock;
    ui_window *window;
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    text_atlas *atlas;
    content *content;
    hub *hub;
    updater *updater;
    feeder *feeder;
    model_pack *pack;    /* the pack on screen (owned) */
    model_pack *retired; /* the previous one, freed after the screen's next update */
    /* The live boards' data as screens see it; the snapshots are owned here
     * and retired like packs. */
    screen_feeds feeds;
    feeds_queue *queue, *retired_queue;
    feeds_vacancy *vacancy, *retired_vacancy;
    /* Emergency alerts: the poller (its own thread from alerter_start) and
     * the snapshot on screen, owned here (a reference) and retired like
     * packs; alerts_change_seen is the expiry already redrawn for. */
    alerter *alerter;
    alerts_snapshot *alerts, *retired_alerts;
    int64_t alerts_change_seen;
    ui_video *video;
    Uint32 wake_event;
    screen_router *router;
    screen_ctx ctx;
    screen_session session; /* the resident's choices, reset when idle */
    catalog *catalog;       /* UI strings (NULL: the screens show keys) */
    ui_frame frame;

    int64_t start_ms, next_shot_ms;
    unsigned shot_count;
    bool capture_shot, capture_final, screenshot_written;
    service *service; /* systemd's notify socket (a no-op when not under systemd) */
    health *health;   /* the metrics file and the staff view's callbacks */
    bool ready_sent;
    bool quit;
    int exit_code;
};

/* app_open.c: the background modules and the screen context's set-up, in
 * the order app_open calls them (see there why the order matters). Those
 * returning int fail the start-up with -1; the void ones leave the kiosk
 * running without the part they could not open. */
int app_open_content(struct app *a);
int app_open_video(struct app *a);
int app_open_hub(struct app *a);
void app_start_feeder(struct app *a);
void app_start_alerter(struct app *a);
int app_start_updater(struct app *a);
void app_open_catalog(struct app *a);
bool app_resolve_touch(const struct app *a);
/* Also called again when the window is resized. */
float app_pixels_per_mm(const struct app *a);
void app_open_session(struct app *a);
void app_open_health(struct app *a);

/* app_live.c: the loop's hand-over of new snapshots from the hub (packs,
 * live feeds, alerts). A replaced snapshot is retired, not freed: the
 * screen may still point into it until its next update, after which the
 * loop calls app_handle_retired. */
void app_handle_hub(struct app *a);
void app_handle_feeds(struct app *a);
void app_handle_alerts(struct app *a);
void app_handle_retired(struct app *a);

#endif
