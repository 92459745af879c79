/* test_staff: the staff view through the router, headless, with the real
 * catalogs, fonts and a real store: the hidden gesture opens the PIN pad
 * only when made exactly (and only with a PIN configured); wrong PINs lock
 * the pad with a growing delay that a restart does not reset; the right PIN
 * opens the status page, whose buttons call main's callbacks, and nothing
 * of it is reachable before; goldens of the pad and of the page (ja,
 * 1920x1080, fixed data). And the screen hours as the router applies them:
 * dark outside the hours (one black frame, nothing more to draw), a touch
 * wakes the idle screen for the idle time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "app/core/catalog.h"
#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/pack_json.h"
#include "app/core/staff_lock.h"
#include "app/core/store.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "app/screens/staff.h"
#include "tests/screens/golden.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/ui_log.h"
#include "ui/window.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

#define FROZEN    "2026-11-24T10:00:00+09:00"
#define NIGHT     "2026-11-24T23:00:00+09:00"
#define PX_PER_MM 2.3f
#define PIN       "2468"

static const char PACK[] =
    "{\"format\": 1, \"timezone\": \"Asia/Tokyo\", \"facility\": {\"name\": {"
    "\"ja\": \"ひろば市 中央コミュニティセンター\", \"en\": \"Hiroba Central\"}},"
    "\"items\": [], \"playlists\": [], \"schedule\": []";

struct fixture {
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    catalog *cat;
    model_pack *pack, *pack_hours;
    FILE *log;
};

static const char *source_dir(void)
{
    const char *s = getenv("HIROBA_SOURCE_DIR");
#ifdef HIROBA_SOURCE_DIR
    if (!s)
        s = HIROBA_SOURCE_DIR;
#endif
    return s ? s : ".";
}

static model_pack *parse(const char *tail)
{
    char doc[1024];
    snprintf(doc, sizeof doc, "%s%s}", PACK, tail);
    model_pack *p = NULL;
    pack_json_errors errs;
    if (pack_json_parse(doc, strlen(doc), "pack.json", PACK_JSON_SOURCE, &p, &errs) != 0)
        return NULL;
    return p;
}

static int group_setup(void **state)
{
    static struct fixture f;
    ui_log_set_handler(log_ui_sink, NULL);
    f.log = tmpfile();
    if (!f.log)
        return -1;
    log_set_stream(f.log);
    f.fonts = text_fonts_load(text_fonts_default_ini());
    f.engine = f.fonts ? text_engine_create(f.fonts) : NULL;
    f.cache = f.engine ? text_cache_create(f.engine, 0) : NULL;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/assets/i18n", source_dir());
    f.cat = catalog_load(dir);
    f.pack = parse("");
    f.pack_hours = parse(", \"screen_hours\": {\"on\": \"07:00\", \"off\": \"22:00\"}");
    if (!f.cache || !f.cat || !f.pack || !f.pack_hours)
        return -1;
    *state = &f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *f = *state;
    model_pack_destroy(f->pack);
    model_pack_destroy(f->pack_hours);
    catalog_destroy(f->cat);
    text_cache_destroy(f->cache);
    text_engine_destroy(f->engine);
    text_fonts_destroy(f->fonts);
    log_set_stream(NULL);
    fclose(f->log);
    IMG_Quit();
    SDL_Quit();
    return 0;
}

/* ---- the rig: a headless touch kiosk with a staff view ---- */

typedef struct rig {
    ui_window *win;
    text_atlas *atlas;
    clock_source *clk;
    ui_frame frame;
    screen_session session;
    screen_staff staff;
    screen_ctx ctx;
    screen_router *router;
    int status_calls, sync_calls, restart_calls;
} rig;

/* The fixed report of the golden: what main would gather on a kiosk whose
 * vacancy feed fails. */
