/* test_specimen: the type specimen rendered headless with a frozen clock,
 * compared with reference PNGs; checks that it fits any window shape, shows
 * the clock, sleeps when nothing changes; and the golden helper itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/core/log.h"
#include "app/screens/screen.h"
#include "tests/screens/golden.h"
#include "tests/screens/screen_rig.h"

/* Renders one frame of the specimen at w x h and writes it to
 * HIROBA_TEST_OUT_DIR/name, its path in path. A plain display: no session. */
static void render_specimen(struct fixture *f, int w, int h, const char *clock_spec,
                            const char *name, char *path, size_t cap)
{
    screen_rig r;
    screen_rig_open(&r, f, w, h, MODEL_LANG_JA, NULL, clock_spec);
    r.ctx.session = NULL;
    screen_rig_show(&r, &specimen_screen_ops);
    screen_rig_draw(&r);
    screen_rig_shot(&r, name, path, cap);
    ui_window_present(r.win);
    screen_rig_close(&r);
}

static void check_golden(void **state, int w, int h)
{
    char name[64], actual[4096], ref[4096];
    snprintf(name, sizeof name, "specimen-%dx%d.png", w, h);
    render_specimen(*state, w, h, TUE_10, name, actual, sizeof actual);
    snprintf(ref, sizeof ref, "%s/tests/ref/%s", rig_source_dir(), name);
    assert_int_equal(golden_check(actual, ref, HIROBA_TEST_OUT_DIR), 0);
}

static void test_golden_landscape(void **state)
{
    check_golden(state, 1920, 1080);
}

static void test_golden_portrait(void **state)
{
    check_golden(state, 1080, 1920);
}

/* Any window shape: the notice fits (no "too small" warning, nothing logged
 * as a problem), no text touches an edge (every background reaches both
 * sides symmetrically, top and bottom rows are plain), and text was drawn. */
static void test_fits_any_shape(void **state)
{
    struct fixture *f = *state;
    static const struct {
        int w, h;
    } sizes[] = {
        {1920, 1080}, {1080, 1920}, {1366, 768},  {1280, 800}, {1024, 600},  {800, 480},
        {480, 800},   {1080, 1080}, {1280, 1024}, {720, 1280}, {2560, 1080}, {3840, 2160},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i].w, h = sizes[i].h;
        char name[64], path[4096];
        snprintf(name, sizeof name, "fit-%dx%d.png", w, h);
        rig_log_rewind(f);
        render_specimen(f, w, h, TUE_10, name, path, sizeof path);
        log_entry problems[4];
        if (log_recent(problems, 4) != 0)
            fail_msg("%dx%d logged: %s: %s", w, h, problems[0].module, problems[0].message);
        assert_false(rig_log_contains(f, "too small"));

        SDL_Surface *s = rig_load_rgb(path);
        assert_int_equal(s->w, w);
        assert_int_equal(s->h, h);
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < 3; k++) {
                if (rig_pixel(s, k, y) != rig_pixel(s, w - 1 - k, y))
                    fail_msg("%dx%d: something touches an edge at row %d (%06x vs %06x)", w, h, y,
                             rig_pixel(s, k, y), rig_pixel(s, w - 1 - k, y));
            }
        }
        for (int x = 0; x < w; x++) {
            if (rig_pixel(s, x, 0) != rig_pixel(s, 0, 0) ||
                rig_pixel(s, x, h - 1) != rig_pixel(s, 0, h - 1))
                fail_msg("%dx%d: something touches the top or bottom at x=%d", w, h, x);
        }
        size_t dark = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                dark += (rig_pixel(s, x, y) & 0xff) < 0x60;
        if (dark < (size_t)w * h / 200)
            fail_msg("%dx%d: hardly any text drawn (%zu dark pixels)", w, h, dark);
        SDL_FreeSurface(s);
    }
}

/* The header shows the clock: another frozen time changes the header band
 * and nothing else. */
static void test_header_shows_clock(void **state)
{
    struct fixture *f = *state;
    char a[4096], b[4096];
    render_specimen(f, 1280, 720, TUE_10, "clock-1000.png", a, sizeof a);
    render_specimen(f, 1280, 720, "2026-11-24T11:59:30+09:00", "clock-1159.png", b, sizeof b);
    SDL_Surface *sa = rig_load_rgb(a), *sb = rig_load_rgb(b);
    Uint32 band = rig_pixel(sa, 0, 0);
    int band_end = 0;
    while (band_end < sa->h && rig_pixel(sa, 0, band_end) == band)
        band_end++;
    assert_true(band_end > 0 && band_end < sa->h / 5);
    size_t in_band = 0, below = 0;
    for (int y = 0; y < sa->h; y++)
        for (int x = 0; x < sa->w; x++)
            if (rig_pixel(sa, x, y) != rig_pixel(sb, x, y)) {
                if (y < band_end)
                    in_band++;
                else
                    below++;
            }
    assert_true(in_band > 0);
    assert_int_equal(below, 0);
    SDL_FreeSurface(sa);
    SDL_FreeSurface(sb);
}

/* A static screen costs nothing: with a frozen clock nothing asks for a
 * wake-up; with a real clock the next wake-up is the next minute. */
