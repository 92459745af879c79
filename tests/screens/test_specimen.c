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
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/screens/screen.h"
#include "tests/screens/golden.h"
#include "ui/draw.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/text/layout.h"
#include "ui/ui_log.h"
#include "ui/window.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

#define FROZEN "2026-11-24T10:00:00+09:00"

struct fixture {
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    FILE *log; /* everything logged during the tests */
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
    if (!f.cache) {
        fprintf(stderr, "cannot load fonts from %s\n", text_fonts_default_ini());
        return -1;
    }
    *state = &f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *f = *state;
    text_cache_destroy(f->cache);
    text_engine_destroy(f->engine);
    text_fonts_destroy(f->fonts);
    log_set_stream(NULL);
    fclose(f->log);
    IMG_Quit();
    SDL_Quit();
    return 0;
}

/* Forgets what was logged so far. */
static void log_rewind(struct fixture *f)
{
    fflush(f->log);
    rewind(f->log);
    if (ftruncate(fileno(f->log), 0) != 0)
        fail_msg("cannot truncate the log capture");
    log_reset();
}

static bool log_contains(struct fixture *f, const char *needle)
{
    char line[2048];
    bool found = false;
    fflush(f->log);
    rewind(f->log);
    while (fgets(line, sizeof line, f->log))
        found = found || strstr(line, needle) != NULL;
    fseek(f->log, 0, SEEK_END);
    return found;
}

/* Renders one frame of the specimen at w x h and writes it to path. */
static void render_specimen(struct fixture *f, int w, int h, const char *clock_spec,
                            const char *path)
{
    ui_window_options wo = {.width = w, .height = h, .headless = true};
    ui_window *win = ui_window_create(&wo);
    assert_non_null(win);
    text_atlas *atlas = text_atlas_create(ui_window_renderer(win), f->fonts, 0);
    assert_non_null(atlas);
    clock_source *clk = clock_create(clock_spec);
    assert_non_null(clk);
    ui_frame frame;
    ui_frame_init(&frame);
    screen_ctx ctx = {
        .renderer = ui_window_renderer(win),
        .width = w,
        .height = h,
        .engine = f->engine,
        .cache = f->cache,
        .atlas = atlas,
        .clock = clk,
        .lang = "ja",
        .tz = CLOCK_DEFAULT_TZ,
        .frame = &frame,
    };
    screen_router *router = screen_router_create(&ctx);
    assert_non_null(router);
    assert_int_equal(screen_router_switch(router, &specimen_screen_ops), 0);
    screen_router_update(router);
    screen_router_draw(router);
    text_atlas_end_frame(atlas);
    assert_int_equal(ui_window_screenshot(win, path), 0);
    ui_window_present(win);
    text_cache_trim(f->cache);
    screen_router_destroy(router);
    clock_destroy(clk);
    text_atlas_destroy(atlas);
    ui_window_destroy(win);
}

static void out_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", HIROBA_TEST_OUT_DIR, name);
}

static void check_golden(void **state, int w, int h)
{
    struct fixture *f = *state;
    char name[64], actual[4096], ref[4096];
    snprintf(name, sizeof name, "specimen-%dx%d.png", w, h);
    out_path(actual, sizeof actual, name);
    snprintf(ref, sizeof ref, "%s/tests/ref/%s", source_dir(), name);
    render_specimen(f, w, h, FROZEN, actual);
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

static Uint32 pixel_at(SDL_Surface *s, int x, int y)
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
        out_path(path, sizeof path, name);
        log_rewind(f);
        render_specimen(f, w, h, FROZEN, path);
        log_entry problems[4];
        if (log_recent(problems, 4) != 0)
            fail_msg("%dx%d logged: %s: %s", w, h, problems[0].module, problems[0].message);
        assert_false(log_contains(f, "too small"));

        SDL_Surface *s = load_rgb(path);
        assert_int_equal(s->w, w);
        assert_int_equal(s->h, h);
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < 3; k++) {
                if (pixel_at(s, k, y) != pixel_at(s, w - 1 - k, y))
                    fail_msg("%dx%d: something touches an edge at row %d (%06x vs %06x)", w, h, y,
                             pixel_at(s, k, y), pixel_at(s, w - 1 - k, y));
            }
        }
        for (int x = 0; x < w; x++) {
            if (pixel_at(s, x, 0) != pixel_at(s, 0, 0) ||
                pixel_at(s, x, h - 1) != pixel_at(s, 0, h - 1))
                fail_msg("%dx%d: something touches the top or bottom at x=%d", w, h, x);
        }
        size_t dark = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                dark += (pixel_at(s, x, y) & 0xff) < 0x60;
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
    out_path(a, sizeof a, "clock-1000.png");
    out_path(b, sizeof b, "clock-1159.png");
    render_specimen(f, 1280, 720, FROZEN, a);
    render_specimen(f, 1280, 720, "2026-11-24T11:59:30+09:00", b);
    SDL_Surface *sa = load_rgb(a), *sb = load_rgb(b);
    Uint32 band = pixel_at(sa, 0, 0);
    int band_end = 0;
    while (band_end < sa->h && pixel_at(sa, 0, band_end) == band)
        band_end++;
    assert_true(band_end > 0 && band_end < sa->h / 5);
    size_t in_band = 0, below = 0;
    for (int y = 0; y < sa->h; y++)
        for (int x = 0; x < sa->w; x++)
            if (pixel_at(sa, x, y) != pixel_at(sb, x, y)) {
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
    } cases[] = {{FROZEN, -1, -1}, {"real", 1, 60000}, {"+30", 1, 60000}};
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
    clock_source *clk = clock_create(FROZEN);
    ui_frame frame;
    ui_frame_init(&frame);
    screen_ctx ctx = {.engine = f->engine, .cache = f->cache, .clock = clk, .frame = &frame};
    screen_router *r = screen_router_create(&ctx);
    assert_null(screen_router_current(r));
    assert_int_equal(screen_router_switch(r, &specimen_screen_ops), 0);
    assert_string_equal(screen_router_current(r), "specimen");
    log_rewind(f);
    assert_int_equal(screen_router_switch(r, &refusing_ops), -1);
    assert_string_equal(screen_router_current(r), "specimen");
    assert_true(log_contains(f, "cannot enter refusing"));
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
                assert_int_equal(pixel_at(diff, 0, 0) >> 16, 255); /* shown in red */
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
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
