/* test_video: the video layer plays a generated clip through libvlc and the
 * null backend: frames are counted at the clip's rate, the picture is the
 * clip's (size, colour) and is letterboxed, never stretched; missing, corrupt
 * and video-less files end in ERROR quickly; pause, replay, the first-frame
 * timeout and destroying a playing video behave. Never needs a display or an
 * audio device (software renderer, libvlc's adummy output).
 * The clip: $HIROBA_TEST_CLIP, else tests/media/make_clip.sh (ffmpeg) writes
 * one into a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <SDL.h>
#ifdef HIROBA_HAVE_LIBVLC
#include <vlc/vlc.h>
#endif

#include "ui/ui_log.h"
#include "ui/video.h"

#define CLIP_W      320
#define CLIP_H      240
#define CLIP_FRAMES 50 /* 2 s at 25 fps */
#define SCREEN_W    1920
#define SCREEN_H    1080

struct fixture {
    char dir[64];
    char clip[512];
    char audio_only[600];
    char corrupt[600];
    char truncated[600];
    char empty[600];
    char slow[600];
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    SDL_sem *woken;
    SDL_atomic_t wakes;
#ifdef HIROBA_HAVE_LIBVLC
    /* libvlc 3.0 unloads its plugins with its last instance and loses their
     * static data (~12 KB per unload, measured). The app keeps one ui_video
     * for its whole run; this keeps plugins loaded across the tests' many
     * create/destroy cycles likewise, so LeakSanitizer reports our leaks,
     * not that one. Never released: reachable at exit, not a leak. */
    libvlc_instance_t *plugins_pin;
#endif
};

static struct fixture fx;

/* ---- helpers ------------------------------------------------------------ */

static void on_wake(void *user)
{
    struct fixture *f = user;
    SDL_AtomicIncRef(&f->wakes);
    SDL_SemPost(f->woken);
}

static ui_video_config base_config(const char *backend)
{
    ui_video_config c = {0};
    c.backend = backend;
    c.no_audio_device = true;
    c.wake = on_wake;
    c.wake_user = &fx;
    return c;
}

static bool is_settled(enum ui_video_state s)
{
    return s == UI_VIDEO_ENDED || s == UI_VIDEO_ERROR || s == UI_VIDEO_IDLE;
}

struct run {
    uint64_t ms;            /* how long the loop ran */
    int64_t first_frame_ms; /* play to the first picture, -1 if none */
    unsigned redraws;       /* ui_video_update returned true */
};

/* The app's loop in small: update, then sleep until woken or the video's
 * own deadline. Runs until the state settles, min_shown frames were
 * uploaded (if > 0), or limit_ms passes. */
static struct run run_loop(ui_video *v, uint64_t limit_ms, uint64_t min_shown)
{
    struct run r = {0, -1, 0};
    uint64_t t0 = SDL_GetTicks64();
    for (;;) {
        if (ui_video_update(v)) {
            r.redraws++;
            if (r.first_frame_ms < 0)
                r.first_frame_ms = (int64_t)(SDL_GetTicks64() - t0);
        }
        r.ms = SDL_GetTicks64() - t0;
        if (is_settled(ui_video_state(v)) || r.ms >= limit_ms)
            break;
        if (min_shown && ui_video_frames_shown(v) >= min_shown)
            break;
        int ms = ui_video_wake_in_ms(v);
        SDL_SemWaitTimeout(fx.woken, ms < 0 || ms > 100 ? 100 : (Uint32)ms);
    }
    return r;
}

static void clear(SDL_Color c)
{
    SDL_SetRenderDrawColor(fx.renderer, c.r, c.g, c.b, 255);
    SDL_RenderClear(fx.renderer);
}

static SDL_Color pixel_at(int x, int y)
{
    uint32_t px = 0;
    SDL_Rect one = {x, y, 1, 1};
    assert_int_equal(SDL_RenderReadPixels(fx.renderer, &one, SDL_PIXELFORMAT_ARGB8888, &px, 4), 0);
    return (SDL_Color){(uint8_t)(px >> 16), (uint8_t)(px >> 8), (uint8_t)px, 255};
}

