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

#include "app/core/clock.h"
#include "app/core/pack_json.h"
#include "app/core/staff_lock.h"
#include "app/core/store.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "app/screens/staff.h"
#include "tests/screens/screen_rig.h"

#define NIGHT "2026-11-24T23:00:00+09:00"
#define PIN   "2468"

static const char PACK[] =
    "{\"format\": 1, \"timezone\": \"Asia/Tokyo\", \"facility\": {\"name\": {"
    "\"ja\": \"ひろば市 中央コミュニティセンター\", \"en\": \"Hiroba Central\"}},"
    "\"items\": [], \"playlists\": [], \"schedule\": []";

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

#define HOURS ", \"screen_hours\": {\"on\": \"07:00\", \"off\": \"22:00\"}"

static int group_setup(void **state)
{
    if (rig_group_setup(state) != 0)
        return -1;
    struct fixture *f = *state;
    f->pack = parse("");
    return f->pack ? 0 : -1;
}

/* ---- the rig: a headless touch kiosk with a staff view ---- */

typedef struct staff_rig {
    screen_rig s;
    screen_staff staff;
    int status_calls, sync_calls, restart_calls;
} staff_rig;

/* The fixed report of the golden: what main would gather on a kiosk whose
 * vacancy feed fails. */
static void fixed_status(void *user, status_report *r)
{
    staff_rig *g = user;
    g->status_calls++;
    clock_time t;
    clock_parse_iso8601(TUE_10, &t);
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
    ((staff_rig *)user)->sync_calls++;
}

static void count_restart(void *user)
{
    ((staff_rig *)user)->restart_calls++;
}

static void staff_open_size(staff_rig *r, struct fixture *f, const char *pin, const char *when,
                            const model_pack *pack, store *st, int w, int h)
{
    memset(r, 0, sizeof *r);
    screen_rig_open(&r->s, f, w, h, MODEL_LANG_JA, pack, when);
    r->s.session.last_input_ms = 1000;
    r->staff = (screen_staff){.pin = pin,
                              .status = fixed_status,
                              .sync_now = count_sync,
                              .restart = count_restart,
                              .user = r};
    r->s.ctx.store = st;
    r->s.ctx.staff = &r->staff;
    screen_rig_show(&r->s, &home_screen_ops);
}

static void staff_open(staff_rig *r, struct fixture *f, const char *pin, const char *when,
                       const model_pack *pack, store *st)
{
    staff_open_size(r, f, pin, when, pack, st, 1920, 1080);
}

/* One turn of the loop: update, and draw when something changed. */
static void turn(staff_rig *r)
{
    screen_rig_turn(&r->s, false);
}

/* Turns of the loop every 100 ms for ms. */
static void wait_ms(staff_rig *r, int ms)
{
    for (int t = 0; t < ms; t += 100) {
        r->s.ctx.now_ms += 100;
        turn(r);
    }
}

static const char *current(const staff_rig *r)
{
    const char *c = screen_router_current(r->s.router);
    return c ? c : "(none)";
}

static void finger(staff_rig *r, Uint32 type, int x, int y, SDL_FingerID id)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.fingerId = id;
    ev.tfinger.x = (float)x / (float)r->s.ctx.width;
    ev.tfinger.y = (float)y / (float)r->s.ctx.height;
    screen_router_event(r->s.router, &ev);
}

static void mouse(staff_rig *r, Uint32 type, int x, int y)
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
    screen_router_event(r->s.router, &ev);
}

/* A tap at the middle of rect on the frame last drawn. */
static void tap(staff_rig *r, SDL_Rect rect)
{
    turn(r);
    int x = rect.x + rect.w / 2, y = rect.y + rect.h / 2;
    finger(r, SDL_FINGERDOWN, x, y, 7);
    r->s.ctx.now_ms += 80;
    finger(r, SDL_FINGERUP, x, y, 7);
    turn(r);
}

static void key(staff_rig *r, SDL_Keycode k)
{
    SDL_Event ev = {0};
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    screen_router_event(r->s.router, &ev);
    ev.type = SDL_KEYUP;
    screen_router_event(r->s.router, &ev);
}