static void fixed_status(void *user, status_report *r)
{
    rig *g = user;
    g->status_calls++;
    clock_time t;
    clock_parse_iso8601(FROZEN, &t);
    int64_t now = t.sec;
    *r = (status_report){
        .pack_version = 12,
        .pack_issued_s = now - 3 * 3600,
        .have_sync = true,
        .sync_ok = true,
        .sync_at_s = now - 95,
        .queue = {.configured = true, .fetched_at_s = now - 4},
        .vacancy = {.configured = true, .fetched_at_s = now - 2 * 86400, .failing = true},
        .n_addrs = 2,
        .disk_free_bytes = (int64_t)12 << 30,
        .disk_total_bytes = (int64_t)29 << 30,
        .n_problems = 2};
    snprintf(r->kiosk_id, sizeof r->kiosk_id, "chuo-1f-lobby");
    snprintf(r->version, sizeof r->version, "0.7.0");
    snprintf(r->channel, sizeof r->channel, "chuo");
    snprintf(r->sync_result, sizeof r->sync_result, "current, version 12");
    snprintf(r->vacancy.error, sizeof r->vacancy.error, "HTTP 503");
    snprintf(r->addrs[0], sizeof r->addrs[0], "eth0 192.0.2.10");
    snprintf(r->addrs[1], sizeof r->addrs[1], "eth0 2001:db8::10");
    r->problems[0] = (status_problem){.at_s = now - 60, .count = 41};
    snprintf(r->problems[0].source, sizeof r->problems[0].source, "feeds");
    snprintf(r->problems[0].text, sizeof r->problems[0].text,
             "vacancy failed: HTTP 503 (keeping the last good value)");
    r->problems[1] = (status_problem){.at_s = now - 7200, .count = 1, .error = true};
    snprintf(r->problems[1].source, sizeof r->problems[1].source, "sync");
    snprintf(r->problems[1].text, sizeof r->problems[1].text,
             "rejected: signature: unknown key {not|markup}");
}

static void count_sync(void *user)
{
    ((rig *)user)->sync_calls++;
}

static void count_restart(void *user)
{
    ((rig *)user)->restart_calls++;
}

static void rig_open_size(rig *r, struct fixture *f, const char *pin, const char *when,
                          const model_pack *pack, store *st, int w, int h)
{
    memset(r, 0, sizeof *r);
    ui_window_options wo = {.width = w, .height = h, .headless = true};
    r->win = ui_window_create(&wo);
    assert_non_null(r->win);
    r->atlas = text_atlas_create(ui_window_renderer(r->win), f->fonts, 0);
    assert_non_null(r->atlas);
    r->clk = clock_create(when);
    assert_non_null(r->clk);
    ui_frame_init(&r->frame);
    r->session = (screen_session){.default_lang = MODEL_LANG_JA,
                                  .default_furigana = false,
                                  .idle_ms = 60000,
                                  .idle_screen = &home_screen_ops,
                                  .last_input_ms = 1000};
    screen_session_reset(&r->session);
    r->staff = (screen_staff){.pin = pin,
                              .status = fixed_status,
                              .sync_now = count_sync,
                              .restart = count_restart,
                              .user = r};
    r->ctx = (screen_ctx){
        .renderer = ui_window_renderer(r->win),
        .width = w,
        .height = h,
        .engine = f->engine,
        .cache = f->cache,
        .atlas = r->atlas,
        .clock = r->clk,
        .lang = "ja",
        .tz = CLOCK_DEFAULT_TZ,
        .frame = &r->frame,
        .pack = pack,
        .store = st,
        .session = &r->session,
        .catalog = f->cat,
        .touch = true,
        .px_per_mm = PX_PER_MM,
        .now_ms = 1000,
        .staff = &r->staff,
    };
    r->router = screen_router_create(&r->ctx);
    assert_non_null(r->router);
    assert_int_equal(screen_router_switch(r->router, &home_screen_ops), 0);
}

static void rig_open(rig *r, struct fixture *f, const char *pin, const char *when,
                     const model_pack *pack, store *st)
{
    rig_open_size(r, f, pin, when, pack, st, 1920, 1080);
}

static void rig_close(rig *r, struct fixture *f)
{
    screen_router_destroy(r->router);
    text_cache_trim(f->cache);
    clock_destroy(r->clk);
    text_atlas_destroy(r->atlas);
    ui_window_destroy(r->win);
}

/* One turn of the loop: update, and draw when something changed. */
static void turn(rig *r)
{
    ui_frame_begin_turn(&r->frame);
    screen_router_update(r->router);
    if (ui_frame_take_dirty(&r->frame)) {
        screen_router_draw(r->router);
        text_atlas_end_frame(r->atlas);
    }
}

/* Turns of the loop every 100 ms for ms. */
static void wait_ms(rig *r, int ms)
{
    for (int t = 0; t < ms; t += 100) {
        r->ctx.now_ms += 100;
        turn(r);
    }
}