static bool same_color(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static int write_bytes(const char *path, size_t n, uint32_t seed, const char *from)
{
    FILE *out = fopen(path, "wb");
    FILE *in = from ? fopen(from, "rb") : NULL;
    if (!out || (from && !in))
        return -1;
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        int c;
        if (in) {
            c = fgetc(in);
            if (c == EOF)
                break;
        } else {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift: the same junk every run */
            c = (int)(x & 0xFF);
        }
        fputc(c, out);
    }
    if (in)
        fclose(in);
    return fclose(out);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void source_dir(char *out, size_t n)
{
    const char *env = getenv("HIROBA_SOURCE_DIR");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return;
    }
    snprintf(out, n, "%s", __FILE__); /* .../tests/unit/test_video.c */
    for (int cut = 0; cut < 3; cut++) {
        char *slash = strrchr(out, '/');
        if (slash)
            *slash = '\0';
    }
}

/* Runs make_clip.sh with args (already quoted for the shell), then out. */
static int make_clip(const char *args, const char *out)
{
    char src[512], cmd[2048];
    source_dir(src, sizeof src);
    snprintf(cmd, sizeof cmd, "'%s/tests/media/make_clip.sh' %s %s%s%s", src, args, out ? "'" : "",
             out ? out : "", out ? "'" : "");
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "test_video: '%s' failed (%d)\n", cmd, rc);
    return rc;
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(fx.dir, sizeof fx.dir, "/tmp/hiroba-test-video-XXXXXX");
    if (!mkdtemp(fx.dir))
        return -1;
    const char *clip = getenv("HIROBA_TEST_CLIP");
    if (clip && *clip) {
        snprintf(fx.clip, sizeof fx.clip, "%s", clip);
    } else {
        snprintf(fx.clip, sizeof fx.clip, "%s/clip.mp4", fx.dir);
        if (make_clip("", fx.clip) != 0)
            return -1;
    }
    snprintf(fx.audio_only, sizeof fx.audio_only, "%s/audio-only.mp4", fx.dir);
    snprintf(fx.corrupt, sizeof fx.corrupt, "%s/corrupt.mp4", fx.dir);
    snprintf(fx.truncated, sizeof fx.truncated, "%s/truncated.mp4", fx.dir);
    snprintf(fx.empty, sizeof fx.empty, "%s/empty.mp4", fx.dir);
    snprintf(fx.slow, sizeof fx.slow, "%s/slow.mp4", fx.dir);
    char slow_args[700];
    snprintf(slow_args, sizeof slow_args, "'%s' 2 160x120 5", fx.slow);
    if (make_clip("--audio-only", fx.audio_only) != 0 || make_clip(slow_args, NULL) != 0 ||
        write_bytes(fx.corrupt, 200000, 2463534242u, NULL) != 0 ||
        write_bytes(fx.truncated, (size_t)file_size(fx.clip) * 3 / 4, 0, fx.clip) != 0 ||
        write_bytes(fx.empty, 0, 0, NULL) != 0)
        return -1;

#ifdef HIROBA_HAVE_LIBVLC
    static const char *const pin_args[] = {"--quiet", "--ignore-config"};
    fx.plugins_pin = libvlc_new(2, pin_args);
    if (!fx.plugins_pin)
        return -1;
#endif
    fx.surface =
        SDL_CreateRGBSurfaceWithFormat(0, SCREEN_W, SCREEN_H, 32, SDL_PIXELFORMAT_ARGB8888);
    fx.renderer = fx.surface ? SDL_CreateSoftwareRenderer(fx.surface) : NULL;
    fx.woken = SDL_CreateSemaphore(0);
    return fx.renderer && fx.woken ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    SDL_DestroySemaphore(fx.woken);
    SDL_DestroyRenderer(fx.renderer);
    SDL_FreeSurface(fx.surface);
    const char *const made[] = {"clip.mp4",      "audio-only.mp4", "corrupt.mp4",
                                "truncated.mp4", "empty.mp4",      "slow.mp4"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", fx.dir, made[i]);
        unlink(p);
    }
    rmdir(fx.dir);
    return 0;
}

/* ---- pure: letterbox geometry ------------------------------------------- */

