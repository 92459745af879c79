/* test_signage: how the signage screen looks. Reference screenshots of a
 * card (both orientations) and a letterboxed picture with a frozen clock;
 * any window shape without cut text; the calm screens (no pack yet, nothing
 * on now); drawing only when something moves; and its pure helpers
 * (contrast, letterboxing, ticker scroll). The loop's behaviour is in
 * test_signage_loop.c; its bracket glue in tests/unit/test_glue.c. */
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

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "tests/screens/golden.h"
#include "tests/screens/signage_rig.h"
#include "ui/video.h"
#include "ui/window.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

/* ---- pure helpers ---- */

static void test_contrast(void **state)
{
    (void)state;
    assert_true(signage_min_contrast() >= 4.5);
}

static void test_fit_image(void **state)
{
    (void)state;
    static const struct {
        int sw, sh;
        SDL_Rect box;
        double up;
        SDL_Rect want;
    } cases[] = {
        {640, 360, {0, 0, 1920, 1080}, 0, {0, 0, 1920, 1080}},    /* same aspect: fills */
        {300, 420, {0, 0, 1920, 1080}, 0, {574, 0, 771, 1080}},   /* tall: pillarboxed */
        {800, 200, {10, 20, 400, 400}, 0, {10, 170, 400, 100}},   /* wide: letterboxed */
        {100, 50, {0, 0, 1000, 1000}, 3.0, {350, 425, 300, 150}}, /* no more than 3x */
        {4000, 3000, {0, 0, 400, 400}, 3.0, {0, 50, 400, 300}},   /* shrinking: no limit */
        {0, 50, {5, 5, 100, 100}, 0, {5, 5, 0, 0}},               /* no picture */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SDL_Rect r = signage_fit_image(cases[i].sw, cases[i].sh, cases[i].box, cases[i].up);
        if (r.x != cases[i].want.x || r.y != cases[i].want.y || r.w != cases[i].want.w ||
            r.h != cases[i].want.h)
            fail_msg("case %zu: got %d,%d %dx%d", i, r.x, r.y, r.w, r.h);
        /* Never stretched: the aspect stays within a pixel's rounding. */
        if (r.w > 0 && r.h > 0) {
            double a = (double)cases[i].sw / cases[i].sh, b = (double)r.w / r.h;
            assert_true(a / b > 0.99 && a / b < 1.01);
        }
    }
}

static void test_ticker_offset(void **state)
{
    (void)state;
    static const struct {
        int64_t ms;
        int speed, period, want;
    } cases[] = {
        {0, 150, 3000, 0},
        {1000, 150, 3000, 150},
        {20000, 150, 3000, 0}, /* a full round */
        {20500, 150, 3000, 75},
        {-50, 150, 3000, 0},
        {1000, 150, 0, 0},
        {86400000LL * 400, 200, 7001, (int)((86400000LL * 400 * 200 / 1000) % 7001)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(signage_ticker_offset(cases[i].ms, cases[i].speed, cases[i].period),
                         cases[i].want);
    /* Constant speed whatever the frame rate: 60 small steps add up to one big one. */
    int moved = 0, prev = 0;
    for (int frame = 1; frame <= 60; frame++) {
        int now = signage_ticker_offset(frame * 1000 / 60, 144, 100000);
        moved += now - prev;
        prev = now;
    }
    assert_int_equal(moved, signage_ticker_offset(1000, 144, 100000));
}

/* ---- reference screenshots ---- */

static void check_golden(struct fixture *f, const char *item, int w, int h, const char *name)
{
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct rig r;
    rig_open(&r, f, w, h, pack, TUE_10, 0);
    rig_force(&r, item);
    char actual[1024], ref[1024];
    rig_out_path(actual, sizeof actual, name);
    snprintf(ref, sizeof ref, "%s/tests/ref/%s", rig_source_dir(), name);
    rig_log_rewind(f);
    rig_shot(&r, actual);
    log_entry problems[2];
    if (log_recent(problems, 2))
        fail_msg("%s logged: %s", name, problems[0].message);
    rig_close(&r);
    model_pack_destroy(pack);
    assert_int_equal(golden_check(actual, ref, HIROBA_TEST_OUT_DIR), 0);
}

static void test_golden_card_landscape(void **state)
{
    check_golden(*state, "notice", 1920, 1080, "signage-card-1920x1080.png");
}

static void test_golden_card_portrait(void **state)
{
    check_golden(*state, "notice", 1080, 1920, "signage-card-1080x1920.png");
}

static void test_golden_image(void **state)
{
    check_golden(*state, "poster", 1920, 1080, "signage-image-1920x1080.png");
}

/* Any window shape: the card fits without cutting its text, nothing but
 * backgrounds touch the left and right edges, and text is drawn. */
static void test_fits_any_shape(void **state)
{
    struct fixture *f = *state;
    static const struct {
        int w, h;
        const char *lang;
    } sizes[] = {
        {1920, 1080, "ja"}, {1080, 1920, "ja"}, {1366, 768, "ja"},  {1280, 800, "en"},
        {800, 480, "ja"},   {480, 800, "ja"},   {1080, 1080, "en"}, {2560, 1080, "ja"},
    };
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i].w, h = sizes[i].h;
        struct rig r;
        rig_open(&r, f, w, h, pack, TUE_10, 0);
        r.ctx.lang = sizes[i].lang;
        rig_log_rewind(f);
        rig_force(&r, "notice");
        char name[64], path[1024];
        snprintf(name, sizeof name, "signage-fit-%dx%d.png", w, h);
        rig_out_path(path, sizeof path, name);
        rig_shot(&r, path);
        if (rig_log_contains(f, "too long"))
            fail_msg("%dx%d %s: the card's text was cut", w, h, sizes[i].lang);
        rig_close(&r);
        SDL_Surface *s = rig_load_rgb(path);
        static const Uint32 edge_ok[] = {PAGE, BAND, 0x1B2B3C, 0xFFD23F};
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < 4; k++) {
                Uint32 px[2] = {rig_pixel(s, k, y), rig_pixel(s, w - 1 - k, y)};
                for (int side = 0; side < 2; side++) {
                    bool ok = false;
                    for (size_t c = 0; c < 4; c++)
                        ok = ok || px[side] == edge_ok[c];
                    if (!ok)
                        fail_msg("%dx%d: something touches the %s edge at row %d (%06x)", w, h,
                                 side ? "right" : "left", y, px[side]);
                }
            }
        }
        if (rig_dark_in(s, (SDL_Rect){0, 0, w, h}) < (size_t)w * h / 300)
            fail_msg("%dx%d: hardly any text drawn", w, h);
        SDL_FreeSurface(s);
    }
    model_pack_destroy(pack);
}

