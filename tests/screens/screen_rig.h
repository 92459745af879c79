/* screen_rig: what the touch-screen tests share: a screen_ctx with its
 * session and router on a headless window (atlas, frozen clock, frame),
 * built on signage_rig's fixture (fonts, text cache, catalogs, the example
 * feeds, log capture); finger events; frames drawn the way main draws
 * them; screenshots checked against the reference PNGs in tests/ref.
 * Test-only code: never linked into the kiosk. */
#ifndef HIROBA_TESTS_SCREENS_SCREEN_RIG_H
#define HIROBA_TESTS_SCREENS_SCREEN_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/core/model.h"
#include "app/screens/screen.h"
#include "tests/screens/signage_rig.h"
#include "ui/text/atlas.h"
#include "ui/video.h"
#include "ui/window.h"

#define SCREEN_RIG_PX_PER_MM 2.3f /* a 43-inch 1080p panel */

/* A pack of nothing but the centre's name in the five languages. */
extern const char screen_rig_centre_pack[];
/* rig_group_setup with f->pack parsed from screen_rig_centre_pack. */
int screen_rig_group_setup(void **state);

typedef struct screen_rig {
    struct fixture *f;
    ui_window *win;
    text_atlas *atlas;
    clock_source *clock;
    ui_frame frame;
    screen_session session;
    screen_feeds feeds; /* shown once screen_rig_example_feeds is called */
    screen_ctx ctx;
    screen_router *router;
    ui_video *video; /* a test's player (also on ctx.video): close destroys it */
} screen_rig;

/* A touch kiosk at w x h in lang, showing pack (borrowed, may be NULL), its
 * clock frozen at clock_spec (NULL: TUE_10): session defaults ja, idle
 * reset to home after 60 s; ctx with the fixture's catalogs, touch on,
 * SCREEN_RIG_PX_PER_MM, now_ms 1000, no feeds; a router with no screen
 * yet. Tests adjust r->session and r->ctx before the first switch. */
void screen_rig_open(screen_rig *r, struct fixture *f, int w, int h, model_lang lang,
                     const model_pack *pack, const char *clock_spec);
/* Frees what open made; r->feeds, r->session stay readable. */
void screen_rig_close(screen_rig *r);
/* A null-backend player whose clips last ms, on r->video and the ctx. */
void screen_rig_null_video(screen_rig *r, int ms);
/* Switches to ops, failing the test if it cannot be entered. */
void screen_rig_show(screen_rig *r, const screen_ops *ops);

/* The fixture's example feeds (schemas/examples) on the ctx, answered at
 * fetched_ms and checked at checked_ms (wall clock), stale after 120 s
 * (queue) and 30 min (vacancy), serial 1. */
void screen_rig_example_feeds(screen_rig *r, int64_t fetched_ms, int64_t checked_ms);
/* The wall clock's milliseconds at an ISO 8601 instant. */
int64_t screen_rig_ms_at(const char *iso);

/* One finger event at (x, y) in window pixels, to the router. */
void screen_rig_finger(screen_rig *r, Uint32 type, int x, int y);
/* Down, 80 ms, up. */
void screen_rig_tap(screen_rig *r, int x, int y);

/* Update and draw, leaving the frame's bookkeeping alone. */
void screen_rig_draw(screen_rig *r);
/* One loop turn as main runs it: update, then draw if the frame is dirty
 * (or force). Returns whether it drew. */
bool screen_rig_turn(screen_rig *r, bool force);
/* Writes the frame drawn last to HIROBA_TEST_OUT_DIR/name; the path in
 * path (may be NULL). */
void screen_rig_shot(screen_rig *r, const char *name, char *path, size_t cap);
/* screen_rig_shot, then golden_check against tests/ref/name (with
 * HIROBA_UPDATE_GOLDEN=1 the reference is rewritten). 0 on a match. */
int screen_rig_golden(screen_rig *r, const char *name);
/* The frame drawn last, as RGB24 (caller frees). */
SDL_Surface *screen_rig_grab(screen_rig *r);

#endif
