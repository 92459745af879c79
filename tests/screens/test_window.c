/* test_window: ui/window (both backends, screenshots, waiting, ui_frame)
 * and ui/draw, without any font. */
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
#include <SDL_image.h>

#include "ui/draw.h"
#include "ui/ui_log.h"
#include "ui/window.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

/* The last error ui/ reported, to check that failures say why. */
static char last_error[1024];

static void capture_log(void *userdata, ui_log_level level, const char *module, const char *msg)
{
    (void)userdata;
    if (level == UI_LOG_ERROR && !last_error[0])
        snprintf(last_error, sizeof last_error, "%s: %s", module, msg);
}

static int setup(void **state)
{
    (void)state;
    ui_log_set_handler(capture_log, NULL);
    last_error[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    IMG_Quit();
    SDL_Quit();
    return 0;
}

static Uint32 rgb_at(SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * 3;
    return (Uint32)p[0] << 16 | (Uint32)p[1] << 8 | p[2];
}

static SDL_Surface *load_rgb(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    assert_non_null(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

static void test_bad_sizes(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        bool headless;
    } cases[] = {
        {0, 0, true},    {-1, 100, true},  {100, 0, true},     {100, -5, false},
        {0, 100, false}, {8193, 10, true}, {10, 100000, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        last_error[0] = '\0';
        ui_window_options o = {
            .width = cases[i].w, .height = cases[i].h, .headless = cases[i].headless};
        ui_window *w = ui_window_create(&o);
        if (w)
            fail_msg("%dx%d accepted", cases[i].w, cases[i].h);
        assert_true(last_error[0] != '\0');
    }
}

/* Draws known shapes, takes a screenshot, reads the PNG back. */
static void draw_and_check(ui_window *win, const char *name)
{
    int w, h;
    ui_window_size(win, &w, &h);
    assert_int_equal(w, 200);
    assert_int_equal(h, 120);
    SDL_Renderer *r = ui_window_renderer(win);
    ui_draw_clear(r, ui_color_hex(0x102030));
    ui_draw_fill_rect(r, (SDL_Rect){10, 10, 50, 40}, ui_color_hex(0xff0000));
    ui_draw_rect_outline(r, (SDL_Rect){100, 10, 60, 40}, 4, ui_color_hex(0x00ff00));
    ui_draw_rounded_rect(r, (SDL_Rect){10, 60, 80, 50}, 20, ui_color_hex(0x0000ff));
    ui_draw_hline(r, 100, 80, 90, 3, ui_color_hex(0xffffff));
    ui_draw_fill_rect(r, (SDL_Rect){100, 100, 20, 10}, ui_color_alpha(ui_color_hex(0xffffff), 128));
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", HIROBA_TEST_OUT_DIR, name);
    assert_int_equal(ui_window_screenshot(win, path), 0);
    ui_window_present(win);

    SDL_Surface *s = load_rgb(path);
    assert_int_equal(s->w, 200);
    assert_int_equal(s->h, 120);
    static const struct {
        int x, y;
        uint32_t rgb;
    } probes[] = {
        {0, 0, 0x102030},    {199, 119, 0x102030},                      /* background */
        {10, 10, 0xff0000},  {59, 49, 0xff0000},   {60, 50, 0x102030},  /* rect, exclusive end */
        {100, 10, 0x00ff00}, {103, 30, 0x00ff00},  {104, 30, 0x102030}, /* 4 px outline */
        {130, 30, 0x102030}, {159, 49, 0x00ff00},  {10, 60, 0x102030},
        {89, 109, 0x102030}, /* rounded corners stay background */
        {50, 60, 0x0000ff},  {10, 85, 0x0000ff},   {50, 85, 0x0000ff},
        {100, 80, 0xffffff}, {189, 82, 0xffffff},  {100, 83, 0x102030}, /* hline */
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        Uint32 got = rgb_at(s, probes[i].x, probes[i].y);
        if (got != probes[i].rgb)
            fail_msg("%s: (%d,%d) is %06x, want %06x", name, probes[i].x, probes[i].y, got,
                     probes[i].rgb);
    }
    /* Half-transparent white over 0x102030 blends to about 0x8890 98. */
    Uint32 blend = rgb_at(s, 110, 105);
    assert_in_range(blend >> 16, 0x80, 0x90);
    SDL_FreeSurface(s);
}

static void test_headless_pixels(void **state)
{
    (void)state;
    ui_window_options o = {.width = 200, .height = 120, .headless = true};
    ui_window *w = ui_window_create(&o);
    assert_non_null(w);
    assert_true(ui_window_is_headless(w));
    assert_string_equal(ui_window_backend_name(w), "headless");
    draw_and_check(w, "window-headless.png");
    assert_int_equal(ui_window_take_changes(w), 0);
    ui_window_destroy(w);
}

/* The real backend on SDL's offscreen driver gives the same pixels. */
static void test_real_offscreen_pixels(void **state)
{
    (void)state;
    ui_window_options o = {
        .width = 200, .height = 120, .video_driver = "offscreen", .software = true};
    ui_window *w = ui_window_create(&o);
    if (!w)
        fail_msg("offscreen driver: %s", last_error);
    assert_false(ui_window_is_headless(w));
    draw_and_check(w, "window-offscreen.png");
    ui_window_destroy(w);
}

/* A driver that does not exist fails with a message naming it. */
static void test_real_bad_driver(void **state)
{
    (void)state;
    ui_window_options o = {.width = 200, .height = 120, .video_driver = "no-such-driver"};
    ui_window *w = ui_window_create(&o);
    assert_null(w);
    assert_non_null(strstr(last_error, "no-such-driver"));
}

static void test_screenshot_unwritable(void **state)
{
    (void)state;
    ui_window_options o = {.width = 20, .height = 20, .headless = true};
    ui_window *w = ui_window_create(&o);
    assert_non_null(w);
    last_error[0] = '\0';
    assert_int_equal(ui_window_screenshot(w, "/nonexistent-dir/x.png"), -1);
    assert_non_null(strstr(last_error, "/nonexistent-dir/x.png"));
    ui_window_destroy(w);
}

/* Waiting honours the timeout and returns pushed events at once. */
static void test_wait_event(void **state)
{
    (void)state;
    ui_window_options o = {.width = 20, .height = 20, .headless = true};
    ui_window *w = ui_window_create(&o);
    assert_non_null(w);
    SDL_Event ev;
    while (ui_window_wait_event(w, &ev, 0))
        ; /* drop whatever start-up queued */
    Uint64 t0 = SDL_GetTicks64();
    assert_int_equal(ui_window_wait_event(w, &ev, 120), 0);
    Uint64 waited = SDL_GetTicks64() - t0;
    assert_true(waited >= 120);
    assert_true(waited < 1000);

    SDL_Event user = {.type = SDL_USEREVENT};
    user.user.code = 42;
    assert_int_equal(SDL_PushEvent(&user), 1);
    t0 = SDL_GetTicks64();
    assert_int_equal(ui_window_wait_event(w, &ev, 5000), 1);
    assert_true(SDL_GetTicks64() - t0 < 1000);
    assert_int_equal(ev.type, SDL_USEREVENT);
    assert_int_equal(ev.user.code, 42);
    ui_window_destroy(w);
}

static void test_frame(void **state)
{
    (void)state;
    ui_frame f;
    ui_frame_init(&f);
    assert_int_equal(ui_frame_timeout_ms(&f), 0); /* the first frame is due */
    assert_true(ui_frame_take_dirty(&f));
    assert_false(ui_frame_take_dirty(&f));
    ui_frame_begin_turn(&f);
    assert_int_equal(ui_frame_timeout_ms(&f), -1); /* nothing to do: sleep */
    ui_frame_wake_in(&f, 5000);
    ui_frame_wake_in(&f, 300); /* the earliest wins */
    ui_frame_wake_in(&f, 9000);
    assert_in_range(ui_frame_timeout_ms(&f), 250, 300);
    ui_frame_begin_turn(&f); /* wake-ups are declared anew each turn */
    assert_int_equal(ui_frame_timeout_ms(&f), -1);
    ui_frame_invalidate(&f);
    assert_int_equal(ui_frame_timeout_ms(&f), 0);
}

static void test_contrast(void **state)
{
    (void)state;
    static const struct {
        uint32_t a, b;
        double lo, hi;
    } cases[] = {
        {0x000000, 0xffffff, 20.99, 21.01},
        {0xffffff, 0xffffff, 0.99, 1.01},
        {0x767676, 0xffffff, 4.50, 4.56}, /* the classic AA threshold grey */
        {0xffffff, 0x0f4c81, 8.0, 10.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double c = ui_color_contrast(ui_color_hex(cases[i].a), ui_color_hex(cases[i].b));
        if (c < cases[i].lo || c > cases[i].hi)
            fail_msg("%06x on %06x: %.3f", cases[i].a, cases[i].b, c);
        assert_true(ui_color_contrast(ui_color_hex(cases[i].b), ui_color_hex(cases[i].a)) == c);
    }
    SDL_Color c = ui_color_hex(0x123456);
    assert_int_equal(c.r, 0x12);
    assert_int_equal(c.g, 0x34);
    assert_int_equal(c.b, 0x56);
    assert_int_equal(c.a, 255);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bad_sizes, setup),
        cmocka_unit_test_setup(test_headless_pixels, setup),
        cmocka_unit_test_setup(test_real_offscreen_pixels, setup),
        cmocka_unit_test_setup(test_real_bad_driver, setup),
        cmocka_unit_test_setup(test_screenshot_unwritable, setup),
        cmocka_unit_test_setup(test_wait_event, setup),
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_contrast),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