static const char *current(const rig *r)
{
    const char *c = screen_router_current(r->router);
    return c ? c : "(none)";
}

static void finger(rig *r, Uint32 type, int x, int y, SDL_FingerID id)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.fingerId = id;
    ev.tfinger.x = (float)x / (float)r->ctx.width;
    ev.tfinger.y = (float)y / (float)r->ctx.height;
    screen_router_event(r->router, &ev);
}

static void mouse(rig *r, Uint32 type, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = type;
    if (type == SDL_MOUSEMOTION) {
        ev.motion.x = x;
        ev.motion.y = y;
        ev.motion.state = SDL_BUTTON_LMASK;
    } else {
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.x = x;
        ev.button.y = y;
    }
    screen_router_event(r->router, &ev);
}

/* A tap at the middle of rect on the frame last drawn. */
static void tap(rig *r, SDL_Rect rect)
{
    turn(r);
    int x = rect.x + rect.w / 2, y = rect.y + rect.h / 2;
    finger(r, SDL_FINGERDOWN, x, y, 7);
    r->ctx.now_ms += 80;
    finger(r, SDL_FINGERUP, x, y, 7);
    turn(r);
}

static void key(rig *r, SDL_Keycode k)
{
    SDL_Event ev = {0};
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    screen_router_event(r->router, &ev);
    ev.type = SDL_KEYUP;
    screen_router_event(r->router, &ev);
}

/* Types digits on a keyboard, then Enter; then a turn of the loop. */
static void type_pin(rig *r, const char *digits)
{
    for (const char *d = digits; *d; d++)
        key(r, SDLK_0 + (*d - '0'));
    key(r, SDLK_RETURN);
    r->ctx.now_ms += 100;
    turn(r);
}

/* The same with the pad's keys, by touch. */
static void tap_pin(rig *r, const char *digits)
{
    for (const char *d = digits; *d; d++)
        tap(r, staff_pin_key_rect(&r->ctx, *d - '0'));
    tap(r, staff_pin_key_rect(&r->ctx, STAFF_KEY_OK));
}

static void open_pad(rig *r)
{
    SDL_Rect c = staff_corner(&r->ctx);
    finger(r, SDL_FINGERDOWN, c.w / 2, c.h / 2, 1);
    wait_ms(r, STAFF_HOLD_MS);
    finger(r, SDL_FINGERUP, c.w / 2, c.h / 2, 1);
    turn(r);
    assert_string_equal(current(r), "staff-pin");
}

/* The pad's clock: the frozen wall time plus the loop's time since. */
static int64_t lock_left(rig *r, int64_t pad_opened_ms)
{
    clock_time t;
    clock_parse_iso8601(FROZEN, &t);
    int64_t now = t.sec + (r->ctx.now_ms - pad_opened_ms) / 1000;
    return staff_lock_remaining(&r->staff.lock, now);
}

/* ---- the gesture ---- */