static void test_fit_table(void **state)
{
    (void)state;
    static const struct {
        int src_w, src_h;
        SDL_Rect dst, want;
    } cases[] = {
        /* 4:3 on a landscape screen: pillarbox, 1440 wide, centred */
        {320, 240, {0, 0, 1920, 1080}, {240, 0, 1440, 1080}},
        /* 16:9 on a portrait screen: letterbox */
        {1920, 1080, {0, 0, 1080, 1920}, {0, 656, 1080, 608}},
        /* same aspect: fills the box exactly */
        {1920, 1080, {0, 0, 1280, 720}, {0, 0, 1280, 720}},
        /* an offset box keeps its offset */
        {200, 100, {100, 50, 400, 400}, {100, 150, 400, 200}},
        /* 4:3 into portrait */
        {320, 240, {0, 0, 1080, 1920}, {0, 555, 1080, 810}},
        /* extreme aspect: at least one pixel, centred */
        {1000, 1, {0, 0, 10, 10}, {0, 4, 10, 1}},
        {1, 1000, {0, 0, 10, 10}, {4, 0, 1, 10}},
        /* upscaling a tiny picture */
        {2, 2, {0, 0, 100, 50}, {25, 0, 50, 50}},
        /* nothing to fit, or nowhere to fit it */
        {0, 240, {5, 6, 100, 100}, {5, 6, 0, 0}},
        {320, -1, {5, 6, 100, 100}, {5, 6, 0, 0}},
        {320, 240, {5, 6, 0, 100}, {5, 6, 0, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SDL_Rect got = ui_video_fit(cases[i].src_w, cases[i].src_h, &cases[i].dst);
        if (memcmp(&got, &cases[i].want, sizeof got) != 0)
            fail_msg("case %zu: %dx%d in {%d,%d,%d,%d}: got {%d,%d,%d,%d}, want {%d,%d,%d,%d}", i,
                     cases[i].src_w, cases[i].src_h, cases[i].dst.x, cases[i].dst.y, cases[i].dst.w,
                     cases[i].dst.h, got.x, got.y, got.w, got.h, cases[i].want.x, cases[i].want.y,
                     cases[i].want.w, cases[i].want.h);
    }
}

/* Aspect is kept for every size in a sweep: the fitted rect's aspect is
 * within rounding of the source's, and it touches two opposite edges. */
static void test_fit_never_stretches(void **state)
{
    (void)state;
    const SDL_Rect boxes[] = {{0, 0, 1920, 1080}, {0, 0, 1080, 1920}, {7, 3, 333, 777}};
    for (size_t b = 0; b < sizeof boxes / sizeof boxes[0]; b++)
        for (int w = 16; w <= 4096; w += 97)
            for (int h = 16; h <= 4096; h += 131) {
                SDL_Rect r = ui_video_fit(w, h, &boxes[b]);
                assert_true(r.w == boxes[b].w || r.h == boxes[b].h);
                assert_true(r.w <= boxes[b].w && r.h <= boxes[b].h);
                assert_true(r.x >= boxes[b].x && r.y >= boxes[b].y);
                /* |r.w/r.h - w/h| within what one pixel of rounding allows */
                double err = (double)r.w * h - (double)r.h * w;
                assert_true(err <= (double)(w > h ? w : h) && -err <= (double)(w > h ? w : h));
            }
}

/* ---- null backend --------------------------------------------------------- */

static void test_null_counts_25_fps(void **state)
{
    (void)state;
    ui_video_config c = base_config("null");
    c.null_duration_ms = 1000;
    c.null_width = 64;
    c.null_height = 48;
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_string_equal(ui_video_backend_name(v), "null");
    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_OPENING);
    SDL_AtomicSet(&fx.wakes, 0);
    assert_int_equal(ui_video_play(v), 0);
    struct run r = run_loop(v, 5000, 0);

    assert_int_equal(ui_video_state(v), UI_VIDEO_ENDED);
    assert_int_equal(ui_video_frames_decoded(v), 25);
    assert_true(ui_video_frames_shown(v) >= 1);
    assert_true(ui_video_frames_shown(v) <= ui_video_frames_decoded(v));
    /* 25 frames at 25 fps is one second, give or take a slow machine */
    assert_true(r.ms >= 950 && r.ms < 3000);
    /* every frame and the end woke the loop */
    assert_true(SDL_AtomicGet(&fx.wakes) >= 26);
    int w = 0, h = 0;
    assert_non_null(ui_video_texture(v, &w, &h));
    assert_int_equal(w, 64);
    assert_int_equal(h, 48);
    assert_string_equal(ui_video_error(v), "");

    /* play after the end starts again from zero */
    assert_int_equal(ui_video_play(v), 0);
    assert_int_equal(ui_video_frames_decoded(v), 0);
    run_loop(v, 5000, 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_ENDED);
    assert_int_equal(ui_video_frames_decoded(v), 25);
    ui_video_destroy(v);
}

static void test_null_pause_holds_frames(void **state)
{
    (void)state;
    ui_video_config c = base_config("null");
    c.null_duration_ms = 800; /* 20 frames */
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_int_equal(ui_video_pause(v), -1); /* nothing open */
    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_play(v), 0);
    run_loop(v, 3000, 5);
    assert_int_equal(ui_video_state(v), UI_VIDEO_PLAYING);
    assert_int_equal(ui_video_pause(v), 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_PAUSED);
    SDL_Delay(60); /* a frame being made when pause came may still land */
    uint64_t held = ui_video_frames_decoded(v);
    SDL_Delay(300); /* 7 frames' worth */
    ui_video_update(v);
    assert_int_equal(ui_video_frames_decoded(v), held);
    assert_int_equal(ui_video_state(v), UI_VIDEO_PAUSED);
    assert_int_equal(ui_video_wake_in_ms(v), -1); /* nothing due while paused */
    assert_true(ui_video_draw(v, fx.renderer, &(SDL_Rect){0, 0, 100, 100}));

    assert_int_equal(ui_video_play(v), 0);
    run_loop(v, 3000, 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_ENDED);
    assert_int_equal(ui_video_frames_decoded(v), 20); /* pause lost nothing */
    ui_video_destroy(v);
}