/* No pack yet: a calm "preparing" screen with the clock, nothing logged
 * as a problem. */
static void test_no_pack(void **state)
{
    struct fixture *f = *state;
    static const char *const langs[] = {"ja", "en"};
    for (size_t i = 0; i < 2; i++) {
        struct rig r;
        rig_log_rewind(f);
        rig_open(&r, f, 1280, 720, NULL, TUE_10, 0);
        r.ctx.lang = langs[i];
        char path[1024];
        rig_out_path(path, sizeof path, i ? "signage-preparing-en.png" : "signage-preparing.png");
        rig_shot(&r, path);
        assert_null(signage_current(r.s));
        rig_close(&r);
        log_entry problems[2];
        assert_int_equal(log_recent(problems, 2), 0);
        SDL_Surface *s = rig_load_rgb(path);
        assert_int_equal(rig_pixel(s, 0, 0), BAND);                        /* the header band */
        assert_true(rig_dark_in(s, (SDL_Rect){0, 200, 1280, 400}) > 2000); /* the message */
        SDL_FreeSurface(s);
    }
}

/* Nothing on at this time: the facility greets instead of a black screen. */
static void test_nothing_on(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct rig r;
    rig_open(&r, f, 1280, 720, pack, "2026-11-24T23:00:00+09:00", 0);
    rig_run(&r, 100);
    assert_null(signage_current(r.s));
    char path[1024];
    rig_out_path(path, sizeof path, "signage-nothing-on.png");
    rig_shot(&r, path);
    rig_close(&r);
    model_pack_destroy(pack);
    SDL_Surface *s = rig_load_rgb(path);
    assert_true(rig_dark_in(s, (SDL_Rect){0, 150, 1280, 400}) > 2000);
    SDL_FreeSurface(s);
}

/* A static card costs nothing: no frame is asked for between turns, and
 * with a frozen clock no wake-up either. A ticker that scrolls asks for
 * frames all the time. */
static void test_redraw_only_when_moving(void **state)
{
    struct fixture *f = *state;
    static const char quiet[] =
        "{\"format\": 1, \"facility\": {\"name\": \"テスト\"},"
        " \"items\": [{\"id\": \"c\", \"type\": \"card\", \"title\": \"お知らせ\","
        " \"body\": \"静かなカードです。\"}],"
        " \"playlists\": [{\"id\": \"p\", \"items\": [\"c\"]}], \"schedule\": [{\"playlist\": "
        "\"p\"}],"
        " \"ticker\": [{\"text\": \"短い\"}]}";
    static const struct {
        const char *what;
        bool basic; /* the fixture (long ticker) or the quiet pack */
        bool moving;
    } cases[] = {{"a card, a ticker that fits", false, false}, {"a long ticker", true, true}};
    for (size_t i = 0; i < 2; i++) {
        model_pack *pack = rig_parse(cases[i].basic ? f->basic : quiet, PACK_JSON_SOURCE);
        struct rig r;
        rig_open(&r, f, 1280, 720, pack, TUE_10, 0);
        rig_run(&r, SIGNAGE_FADE_MS + 200); /* the first item faded in */
        /* A second of main's loop: it sleeps as long as the screen lets it. */
        int frames = rig_loop(&r, 1000);
        if (cases[i].moving ? frames < 30 : frames != 0)
            fail_msg("%s: %d frames in a second", cases[i].what, frames);
        if (!cases[i].moving)
            assert_int_equal(ui_frame_timeout_ms(&r.frame), -1); /* sleeps until an event */
        rig_close(&r);
        model_pack_destroy(pack);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast),
        cmocka_unit_test(test_fit_image),
        cmocka_unit_test(test_ticker_offset),
        cmocka_unit_test(test_golden_card_landscape),
        cmocka_unit_test(test_golden_card_portrait),
        cmocka_unit_test(test_golden_image),
        cmocka_unit_test(test_fits_any_shape),
        cmocka_unit_test(test_no_pack),
        cmocka_unit_test(test_nothing_on),
        cmocka_unit_test(test_redraw_only_when_moving),
    };
    return cmocka_run_group_tests(tests, rig_group_setup, rig_group_teardown);
}