/* Types digits on a keyboard, then Enter; then a turn of the loop. */
static void type_pin(staff_rig *r, const char *digits)
{
    for (const char *d = digits; *d; d++)
        key(r, SDLK_0 + (*d - '0'));
    key(r, SDLK_RETURN);
    r->s.ctx.now_ms += 100;
    turn(r);
}

/* The same with the pad's keys, by touch. */
static void tap_pin(staff_rig *r, const char *digits)
{
    for (const char *d = digits; *d; d++)
        tap(r, staff_pin_key_rect(&r->s.ctx, *d - '0'));
    tap(r, staff_pin_key_rect(&r->s.ctx, STAFF_KEY_OK));
}

static void open_pad(staff_rig *r)
{
    SDL_Rect c = staff_corner(&r->s.ctx);
    finger(r, SDL_FINGERDOWN, c.w / 2, c.h / 2, 1);
    wait_ms(r, STAFF_HOLD_MS);
    finger(r, SDL_FINGERUP, c.w / 2, c.h / 2, 1);
    turn(r);
    assert_string_equal(current(r), "staff-pin");
}

/* The pad's clock: the frozen wall time plus the loop's time since. */
static int64_t lock_left(staff_rig *r, int64_t pad_opened_ms)
{
    clock_time t;
    clock_parse_iso8601(TUE_10, &t);
    int64_t now = t.sec + (r->s.ctx.now_ms - pad_opened_ms) / 1000;
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
        staff_rig r;
        staff_open(&r, f, cases[i].pin, TUE_10, f->pack, NULL);
        turn(&r);
        SDL_Rect c = staff_corner(&r.s.ctx);
        assert_true(c.w >= (int)(15 * SCREEN_RIG_PX_PER_MM));
        int x = c.w * cases[i].x / 1000, y = c.h * cases[i].y / 1000;
        if (x >= r.s.ctx.width)
            x = r.s.ctx.width - 1;
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
                finger(&r, SDL_FINGERDOWN, r.s.ctx.width / 2, 10, 2);
            if (cases[i].how == DRAG)
                finger(&r, SDL_FINGERMOTION, x + c.w / 2, y + c.h / 2, 1);
            wait_ms(&r, cases[i].hold_ms - 1000);
            if (cases[i].how == SECOND_FINGER)
                finger(&r, SDL_FINGERUP, r.s.ctx.width / 2, 10, 2);
            finger(&r, SDL_FINGERUP, x, y, 1);
            break;
        }
        wait_ms(&r, 1000);
        const char *want = cases[i].opens ? "staff-pin" : "home";
        if (strcmp(current(&r), want) != 0)
            fail_msg("%s: on %s, want %s", cases[i].name, current(&r), want);
        assert_int_equal(r.status_calls, 0);
        screen_rig_close(&r.s);
    }
    /* A kiosk with no staff view at all (previews): nothing happens. */
    staff_rig r;
    staff_open(&r, f, PIN, TUE_10, f->pack, NULL);
    r.s.ctx.staff = NULL;
    finger(&r, SDL_FINGERDOWN, 10, 10, 1);
    wait_ms(&r, 6000);
    assert_string_equal(current(&r), "home");
    screen_rig_close(&r.s);
}

/* ---- the PIN and its lockout ---- */