static void test_null_first_frame_timeout(void **state)
{
    (void)state;
    ui_video_config c = base_config("null");
    c.null_first_frame_delay_ms = 3000; /* a decoder that hangs */
    c.first_frame_timeout_ms = 300;
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_play(v), 0);
    int ms = ui_video_wake_in_ms(v);
    assert_true(ms > 0 && ms <= 300); /* the loop knows when to look again */
    struct run r = run_loop(v, 5000, 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_ERROR);
    assert_non_null(strstr(ui_video_error(v), "no video frame within 300 ms"));
    assert_true(r.ms >= 290 && r.ms < 1500);
    assert_int_equal(ui_video_frames_decoded(v), 0);
    assert_null(ui_video_texture(v, NULL, NULL));
    assert_false(ui_video_draw(v, fx.renderer, &(SDL_Rect){0, 0, 100, 100}));
    assert_int_equal(ui_video_play(v), -1); /* an error stays until the next open */
    ui_video_destroy(v);
}

/* A 4:3 picture in a portrait box: full width, centred vertically, the
 * background untouched above and below. */
static void test_null_draws_letterboxed(void **state)
{
    (void)state;
    ui_video_config c = base_config("null");
    c.null_duration_ms = 200;
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_false(ui_video_draw(v, fx.renderer, &(SDL_Rect){0, 0, 540, 960})); /* no frame yet */
    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_play(v), 0);
    run_loop(v, 3000, 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_ENDED);

    const SDL_Color bg = {17, 42, 99, 255};
    clear(bg);
    const SDL_Rect box = {0, 0, 540, 960};
    assert_true(ui_video_draw(v, fx.renderer, &box));
    /* 320x240 into 540x960: 540x405 at y = 277 */
    for (int x = 0; x < 540; x += 53) {
        assert_true(same_color(pixel_at(x, 0), bg));
        assert_true(same_color(pixel_at(x, 276), bg));
        assert_false(same_color(pixel_at(x, 277), bg));
        assert_false(same_color(pixel_at(x, 681), bg));
        assert_true(same_color(pixel_at(x, 682), bg));
        SDL_Color p = pixel_at(x, 480);
        assert_true(p.r + p.g + p.b > 60); /* the gradient is never black */
    }
    assert_true(same_color(pixel_at(540, 480), bg)); /* nothing right of the box */
    /* another renderer is refused, not drawn with */
    SDL_Surface *other_surface =
        SDL_CreateRGBSurfaceWithFormat(0, 8, 8, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *other = SDL_CreateSoftwareRenderer(other_surface);
    assert_non_null(other);
    assert_false(ui_video_draw(v, other, &box));
    SDL_DestroyRenderer(other);
    SDL_FreeSurface(other_surface);
    ui_video_destroy(v);
}