static void test_update_sleeps(void **state)
{
    struct fixture *f = *state;
    ui_window_options wo = {.width = 320, .height = 240, .headless = true};
    ui_window *win = ui_window_create(&wo);
    assert_non_null(win);
    static const struct {
        const char *clock;
        int min_ms, max_ms;
    } cases[] = {{TUE_10, -1, -1}, {"real", 1, 60000}, {"+30", 1, 60000}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clock_source *clk = clock_create(cases[i].clock);
        assert_non_null(clk);
        ui_frame frame;
        ui_frame_init(&frame);
        screen_ctx ctx = {.renderer = ui_window_renderer(win),
                          .width = 320,
                          .height = 240,
                          .engine = f->engine,
                          .cache = f->cache,
                          .clock = clk,
                          .lang = "ja",
                          .frame = &frame};
        screen_router *router = screen_router_create(&ctx);
        assert_int_equal(screen_router_switch(router, &specimen_screen_ops), 0);
        assert_true(ui_frame_take_dirty(&frame)); /* the first frame is drawn */
        /* Same minute: nothing to draw. (A real clock may cross a minute
         * between two turns, once.) */
        bool dirty = true;
        for (int turn = 0; turn < 2 && dirty; turn++) {
            ui_frame_begin_turn(&frame);
            screen_router_update(router);
            dirty = ui_frame_take_dirty(&frame);
        }
        assert_false(dirty);
        int t = ui_frame_timeout_ms(&frame);
        assert_in_range(t + 1, cases[i].min_ms + 1, cases[i].max_ms + 1);
        screen_router_destroy(router);
        clock_destroy(clk);
    }
    ui_window_destroy(win);
}

static void test_contrast(void **state)
{
    (void)state;
    assert_true(specimen_min_contrast() >= 4.5);
}

static void *refuse_enter(screen_ctx *ctx)
{
    (void)ctx;
    return NULL;
}

static const screen_ops refusing_ops = {.name = "refusing", .enter = refuse_enter};

/* A screen that cannot enter leaves the current one showing. */
static void test_router_keeps_screen(void **state)
{
    struct fixture *f = *state;
    clock_source *clk = clock_create(TUE_10);
    ui_frame frame;
    ui_frame_init(&frame);
    screen_ctx ctx = {.engine = f->engine, .cache = f->cache, .clock = clk, .frame = &frame};
    screen_router *r = screen_router_create(&ctx);
    assert_null(screen_router_current(r));
    assert_int_equal(screen_router_switch(r, &specimen_screen_ops), 0);
    assert_string_equal(screen_router_current(r), "specimen");
    rig_log_rewind(f);
    assert_int_equal(screen_router_switch(r, &refusing_ops), -1);
    assert_string_equal(screen_router_current(r), "specimen");
    assert_true(rig_log_contains(f, "cannot enter refusing"));
    screen_router_destroy(r);
    clock_destroy(clk);
}

/* golden_compare on synthetic images: the thresholds are where they say. */
static void test_golden_compare(void **state)
{
    (void)state;
    enum { W = 100, H = 100 };
    static const struct {
        const char *what;
        int w, h;    /* the actual image's size */
        int changed; /* pixels changed, from the top-left */
        int delta;   /* by this much in the red channel */
        bool match;
        size_t differing;
    } cases[] = {
        {"identical", W, H, 0, 0, true, 0},
        {"50 px within tolerance", W, H, 50, GOLDEN_CHANNEL_TOLERANCE, true, 0},
        {"5 px just beyond tolerance (0.05%)", W, H, 5, GOLDEN_CHANNEL_TOLERANCE + 1, true, 5},
        {"6 px beyond tolerance", W, H, 6, 100, false, 6},
        {"everything changed", W, H, W * H, 200, false, W * H},
        {"other size", W, H + 1, 0, 0, false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SDL_Surface *ref = SDL_CreateRGBSurfaceWithFormat(0, W, H, 24, SDL_PIXELFORMAT_RGB24);
        SDL_Surface *act =
            SDL_CreateRGBSurfaceWithFormat(0, cases[i].w, cases[i].h, 32, SDL_PIXELFORMAT_RGB888);
        assert_non_null(ref);
        assert_non_null(act);
        SDL_FillRect(ref, NULL, SDL_MapRGB(ref->format, 20, 30, 40));
        SDL_FillRect(act, NULL, SDL_MapRGB(act->format, 20, 30, 40));
        for (int k = 0; k < cases[i].changed; k++) {
            SDL_Rect px = {k % cases[i].w, k / cases[i].w, 1, 1};
            SDL_FillRect(act, &px, SDL_MapRGB(act->format, (Uint8)(20 + cases[i].delta), 30, 40));
        }
        golden_result res;
        SDL_Surface *diff = NULL;
        assert_int_equal(golden_compare(act, ref, &res, &diff), 0);
        if (res.match != cases[i].match || res.differing != cases[i].differing)
            fail_msg("%s: match %d differing %zu", cases[i].what, res.match, res.differing);
        if (res.same_size) {
            assert_non_null(diff);
            if (cases[i].differing > 0)
                assert_int_equal(rig_pixel(diff, 0, 0) >> 16, 255); /* shown in red */
        }
        SDL_FreeSurface(diff);
        SDL_FreeSurface(ref);
        SDL_FreeSurface(act);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_compare),      cmocka_unit_test(test_contrast),
        cmocka_unit_test(test_router_keeps_screen), cmocka_unit_test(test_update_sleeps),
        cmocka_unit_test(test_header_shows_clock),  cmocka_unit_test(test_fits_any_shape),
        cmocka_unit_test(test_golden_landscape),    cmocka_unit_test(test_golden_portrait),
    };
    return cmocka_run_group_tests(tests, rig_group_setup, rig_group_teardown);
}
