/* kiosk_rig: a whole touch kiosk for the walk and the monkey tests: the
 * router with its session, the real catalogs, live feed snapshots and a
 * pack, on a headless window (reference pictures) or on a real window on
 * SDL's offscreen driver (so that a resize reaches the loop as a window
 * event, as on a desktop preview). It is driven turn by turn the way
 * main's run() drives the kiosk: the test sets ctx.now_ms; packs and feed
 * snapshots are replaced the way handle_hub and handle_feeds replace them,
 * the old one freed only after the router's next update (handle_retired).
 * Builds on signage_rig's fixture (fonts, the fixture pack and its
 * generated pictures). Test-only code: never linked into the kiosk. */
#ifndef HIROBA_TESTS_SCREENS_KIOSK_RIG_H
#define HIROBA_TESTS_SCREENS_KIOSK_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/core/catalog.h"
#include "app/core/clock.h"
#include "app/core/feeds.h"
#include "app/core/hub.h"
#include "app/core/model.h"
#include "app/screens/screen.h"
#include "tests/screens/signage_rig.h"
#include "ui/text/atlas.h"
#include "ui/video.h"
#include "ui/window.h"

#define KIOSK_IDLE_MS 60000 /* the kiosk's default idle time */

typedef struct kiosk_options {
    int width, height;
    bool headless;          /* false: a real window on the offscreen driver */
    int video_ms;           /* > 0: a null-backend player whose clips last that long */
    const char *clock_spec; /* NULL: frozen at TUE_10 */
} kiosk_options;

typedef struct kiosk {
    struct fixture *f;
    catalog *cat;
    ui_window *win;
    text_atlas *atlas;
    clock_source *clock, *retired_clock;
    ui_video *video;
    ui_frame frame;
    screen_session session;
    screen_ctx ctx;
    screen_router *router;
    screen_feeds feeds;
    feeds_queue *queue, *retired_queue;
    feeds_vacancy *vacancy, *retired_vacancy;
    model_pack *pack, *retired_pack;
} kiosk;

/* Opens the kiosk on the home screen (as `hiroba --screen home` starts),
 * session defaults ja with furigana, idle reset after KIOSK_IDLE_MS, no
 * pack and no feeds yet. Fails the test when something cannot be made. */
void kiosk_open(kiosk *k, struct fixture *f, const kiosk_options *o);
void kiosk_close(kiosk *k);

/* The fixture pack (tests/fixtures/pack-basic) or the demo pack
 * (assets/demo-pack), parsed afresh (caller owns; fails the test when
 * invalid). Media resolve in the fixture folder; a picture it lacks (the
 * demo pack's) is shown with the fixture's poster. */
model_pack *kiosk_fixture_pack(struct fixture *f);
model_pack *kiosk_demo_pack(void);
/* schemas/examples/{queue,vacancy}.json as text (caller frees). */
char *kiosk_read_source(const char *rel, size_t *len);

/* Replace what is shown, as main does: k takes ownership of the new one
 * (NULL: none), the old one lives until after the next kiosk_turn's
 * update. A feed status that says nothing is shown (not configured, never
 * fetched) drops the snapshot, like handle_feeds. */
void kiosk_set_pack(kiosk *k, model_pack *p);
void kiosk_set_queue(kiosk *k, feeds_queue *q, const hub_feed_status *st);
void kiosk_set_vacancy(kiosk *k, feeds_vacancy *v, const hub_feed_status *st);
/* The wall clock jumps (a Pi without a real-time clock syncing): a new
 * frozen clock at spec, the old one freed after the next update. */
void kiosk_set_clock(kiosk *k, const char *spec);
/* A status as the feeder reports a good fetch at the clock's now. */
hub_feed_status kiosk_fresh_status(const kiosk *k);
/* The example feeds, fresh, on screen. */
void kiosk_example_feeds(kiosk *k);

/* One loop turn as main's run() has it, minus the event wait: window
 * changes (a resize: new sizes; a lost render device: a new glyph atlas),
 * update, retire, draw and present when the frame is dirty (or force),
 * trim the text cache. Returns true when it drew. */
bool kiosk_turn(kiosk *k, bool force);
/* Drains SDL's event queue into the router (main's handle_events with a
 * zero timeout). Returns how many events there were. */
int kiosk_pump(kiosk *k);
/* Lets ms of the kiosk's time pass as main's loop spends it: turn, then
 * sleep (advance now_ms) for as long as the frame bookkeeping allows, up
 * to the end. Returns the frames drawn. */
int kiosk_wait(kiosk *k, int64_t ms);
/* Draws a frame now and writes it to path (HIROBA_TEST_OUT_DIR/name). */
void kiosk_shot(kiosk *k, const char *name, char *path, size_t cap);

#endif