/* Polling works without a wake callback: wake_in says how often. */
static void test_null_without_wake_polls(void **state)
{
    (void)state;
    ui_video_config c = base_config("null");
    c.wake = NULL;
    c.null_duration_ms = 400;
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_play(v), 0);
    int ms = ui_video_wake_in_ms(v);
    assert_true(ms >= 0 && ms <= 10);
    run_loop(v, 3000, 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_ENDED);
    assert_int_equal(ui_video_frames_decoded(v), 10);
    ui_video_destroy(v);
}

/* What a signage loop meets before any decoding: a clear reason at once. */
static void test_open_failures_table(void **state)
{
    (void)state;
    const struct {
        const char *backend;
        const char *path;
        const char *reason;
    } cases[] = {
        {"null", "/nonexistent/hiroba/clip.mp4", "No such file"},
        {"null", "/tmp", "not a regular file"},
        {"null", fx.empty, "empty file"},
        {"null", "/dev/null", "not a regular file"},
#ifdef HIROBA_HAVE_LIBVLC
        {"vlc", "/nonexistent/hiroba/clip.mp4", "No such file"},
        {"vlc", fx.empty, "empty file"},
#endif
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ui_video_config c = base_config(cases[i].backend);
        ui_video *v = ui_video_create(fx.renderer, &c);
        assert_non_null(v);
        uint64_t t0 = SDL_GetTicks64();
        assert_int_equal(ui_video_open(v, cases[i].path), -1);
        assert_true(SDL_GetTicks64() - t0 < 500);
        assert_int_equal(ui_video_state(v), UI_VIDEO_ERROR);
        if (!strstr(ui_video_error(v), cases[i].reason))
            fail_msg("case %zu (%s): reason \"%s\" lacks \"%s\"", i, cases[i].path,
                     ui_video_error(v), cases[i].reason);
        assert_int_equal(ui_video_play(v), -1);
        ui_video_update(v);
        assert_int_equal(ui_video_state(v), UI_VIDEO_ERROR);
        /* a good file afterwards plays: the error belonged to the clip */
        assert_int_equal(ui_video_open(v, fx.clip), 0);
        assert_int_equal(ui_video_state(v), UI_VIDEO_OPENING);
        assert_string_equal(ui_video_error(v), "");
        ui_video_destroy(v);
    }
}

struct log_count {
    int warnings, debug;
};

static void count_log(void *user, ui_log_level level, const char *module, const char *msg)
{
    struct log_count *n = user;
    if (strcmp(module, "video") != 0)
        return;
    if (level <= UI_LOG_WARN)
        n->warnings++;
    else if (level == UI_LOG_DEBUG && strstr(msg, "(again)"))
        n->debug++;
}

/* A signage loop retries a broken clip every round for months: its log
 * says so once per clip and reason. */
static void test_errors_logged_once(void **state)
{
    (void)state;
    struct log_count n = {0, 0};
    ui_log_set_handler(count_log, &n);
    ui_video_config c = base_config("null");
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    for (int round = 0; round < 5; round++) {
        assert_int_equal(ui_video_open(v, "/nonexistent/a.mp4"), -1);
        assert_int_equal(ui_video_open(v, fx.empty), -1);
    }
    assert_int_equal(ui_video_open(v, "/nonexistent/b.mp4"), -1);
    ui_log_set_handler(NULL, NULL);
    assert_int_equal(n.warnings, 3);
    assert_int_equal(n.debug, 8);
    ui_video_destroy(v);
}

