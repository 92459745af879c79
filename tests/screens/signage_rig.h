/* signage_rig: what the signage screen tests share: fonts, a log capture,
 * the fixture pack (tests/fixtures/pack-basic) with its pictures drawn into
 * a temporary folder, and a "rig": the signage screen on a headless window
 * with a frozen clock, driven turn by turn as main's loop drives it.
 * Test-only code: never linked into the kiosk. */
#ifndef HIROBA_TESTS_SCREENS_SIGNAGE_RIG_H
#define HIROBA_TESTS_SCREENS_SIGNAGE_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/core/catalog.h"
#include "app/core/feeds.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/text/layout.h"
#include "ui/video.h"
#include "ui/window.h"

#define TUE_10 "2026-11-24T10:00:00+09:00" /* a Tuesday morning */
#define PAGE   0xFBFAF6u                   /* the screen's paper */
#define BAND   0x0F4C81u                   /* the header band */

/* The group's state (cmocka's *state). */
struct fixture {
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    FILE *log;
    char dir[256]; /* the pack folder: pack.json and generated media */
    char *basic;   /* the fixture's pack.json text */
    size_t basic_len;
    catalog *cat; /* assets/i18n */
    /* schemas/examples/{queue,vacancy}.json: text and parsed */
    char *queue_text, *vacancy_text;
    size_t queue_len, vacancy_len;
    feeds_queue *queue;
    feeds_vacancy *vacancy;
    model_pack *pack; /* a test's own pack: its group set-up parses it, fini frees */
};

/* Fills f: log capture (every line kept), fonts, media, the fixture pack,
 * catalogs, example feeds. Returns 0, or -1 (with a message) on failure.
 * rig_fixture_fini undoes it, then quits SDL. For tests whose own fixture
 * holds a struct fixture. */
int rig_fixture_init(struct fixture *f);
void rig_fixture_fini(struct fixture *f);
/* cmocka group set-up and tear-down on a static fixture. */
int rig_group_setup(void **state);
int rig_group_teardown(void **state);

const char *rig_source_dir(void);
/* A file of the source tree as text, up to 1 MiB (caller frees; NULL if it
 * cannot be read). */
char *rig_read_source(const char *rel, size_t *len);
/* Forgets what was logged so far (every line is kept: no de-duplication). */
void rig_log_rewind(struct fixture *f);
bool rig_log_contains(struct fixture *f, const char *needle);
/* Parses a pack text, failing the test (with the errors) if it is invalid. */
model_pack *rig_parse(const char *text, enum pack_json_mode mode);
/* A pack of item first (JSON object text, id "first") then a card "after"
 * (caller frees). */
char *rig_two_item_pack(const char *first);

struct rig {
    struct fixture *f;
    ui_window *win;
    text_atlas *atlas;
    clock_source *clock;
    ui_video *video;
    ui_frame frame;
    screen_ctx ctx;
    signage *s;
};

/* ctx->media_path for the fixture folder (user: the struct fixture). */
int rig_media_path(void *user, const model_media *m, char *buf, size_t cap);

/* The signage screen on a w x h headless window, its clock frozen at
 * clock_spec, media from the fixture folder; video_ms > 0: a null-backend
 * player whose clips last that long, else none. pack is borrowed. */
void rig_open(struct rig *r, struct fixture *f, int w, int h, const model_pack *pack,
              const char *clock_spec, int video_ms);
void rig_close(struct rig *r);
/* The clock stands still at another instant. */
void rig_set_clock(struct rig *r, const char *spec);
/* One loop turn as main runs it: update, draw if asked. True if it drew. */
bool rig_turn(struct rig *r);
/* Turns for ms of real time, 5 ms apart. */
void rig_run(struct rig *r, int ms);
/* Runs for ms of real time the way main does: turns, sleeping between them
 * for as long as the frame bookkeeping allows. Returns the frames drawn. */
int rig_loop(struct rig *r, int ms);
/* Turns until the item showing is id; false if ms pass first. */
bool rig_run_until(struct rig *r, const char *id, int ms);
/* Draws a frame and writes it to path. */
void rig_shot(struct rig *r, const char *path);
/* Shows item id at once (still mode), ready to be seen. */
void rig_force(struct rig *r, const char *id);
const char *rig_current_id(struct rig *r);

/* HIROBA_TEST_OUT_DIR/name. */
void rig_out_path(char *buf, size_t size, const char *name);
SDL_Surface *rig_load_rgb(const char *path);    /* RGB24, caller frees */
Uint32 rig_pixel(SDL_Surface *s, int x, int y); /* 0xRRGGBB */
/* Dark (text-like) pixels in r. */
size_t rig_dark_in(SDL_Surface *s, SDL_Rect r);

#endif