static void test_gesture_exact(void **state)
{
    struct fixture *f = *state;
    enum { HOLD, SECOND_FINGER, DRAG, TAPS, MOUSE };
    static const struct {
        const char *name;
        const char *pin;
        int how;
        int x, y;    /* where, as a fraction (per mille) of the corner square; > 1000 outside */
        int hold_ms; /* before lifting */
        bool opens;
    } cases[] = {
        {"5 s in the corner", PIN, HOLD, 500, 500, 5200, true},
        {"at the corner's edge", PIN, HOLD, 950, 950, 5200, true},
        {"4.9 s", PIN, HOLD, 500, 500, 4900, false},
        {"just outside", PIN, HOLD, 1100, 500, 6000, false},
        {"top-right corner", PIN, HOLD, 17000, 500, 6000, false},
        {"a second finger", PIN, SECOND_FINGER, 500, 500, 6000, false},
        {"a drag", PIN, DRAG, 200, 200, 6000, false},
        {"five quick taps", PIN, TAPS, 500, 500, 0, false},
        {"the mouse, 5 s", PIN, MOUSE, 500, 500, 5200, true},
        {"no PIN configured", NULL, HOLD, 500, 500, 6000, false},
        {"a PIN of 3 digits", "246", HOLD, 500, 500, 6000, false},
        {"a PIN with letters", "24a8", HOLD, 500, 500, 6000, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rig r;
        rig_open(&r, f, cases[i].pin, FROZEN, f->pack, NULL);
        turn(&r);
        SDL_Rect c = staff_corner(&r.ctx);
        assert_true(c.w >= (int)(15 * PX_PER_MM));
        int x = c.w * cases[i].x / 1000, y = c.h * cases[i].y / 1000;
        if (x >= r.ctx.width)
            x = r.ctx.width - 1;
        switch (cases[i].how) {
        case TAPS:
            for (int k = 0; k < 5; k++) {
                finger(&r, SDL_FINGERDOWN, x, y, 1);
                wait_ms(&r, 200);
                finger(&r, SDL_FINGERUP, x, y, 1);
                wait_ms(&r, 300);
            }
            wait_ms(&r, 6000);
            break;
        case MOUSE:
            mouse(&r, SDL_MOUSEBUTTONDOWN, x, y);
            wait_ms(&r, cases[i].hold_ms);
            mouse(&r, SDL_MOUSEBUTTONUP, x, y);
            break;
        default:
            finger(&r, SDL_FINGERDOWN, x, y, 1);
            wait_ms(&r, 1000);
            if (cases[i].how == SECOND_FINGER)
                finger(&r, SDL_FINGERDOWN, r.ctx.width / 2, 10, 2);
            if (cases[i].how == DRAG)
                finger(&r, SDL_FINGERMOTION, x + c.w / 2, y + c.h / 2, 1);
            wait_ms(&r, cases[i].hold_ms - 1000);
            if (cases[i].how == SECOND_FINGER)
                finger(&r, SDL_FINGERUP, r.ctx.width / 2, 10, 2);
            finger(&r, SDL_FINGERUP, x, y, 1);
            break;
        }
        wait_ms(&r, 1000);
        const char *want = cases[i].opens ? "staff-pin" : "home";
        if (strcmp(current(&r), want) != 0)
            fail_msg("%s: on %s, want %s", cases[i].name, current(&r), want);
        assert_int_equal(r.status_calls, 0);
        rig_close(&r, f);
    }
    /* A kiosk with no staff view at all (previews): nothing happens. */
    rig r;
    rig_open(&r, f, PIN, FROZEN, f->pack, NULL);
    r.ctx.staff = NULL;
    finger(&r, SDL_FINGERDOWN, 10, 10, 1);
    wait_ms(&r, 6000);
    assert_string_equal(current(&r), "home");
    rig_close(&r, f);
}

/* ---- the PIN and its lockout ---- */

static void test_wrong_pins_lock_out(void **state)
{
    struct fixture *f = *state;
    char dir[] = "/tmp/hiroba-staff-XXXXXX";
    assert_non_null(mkdtemp(dir));
    store *st = store_open(dir, NULL);
    assert_non_null(st);
    rig r;
    rig_open(&r, f, PIN, FROZEN, f->pack, st);
    open_pad(&r);
    int64_t opened = r.ctx.now_ms; /* the turn that entered the pad */
    /* Two wrong PINs cost nothing; the third locks for 30 s. */
    type_pin(&r, "1111");
    tap_pin(&r, "13579");
    assert_int_equal(r.staff.lock.failures, 2);
    assert_int_equal(lock_left(&r, opened), 0);
    type_pin(&r, "0000");
    assert_int_equal(r.staff.lock.failures, 3);
    int64_t left = lock_left(&r, opened);
    assert_true(left >= 29 && left <= 30);
    /* While locked the right PIN is not even tried, by keys or by touch
     * (the keys have no targets). */
    type_pin(&r, PIN);
    tap_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-pin");
    assert_false(r.staff.unlocked);
    assert_int_equal(r.staff.lock.failures, 3);
    /* The lock is what a restart finds: a new router and a new run's
     * memory on the same store. */
    rig again;
    rig_open(&again, f, PIN, FROZEN, f->pack, st);
    open_pad(&again);
    type_pin(&again, PIN);
    assert_string_equal(current(&again), "staff-pin");
    assert_false(again.staff.unlocked);
    assert_int_equal(again.staff.lock.failures, 3);
    rig_close(&again, f);
    /* After the lock, another wrong PIN locks twice as long. */
    wait_ms(&r, 31000);
    r.session.last_input_ms = r.ctx.now_ms; /* still at the pad, not idle */
    type_pin(&r, "9999");
    assert_int_equal(r.staff.lock.failures, 4);
    left = lock_left(&r, opened);
    assert_true(left >= 59 && left <= 60);
    r.ctx.now_ms += 61000;
    r.session.last_input_ms = r.ctx.now_ms;
    turn(&r);
    /* The right PIN opens the status page and starts the count again. */
    tap_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    assert_true(r.staff.unlocked);
    assert_int_equal(r.staff.lock.failures, 0);
    staff_lock saved;
    assert_int_equal(staff_lock_load(st, &saved), 0);
    assert_int_equal(saved.failures, 0);
    assert_true(r.status_calls >= 1);
    rig_close(&r, f);
    store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- nothing of the page before the PIN ---- */

static void tap_page_buttons(rig *r)
{
    for (int b = STAFF_BTN_SYNC; b <= STAFF_BTN_CLOSE; b++) {
        tap(r, staff_status_button_rect(&r->ctx, b));
        tap(r, staff_status_button_rect(&r->ctx, b)); /* restart asks twice */
    }
}

static void test_page_needs_the_pin(void **state)
{
    struct fixture *f = *state;
    rig r;
    rig_open(&r, f, PIN, FROZEN, f->pack, NULL);
    turn(&r);
    /* On an ordinary screen: the page's buttons are not there. */
    tap_page_buttons(&r);
    screen_router_switch(r.router, &home_screen_ops);
    /* On the pad: nor there. */
    open_pad(&r);
    tap_page_buttons(&r);
    assert_int_equal(r.sync_calls + r.restart_calls + r.status_calls, 0);
    /* Asking for the page by name goes nowhere: it refuses to enter. */
    screen_router_switch(r.router, &home_screen_ops);
    assert_int_equal(screen_router_switch(r.router, &staff_status_screen_ops), -1);
    assert_string_equal(current(&r), "home");
    screen_go(&r.ctx, &staff_status_screen_ops);
    turn(&r);
    assert_string_equal(current(&r), "home");
    assert_int_equal(r.status_calls, 0);
    /* Nor by a keyboard on an ordinary screen. */
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "home");
    assert_false(r.staff.unlocked);
    /* The name is no screen of --screen or of a pack's playlist. */
    assert_null(screen_ops_by_name("staff-status"));
    assert_null(screen_ops_by_name("staff-pin"));
    rig_close(&r, f);
}

/* The page's buttons call main; Restart asks twice; Close and the idle
 * time lock it again. */
static void test_page_buttons(void **state)
{
    struct fixture *f = *state;
    rig r;
    rig_open(&r, f, PIN, FROZEN, f->pack, NULL);
    open_pad(&r);
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    tap(&r, staff_status_button_rect(&r.ctx, STAFF_BTN_SYNC));
    assert_int_equal(r.sync_calls, 1);
    tap(&r, staff_status_button_rect(&r.ctx, STAFF_BTN_RESTART));
    assert_int_equal(r.restart_calls, 0);
    tap(&r, staff_status_button_rect(&r.ctx, STAFF_BTN_RESTART));
    assert_int_equal(r.restart_calls, 1);
    /* A second press long after the first is a first press again. */
    tap(&r, staff_status_button_rect(&r.ctx, STAFF_BTN_RESTART));
    r.ctx.now_ms += STAFF_CONFIRM_MS + 100;
    r.session.last_input_ms = r.ctx.now_ms;
    tap(&r, staff_status_button_rect(&r.ctx, STAFF_BTN_RESTART));
    assert_int_equal(r.restart_calls, 1);
    /* The report is refreshed while the page shows. */
    int calls = r.status_calls;
    wait_ms(&r, STAFF_REFRESH_MS + 200);
    assert_true(r.status_calls > calls);
    tap(&r, staff_status_button_rect(&r.ctx, STAFF_BTN_CLOSE));
    turn(&r);
    assert_string_equal(current(&r), "home");
    assert_false(r.staff.unlocked);
    /* Opened again, then left alone: closed after the idle time. */
    open_pad(&r);
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    wait_ms(&r, 61000);
    assert_string_equal(current(&r), "home");
    assert_false(r.staff.unlocked);
    rig_close(&r, f);
}

/* ---- goldens ---- */

static void golden(rig *r, const char *name)
{
    char actual[4096], ref[4096];
    snprintf(actual, sizeof actual, "%s/%s", HIROBA_TEST_OUT_DIR, name);
    snprintf(ref, sizeof ref, "%s/tests/ref/%s", source_dir(), name);
    ui_frame_invalidate(&r->frame);
    turn(r);
    assert_int_equal(ui_window_screenshot(r->win, actual), 0);
    assert_int_equal(golden_check(actual, ref, HIROBA_TEST_OUT_DIR), 0);
}

static void test_golden_pad(void **state)
{
    struct fixture *f = *state;
    rig r;
    rig_open(&r, f, PIN, FROZEN, f->pack, NULL);
    open_pad(&r);
    key(&r, SDLK_1);
    key(&r, SDLK_3);
    key(&r, SDLK_5);
    golden(&r, "staff-pin-ja-1920x1080.png");
    /* Locked: the countdown and dead keys. */
    for (int i = 0; i < 3; i++)
        type_pin(&r, "1111");
    golden(&r, "staff-pin-locked-ja-1920x1080.png");
    rig_close(&r, f);
}

static void test_golden_status(void **state)
{
    struct fixture *f = *state;
    rig r;
    rig_open(&r, f, PIN, FROZEN, f->pack, NULL);
    open_pad(&r);
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    golden(&r, "staff-status-ja-1920x1080.png");
    rig_close(&r, f);
    /* A portrait kiosk: one column. */
    rig_open_size(&r, f, PIN, FROZEN, f->pack, NULL, 1080, 1920);
    open_pad(&r);
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    golden(&r, "staff-status-ja-1080x1920.png");
    rig_close(&r, f);
}

/* ---- screen hours ---- */

static bool frame_is_black(rig *r)
{
    int w = r->ctx.width, h = r->ctx.height;
    Uint32 *px = malloc((size_t)w * (size_t)h * 4);
    assert_non_null(px);
    assert_int_equal(
        SDL_RenderReadPixels(r->ctx.renderer, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4), 0);
    bool black = true;
    for (size_t i = 0; i < (size_t)w * (size_t)h && black; i++)
        black = (px[i] & 0xFFFFFFu) == 0;
    free(px);
    return black;
}

static void test_screen_hours(void **state)
{
    struct fixture *f = *state;
    rig r;
    rig_open(&r, f, PIN, NIGHT, f->pack_hours, NULL);
    r.session.last_input_ms = r.ctx.now_ms - 120000; /* nobody there for a while */
    ui_frame_begin_turn(&r.frame);
    screen_router_update(r.router);
    assert_string_equal(current(&r), "dark");
    /* One black frame, then nothing to draw however long the night. */
    assert_true(ui_frame_take_dirty(&r.frame));
    screen_router_draw(r.router);
    assert_true(frame_is_black(&r));
    for (int i = 0; i < 50; i++) {
        r.ctx.now_ms += 60000;
        ui_frame_begin_turn(&r.frame);
        screen_router_update(r.router);
        assert_false(ui_frame_take_dirty(&r.frame));
        /* ...but the loop looks again within a minute (the clock may be set). */
        int t = ui_frame_timeout_ms(&r.frame);
        assert_true(t > 0 && t <= 60000);
    }
    /* A touch wakes the idle screen, and is not passed on. */
    SDL_Event ev = {0};
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.x = 0.5f;
    ev.tfinger.y = 0.5f;
    assert_true(screen_router_event(r.router, &ev));
    turn(&r);
    assert_string_equal(current(&r), "home");
    assert_false(frame_is_black(&r));
    /* Used within the idle time it stays; left alone, dark again. */
    wait_ms(&r, 50000);
    assert_string_equal(current(&r), "home");
    wait_ms(&r, 11000);
    assert_string_equal(current(&r), "dark");
    rig_close(&r, f);
    /* Inside the hours, or with no hours in the pack: never dark. */
    rig_open(&r, f, PIN, FROZEN, f->pack_hours, NULL);
    r.session.last_input_ms = r.ctx.now_ms - 120000;
    wait_ms(&r, 1000);
    assert_string_equal(current(&r), "home");
    rig_close(&r, f);
    rig_open(&r, f, PIN, NIGHT, f->pack, NULL);
    r.session.last_input_ms = r.ctx.now_ms - 120000;
    wait_ms(&r, 1000);
    assert_string_equal(current(&r), "home");
    rig_close(&r, f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gesture_exact),      cmocka_unit_test(test_wrong_pins_lock_out),
        cmocka_unit_test(test_page_needs_the_pin), cmocka_unit_test(test_page_buttons),
        cmocka_unit_test(test_golden_pad),         cmocka_unit_test(test_golden_status),
        cmocka_unit_test(test_screen_hours),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