static void test_create_rejects(void **state)
{
    (void)state;
    ui_video_config c = base_config("betamax");
    assert_null(ui_video_create(fx.renderer, &c));
    c = base_config("null");
    assert_null(ui_video_create(NULL, &c));
    ui_video_destroy(NULL); /* no-op */
    assert_false(ui_video_update(NULL));
#ifdef HIROBA_HAVE_LIBVLC
    static const char *const bad_args[] = {"--no-such-option-for-hiroba", NULL};
    c = base_config("vlc");
    c.vlc_args = bad_args;
    assert_null(ui_video_create(fx.renderer, &c));
#else
    c = base_config(NULL); /* the default, libvlc, is not in this build */
    assert_null(ui_video_create(fx.renderer, &c));
#endif
}

/* ---- libvlc --------------------------------------------------------------- */

#ifdef HIROBA_HAVE_LIBVLC

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_vlc_plays_clip(void **state)
{
    (void)state;
    ui_video_config c = base_config(NULL); /* the default backend is libvlc */
    uint64_t t_create = SDL_GetTicks64();
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    t_create = SDL_GetTicks64() - t_create;
    assert_string_equal(ui_video_backend_name(v), "vlc");
    assert_true(ui_video_is_muted(v)); /* muted unless asked */
    assert_int_equal(ui_video_open(v, fx.clip), 0);
    double cpu0 = cpu_seconds();
    assert_int_equal(ui_video_play(v), 0);
    struct run r = run_loop(v, 10000, 0);
    double cpu = cpu_seconds() - cpu0;

    if (ui_video_state(v) != UI_VIDEO_ENDED)
        fail_msg("state %s after %llu ms: %s", ui_video_state_name(ui_video_state(v)),
                 (unsigned long long)r.ms, ui_video_error(v));
    uint64_t decoded = ui_video_frames_decoded(v), shown = ui_video_frames_shown(v);
    print_message("libvlc: create %llu ms, first frame %lld ms after play, %llu frames "
                  "decoded, %llu shown, %u redraws, ended after %llu ms, CPU %.2f s "
                  "(%.0f%% of one core)\n",
                  (unsigned long long)t_create, (long long)r.first_frame_ms,
                  (unsigned long long)decoded, (unsigned long long)shown, r.redraws,
                  (unsigned long long)r.ms, cpu, 100.0 * cpu / ((double)r.ms / 1000.0));
    assert_in_range(decoded, CLIP_FRAMES - 10, CLIP_FRAMES + 10);
    assert_true(shown >= 1 && shown <= decoded);
    assert_true(r.first_frame_ms >= 0 && r.first_frame_ms < 3000);
    assert_true(r.ms >= 1500); /* played in real time, not decoded flat out */

    int w = 0, h = 0;
    assert_non_null(ui_video_texture(v, &w, &h));
    assert_int_equal(w, CLIP_W); /* the picture, not the decoder's padded buffer */
    assert_int_equal(h, CLIP_H);

    /* The last frame, drawn letterboxed on a 1920x1080 screen: 1440x1080 in
     * the middle, the background untouched on both sides. */
    const SDL_Color bg = {17, 42, 99, 255};
    clear(bg);
    assert_true(ui_video_draw(v, fx.renderer, &(SDL_Rect){0, 0, SCREEN_W, SCREEN_H}));
    for (int y = 0; y < SCREEN_H; y += 107) {
        assert_true(same_color(pixel_at(0, y), bg));
        assert_true(same_color(pixel_at(239, y), bg));
        assert_true(same_color(pixel_at(1680, y), bg));
        assert_true(same_color(pixel_at(SCREEN_W - 1, y), bg));
        assert_false(same_color(pixel_at(240, y), bg));
        assert_false(same_color(pixel_at(1679, y), bg));
    }
    /* testsrc2 is colourful: most of the picture is not black, some strongly
     * coloured */
    int lit = 0, coloured = 0, samples = 0;
    for (int y = 20; y < SCREEN_H; y += 60)
        for (int x = 250; x < 1670; x += 60) {
            SDL_Color p = pixel_at(x, y);
            int hi = p.r > p.g ? (p.r > p.b ? p.r : p.b) : (p.g > p.b ? p.g : p.b);
            int lo = p.r < p.g ? (p.r < p.b ? p.r : p.b) : (p.g < p.b ? p.g : p.b);
            samples++;
            lit += hi > 40;
            coloured += hi - lo > 80;
        }
    assert_true(lit > samples * 3 / 4);
    assert_true(coloured > samples / 10);
    ui_video_destroy(v);
}