static void test_wrong_pins_lock_out(void **state)
{
    struct fixture *f = *state;
    char dir[] = "/tmp/hiroba-staff-XXXXXX";
    assert_non_null(mkdtemp(dir));
    store *st = store_open(dir, NULL);
    assert_non_null(st);
    staff_rig r;
    staff_open(&r, f, PIN, TUE_10, f->pack, st);
    open_pad(&r);
    int64_t opened = r.s.ctx.now_ms; /* the turn that entered the pad */
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
    staff_rig again;
    staff_open(&again, f, PIN, TUE_10, f->pack, st);
    open_pad(&again);
    type_pin(&again, PIN);
    assert_string_equal(current(&again), "staff-pin");
    assert_false(again.staff.unlocked);
    assert_int_equal(again.staff.lock.failures, 3);
    screen_rig_close(&again.s);
    /* After the lock, another wrong PIN locks twice as long. */
    wait_ms(&r, 31000);
    r.s.session.last_input_ms = r.s.ctx.now_ms; /* still at the pad, not idle */
    type_pin(&r, "9999");
    assert_int_equal(r.staff.lock.failures, 4);
    left = lock_left(&r, opened);
    assert_true(left >= 59 && left <= 60);
    r.s.ctx.now_ms += 61000;
    r.s.session.last_input_ms = r.s.ctx.now_ms;
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
    screen_rig_close(&r.s);
    store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- nothing of the page before the PIN ---- */

static void tap_page_buttons(staff_rig *r)
{
    for (int b = STAFF_BTN_SYNC; b <= STAFF_BTN_CLOSE; b++) {
        tap(r, staff_status_button_rect(&r->s.ctx, b));
        tap(r, staff_status_button_rect(&r->s.ctx, b)); /* restart asks twice */
    }
}

static void test_page_needs_the_pin(void **state)
{
    struct fixture *f = *state;
    staff_rig r;
    staff_open(&r, f, PIN, TUE_10, f->pack, NULL);
    turn(&r);
    /* On an ordinary screen: the page's buttons are not there. */
    tap_page_buttons(&r);
    screen_router_switch(r.s.router, &home_screen_ops);
    /* On the pad: nor there. */
    open_pad(&r);
    tap_page_buttons(&r);
    assert_int_equal(r.sync_calls + r.restart_calls + r.status_calls, 0);
    /* Asking for the page by name goes nowhere: it refuses to enter. */
    screen_router_switch(r.s.router, &home_screen_ops);
    assert_int_equal(screen_router_switch(r.s.router, &staff_status_screen_ops), -1);
    assert_string_equal(current(&r), "home");
    screen_go(&r.s.ctx, &staff_status_screen_ops);
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
    screen_rig_close(&r.s);
}

/* The page's buttons call main; Restart asks twice; Close and the idle
 * time lock it again. */
static void test_page_buttons(void **state)
{
    struct fixture *f = *state;
    staff_rig r;
    staff_open(&r, f, PIN, TUE_10, f->pack, NULL);
    open_pad(&r);
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    tap(&r, staff_status_button_rect(&r.s.ctx, STAFF_BTN_SYNC));
    assert_int_equal(r.sync_calls, 1);
    tap(&r, staff_status_button_rect(&r.s.ctx, STAFF_BTN_RESTART));
    assert_int_equal(r.restart_calls, 0);
    tap(&r, staff_status_button_rect(&r.s.ctx, STAFF_BTN_RESTART));
    assert_int_equal(r.restart_calls, 1);
    /* A second press long after the first is a first press again. */
    tap(&r, staff_status_button_rect(&r.s.ctx, STAFF_BTN_RESTART));
    r.s.ctx.now_ms += STAFF_CONFIRM_MS + 100;
    r.s.session.last_input_ms = r.s.ctx.now_ms;
    tap(&r, staff_status_button_rect(&r.s.ctx, STAFF_BTN_RESTART));
    assert_int_equal(r.restart_calls, 1);
    /* The report is refreshed while the page shows. */
    int calls = r.status_calls;
    wait_ms(&r, STAFF_REFRESH_MS + 200);
    assert_true(r.status_calls > calls);
    tap(&r, staff_status_button_rect(&r.s.ctx, STAFF_BTN_CLOSE));
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
    screen_rig_close(&r.s);
}

/* ---- goldens ---- */

static void golden(staff_rig *r, const char *name)
{
    ui_frame_invalidate(&r->s.frame);
    turn(r);
    assert_int_equal(screen_rig_golden(&r->s, name), 0);
}

static void test_golden_pad(void **state)
{
    struct fixture *f = *state;
    staff_rig r;
    staff_open(&r, f, PIN, TUE_10, f->pack, NULL);
    open_pad(&r);
    key(&r, SDLK_1);
    key(&r, SDLK_3);
    key(&r, SDLK_5);
    golden(&r, "staff-pin-ja-1920x1080.png");
    /* Locked: the countdown and dead keys. */
    for (int i = 0; i < 3; i++)
        type_pin(&r, "1111");
    golden(&r, "staff-pin-locked-ja-1920x1080.png");
    screen_rig_close(&r.s);
}

static void test_golden_status(void **state)
{
    struct fixture *f = *state;
    staff_rig r;
    staff_open(&r, f, PIN, TUE_10, f->pack, NULL);
    open_pad(&r);
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    golden(&r, "staff-status-ja-1920x1080.png");
    screen_rig_close(&r.s);
    /* A portrait kiosk: one column. */
    staff_open_size(&r, f, PIN, TUE_10, f->pack, NULL, 1080, 1920);
    open_pad(&r);
    type_pin(&r, PIN);
    assert_string_equal(current(&r), "staff-status");
    golden(&r, "staff-status-ja-1080x1920.png");
    screen_rig_close(&r.s);
}

/* ---- screen hours ---- */

static bool frame_is_black(staff_rig *r)
{
    int w = r->s.ctx.width, h = r->s.ctx.height;
    Uint32 *px = malloc((size_t)w * (size_t)h * 4);
    assert_non_null(px);
    assert_int_equal(
        SDL_RenderReadPixels(r->s.ctx.renderer, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4), 0);
    bool black = true;
    for (size_t i = 0; i < (size_t)w * (size_t)h && black; i++)
        black = (px[i] & 0xFFFFFFu) == 0;
    free(px);
    return black;
}

static void test_screen_hours(void **state)
{
    struct fixture *f = *state;
    model_pack *hours = parse(HOURS);
    assert_non_null(hours);
    staff_rig r;
    staff_open(&r, f, PIN, NIGHT, hours, NULL);
    r.s.session.last_input_ms = r.s.ctx.now_ms - 120000; /* nobody there for a while */
    ui_frame_begin_turn(&r.s.frame);
    screen_router_update(r.s.router);
    assert_string_equal(current(&r), "dark");
    /* One black frame, then nothing to draw however long the night. */
    assert_true(ui_frame_take_dirty(&r.s.frame));
    screen_router_draw(r.s.router);
    assert_true(frame_is_black(&r));
    for (int i = 0; i < 50; i++) {
        r.s.ctx.now_ms += 60000;
        ui_frame_begin_turn(&r.s.frame);
        screen_router_update(r.s.router);
        assert_false(ui_frame_take_dirty(&r.s.frame));
        /* ...but the loop looks again within a minute (the clock may be set). */
        int t = ui_frame_timeout_ms(&r.s.frame);
        assert_true(t > 0 && t <= 60000);
    }
    /* A touch wakes the idle screen, and is not passed on. */
    SDL_Event ev = {0};
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.x = 0.5f;
    ev.tfinger.y = 0.5f;
    assert_true(screen_router_event(r.s.router, &ev));
    turn(&r);
    assert_string_equal(current(&r), "home");
    assert_false(frame_is_black(&r));
    /* Used within the idle time it stays; left alone, dark again. */
    wait_ms(&r, 50000);
    assert_string_equal(current(&r), "home");
    wait_ms(&r, 11000);
    assert_string_equal(current(&r), "dark");
    screen_rig_close(&r.s);
    /* Inside the hours, or with no hours in the pack: never dark. */
    staff_open(&r, f, PIN, TUE_10, hours, NULL);
    r.s.session.last_input_ms = r.s.ctx.now_ms - 120000;
    wait_ms(&r, 1000);
    assert_string_equal(current(&r), "home");
    screen_rig_close(&r.s);
    staff_open(&r, f, PIN, NIGHT, f->pack, NULL);
    r.s.session.last_input_ms = r.s.ctx.now_ms - 120000;
    wait_ms(&r, 1000);
    assert_string_equal(current(&r), "home");
    screen_rig_close(&r.s);
    model_pack_destroy(hours);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gesture_exact),      cmocka_unit_test(test_wrong_pins_lock_out),
        cmocka_unit_test(test_page_needs_the_pin), cmocka_unit_test(test_page_buttons),
        cmocka_unit_test(test_golden_pad),         cmocka_unit_test(test_golden_status),
        cmocka_unit_test(test_screen_hours),
    };
    return cmocka_run_group_tests(tests, group_setup, rig_group_teardown);
}