static void test_vlc_bad_files_end_in_error(void **state)
{
    (void)state;
    const struct {
        const char *path;
        const char *what;
    } cases[] = {
        {fx.corrupt, "random bytes named .mp4"},
        {fx.audio_only, "an MP4 without a video track"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ui_video_config c = base_config("vlc");
        c.first_frame_timeout_ms = 4000;
        ui_video *v = ui_video_create(fx.renderer, &c);
        assert_non_null(v);
        assert_int_equal(ui_video_open(v, cases[i].path), 0); /* looks fine at first */
        assert_int_equal(ui_video_play(v), 0);
        struct run r = run_loop(v, 10000, 0);
        print_message("libvlc, %s: %s after %llu ms: %s\n", cases[i].what,
                      ui_video_state_name(ui_video_state(v)), (unsigned long long)r.ms,
                      ui_video_error(v));
        assert_int_equal(ui_video_state(v), UI_VIDEO_ERROR);
        assert_int_equal(ui_video_frames_decoded(v), 0);
        assert_true(r.ms < 4000 + 1000);
        assert_true(strlen(ui_video_error(v)) > 0);
        assert_false(ui_video_draw(v, fx.renderer, &(SDL_Rect){0, 0, 100, 100}));
        ui_video_destroy(v);
    }
}

/* A 5 fps clip: libvlc hands each picture again every 80 ms; repeats are
 * neither counted nor uploaded, so a slow clip costs 5 redraws a second. */
static void test_vlc_slow_clip_counts_real_frames(void **state)
{
    (void)state;
    ui_video_config c = base_config("vlc");
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_int_equal(ui_video_open(v, fx.slow), 0);
    assert_int_equal(ui_video_play(v), 0);
    struct run r = run_loop(v, 10000, 0);
    print_message("libvlc, 5 fps clip: %llu frames decoded, %u redraws in %llu ms\n",
                  (unsigned long long)ui_video_frames_decoded(v), r.redraws,
                  (unsigned long long)r.ms);
    assert_int_equal(ui_video_state(v), UI_VIDEO_ENDED);
    assert_in_range(ui_video_frames_decoded(v), 8, 11); /* 10 frames in the clip */
    assert_true(r.redraws <= ui_video_frames_decoded(v));
    int w = 0, h = 0;
    assert_non_null(ui_video_texture(v, &w, &h));
    assert_int_equal(w, 160);
    assert_int_equal(h, 120);
    ui_video_destroy(v);
}

/* Three quarters of a file (a broken download): whatever libvlc makes of it
 * (here: a few frames, then the end), it settles in bounded time. */
static void test_vlc_truncated_settles(void **state)
{
    (void)state;
    ui_video_config c = base_config("vlc");
    c.first_frame_timeout_ms = 4000;
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_int_equal(ui_video_open(v, fx.truncated), 0);
    assert_int_equal(ui_video_play(v), 0);
    struct run r = run_loop(v, 10000, 0);
    print_message("libvlc, truncated clip: %s after %llu ms, %llu frames %s\n",
                  ui_video_state_name(ui_video_state(v)), (unsigned long long)r.ms,
                  (unsigned long long)ui_video_frames_decoded(v), ui_video_error(v));
    assert_true(ui_video_state(v) == UI_VIDEO_ENDED || ui_video_state(v) == UI_VIDEO_ERROR);
    assert_true(ui_video_frames_decoded(v) <= CLIP_FRAMES);
    ui_video_destroy(v);
}

/* Destroy while libvlc's threads are busy: right after play (the decoder
 * is being set up), and mid-clip. Clean under ASan. */
static void test_vlc_destroy_while_playing(void **state)
{
    (void)state;
    for (int mid = 0; mid <= 1; mid++) {
        ui_video_config c = base_config("vlc");
        ui_video *v = ui_video_create(fx.renderer, &c);
        assert_non_null(v);
        assert_int_equal(ui_video_open(v, fx.clip), 0);
        assert_int_equal(ui_video_play(v), 0);
        if (mid) {
            run_loop(v, 5000, 8);
            assert_int_equal(ui_video_state(v), UI_VIDEO_PLAYING);
            assert_true(ui_video_frames_decoded(v) >= 8);
        }
        uint64_t t0 = SDL_GetTicks64();
        ui_video_destroy(v);
        assert_true(SDL_GetTicks64() - t0 < 2000); /* no hang */
    }
}

/* One ui_video, many clips: the cap scales a big clip down (here: a cap
 * smaller than the clip), pause holds, a failure in between does not stick,
 * stop and open mid-clip are clean. */
static void test_vlc_reuse_and_cap(void **state)
{
    (void)state;
    ui_video_config c = base_config("vlc");
    c.max_width = 160;
    c.max_height = 160;
    c.sound = true; /* the audio path, into adummy */
    ui_video *v = ui_video_create(fx.renderer, &c);
    assert_non_null(v);
    assert_false(ui_video_is_muted(v));

    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_play(v), 0);
    run_loop(v, 5000, 3);
    ui_video_update(v);
    int w = 0, h = 0;
    assert_non_null(ui_video_texture(v, &w, &h));
    assert_int_equal(w, 160); /* 320x240 into 160x160: 160x120 */
    assert_int_equal(h, 120);
    ui_video_set_muted(v, true);
    assert_true(ui_video_is_muted(v));

    /* pause holds the picture and the count; play goes on from there */
    assert_int_equal(ui_video_pause(v), 0);
    SDL_Delay(150); /* a frame in flight may still land */
    ui_video_update(v);
    uint64_t held = ui_video_frames_decoded(v);
    SDL_Delay(400); /* 10 frames' worth */
    ui_video_update(v);
    assert_int_equal(ui_video_state(v), UI_VIDEO_PAUSED);
    assert_int_equal(ui_video_frames_decoded(v), held);
    assert_non_null(ui_video_texture(v, NULL, NULL));
    assert_int_equal(ui_video_play(v), 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_PLAYING);
    run_loop(v, 3000, ui_video_frames_shown(v) + 3);
    assert_true(ui_video_frames_decoded(v) >= held + 3);
    assert_int_equal(ui_video_state(v), UI_VIDEO_PLAYING);

    ui_video_stop(v);
    assert_int_equal(ui_video_state(v), UI_VIDEO_IDLE);
    assert_null(ui_video_texture(v, NULL, NULL));

    assert_int_equal(ui_video_open(v, fx.audio_only), 0);
    assert_int_equal(ui_video_play(v), 0);
    run_loop(v, 8000, 0);
    assert_int_equal(ui_video_state(v), UI_VIDEO_ERROR);

    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_play(v), 0);
    run_loop(v, 5000, 3);
    assert_int_equal(ui_video_state(v), UI_VIDEO_PLAYING);
    assert_true(ui_video_frames_decoded(v) >= 3);
    /* open while playing: the old clip stops, the new one starts clean */
    assert_int_equal(ui_video_open(v, fx.clip), 0);
    assert_int_equal(ui_video_frames_decoded(v), 0);
    assert_null(ui_video_texture(v, NULL, NULL));
    ui_video_destroy(v);
}

#endif /* HIROBA_HAVE_LIBVLC */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_table),
        cmocka_unit_test(test_fit_never_stretches),
        cmocka_unit_test(test_create_rejects),
        cmocka_unit_test(test_open_failures_table),
        cmocka_unit_test(test_errors_logged_once),
        cmocka_unit_test(test_null_counts_25_fps),
        cmocka_unit_test(test_null_pause_holds_frames),
        cmocka_unit_test(test_null_first_frame_timeout),
        cmocka_unit_test(test_null_without_wake_polls),
        cmocka_unit_test(test_null_draws_letterboxed),
#ifdef HIROBA_HAVE_LIBVLC
        cmocka_unit_test(test_vlc_plays_clip),
        cmocka_unit_test(test_vlc_slow_clip_counts_real_frames),
        cmocka_unit_test(test_vlc_bad_files_end_in_error),
        cmocka_unit_test(test_vlc_truncated_settles),
        cmocka_unit_test(test_vlc_destroy_while_playing),
        cmocka_unit_test(test_vlc_reuse_and_cap),
#endif
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
