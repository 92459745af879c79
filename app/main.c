/* main: the kiosk's wiring. Parses arguments, opens the modules in order,
 * runs the loop (a flat list of handle_* steps), shuts down in reverse order.
 * Must never grow logic of its own: that belongs in a module or a screen. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/screens/screen.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/text/layout.h"
#include "ui/ui_log.h"
#include "ui/window.h"

#ifndef HIROBA_VERSION
#define HIROBA_VERSION "0.0.0"
#endif

/* log_ui_sink is declared without ui/ headers; these keep it honest. */
_Static_assert(_Generic((ui_log_level)0, unsigned int : 1, default : 0),
               "log_ui_sink assumes ui_log_level is an unsigned int");
_Static_assert((int)UI_LOG_ERROR == (int)LOG_LEVEL_ERROR &&
                   (int)UI_LOG_WARN == (int)LOG_LEVEL_WARN &&
                   (int)UI_LOG_INFO == (int)LOG_LEVEL_INFO &&
                   (int)UI_LOG_DEBUG == (int)LOG_LEVEL_DEBUG,
               "ui_log and core log levels must match");

enum { EXIT_USAGE = 2 };

struct options {
    bool headless;
    int width, height; /* 0 x 0: fullscreen (real) or 1920 x 1080 (headless) */
    const char *screenshot;
    double after; /* seconds; < 0: run until told to quit */
    const char *clock_spec;
    const char *fonts_ini;
    const char *video_driver;
    const char *shot_dir;
    double shot_every;
};

struct app {
    struct options opt;
    clock_source *clock;
    ui_window *window;
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    text_atlas *atlas;
    screen_router *router;
    screen_ctx ctx;
    ui_frame frame;

    int64_t start_ms, next_shot_ms;
    unsigned shot_count;
    bool capture_shot, capture_final, screenshot_written;
    bool quit;
    int exit_code;
};

static void usage(FILE *out)
{
    fputs(
        "Usage: hiroba [OPTIONS]\n"
        "The hiroba kiosk. Without options: fullscreen on the default display.\n"
        "\n"
        "  --headless               draw into memory, no display or video driver\n"
        "  --size WxH               window size (default: fullscreen; headless 1920x1080)\n"
        "  --screenshot FILE.png    write the frame to FILE.png after --after seconds, then exit\n"
        "  --after SECONDS          run this long, then exit (default 2 with --screenshot)\n"
        "  --clock SPEC             \"real\", a frozen ISO 8601 time "
        "(2026-11-24T10:00:00+09:00)\n"
        "                           or an offset in seconds (+3600)\n"
        "  --fonts INI              font chains (default: $HIROBA_FONTS or the installed "
        "fonts.ini)\n"
        "  --video-driver NAME      SDL video driver, e.g. kmsdrm, x11, wayland\n"
        "  --screenshot-dir DIR     write DIR/shot-0001.png, ... while running\n"
        "  --screenshot-every SECS  interval for --screenshot-dir (default 10)\n"
        "  --version                print the version and exit\n"
        "  --help                   print this help and exit\n"
        "\n"
        "Environment: HIROBA_LOG=error|warn|info|debug, HIROBA_FONTS, SDL_VIDEODRIVER.\n",
        out);
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    errno = 0;
    if (!s || *s < '0' || *s > '9')
        return -1;
    long a = strtol(s, &end, 10);
    if (errno || (*end != 'x' && *end != 'X') || end[1] < '0' || end[1] > '9')
        return -1;
    long b = strtol(end + 1, &end, 10);
    if (errno || *end || a < 1 || b < 1 || a > UI_WINDOW_MAX_SIDE || b > UI_WINDOW_MAX_SIDE)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_seconds(const char *s, double max, double *out)
{
    char *end;
    errno = 0;
    if (!s || !*s)
        return -1;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The screenshot's folder must exist and be writable now, not after the run. */
static int check_writable_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "hiroba: --screenshot %s is a directory\n", path);
        return -1;
    }
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
        fprintf(stderr, "hiroba: cannot write --screenshot %s: folder %s %s\n", path, dir,
                stat(dir, &st) != 0 ? "does not exist" : "is not a writable folder");
        return -1;
    }
    return 0;
}

/* Returns -1 to run, or an exit code. */
static int parse_args(int argc, char **argv, struct options *o)
{
    *o = (struct options){.after = -1, .shot_every = -1};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = NULL;
        char name[32];
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (nlen >= sizeof name)
            nlen = sizeof name - 1;
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        static const char *const with_value[] = {
            "--size",  "--screenshot",   "--after",          "--clock",
            "--fonts", "--video-driver", "--screenshot-dir", "--screenshot-every"};
        bool wants = false;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            wants = wants || strcmp(name, with_value[k]) == 0;
        if (wants) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else {
                fprintf(stderr, "hiroba: %s needs a value (see --help)\n", name);
                return EXIT_USAGE;
            }
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return EXIT_SUCCESS;
        } else if (strcmp(arg, "--version") == 0) {
            printf("hiroba %s\n", HIROBA_VERSION);
            return EXIT_SUCCESS;
        } else if (strcmp(arg, "--headless") == 0) {
            o->headless = true;
        } else if (strcmp(name, "--size") == 0) {
            if (parse_size(val, &o->width, &o->height) != 0) {
                fprintf(stderr, "hiroba: bad --size \"%s\": want WxH, each side 1..%d\n", val,
                        UI_WINDOW_MAX_SIDE);
                return EXIT_USAGE;
            }
        } else if (strcmp(name, "--screenshot") == 0) {
            o->screenshot = val;
        } else if (strcmp(name, "--after") == 0) {
            if (parse_seconds(val, 1e7, &o->after) != 0) {
                fprintf(stderr, "hiroba: bad --after \"%s\": want seconds >= 0\n", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(name, "--clock") == 0) {
            o->clock_spec = val;
        } else if (strcmp(name, "--fonts") == 0) {
            o->fonts_ini = val;
        } else if (strcmp(name, "--video-driver") == 0) {
            o->video_driver = val;
        } else if (strcmp(name, "--screenshot-dir") == 0) {
            o->shot_dir = val;
        } else if (strcmp(name, "--screenshot-every") == 0) {
            if (parse_seconds(val, 1e7, &o->shot_every) != 0 || o->shot_every < 0.05) {
                fprintf(stderr, "hiroba: bad --screenshot-every \"%s\": want seconds >= 0.05\n",
                        val);
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "hiroba: unknown argument \"%s\" (see --help)\n", arg);
            return EXIT_USAGE;
        }
    }
    if (o->screenshot && !*o->screenshot) {
        fprintf(stderr, "hiroba: --screenshot needs a file name\n");
        return EXIT_USAGE;
    }
    if (o->screenshot && check_writable_file(o->screenshot) != 0)
        return EXIT_USAGE;
    if (o->shot_every > 0 && !o->shot_dir) {
        fprintf(stderr, "hiroba: --screenshot-every needs --screenshot-dir\n");
        return EXIT_USAGE;
    }
    if (o->shot_dir) {
        struct stat st;
        if (stat(o->shot_dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(o->shot_dir, W_OK)) {
            fprintf(stderr, "hiroba: --screenshot-dir %s is not a writable folder\n", o->shot_dir);
            return EXIT_USAGE;
        }
        if (o->shot_every < 0)
            o->shot_every = 10;
    }
    if (o->screenshot && o->after < 0)
        o->after = 2;
    if (o->headless && o->width == 0) {
        o->width = 1920;
        o->height = 1080;
    }
    return -1;
}

static int app_open(struct app *a)
{
    const struct options *o = &a->opt;
    a->clock = clock_create(o->clock_spec);
    if (!a->clock)
        return -1;
    const char *ini = o->fonts_ini ? o->fonts_ini : text_fonts_default_ini();
    a->fonts = text_fonts_load(ini);
    if (!a->fonts) {
        LOG_ERROR("main", "no usable fonts from %s", ini);
        return -1;
    }
    a->engine = text_engine_create(a->fonts);
    a->cache = a->engine ? text_cache_create(a->engine, 0) : NULL;
    if (!a->cache)
        return -1;
    ui_window_options wo = {
        .title = "hiroba",
        .width = o->width,
        .height = o->height,
        .headless = o->headless,
        .video_driver = o->video_driver,
        .vsync = true,
    };
    a->window = ui_window_create(&wo);
    if (!a->window)
        return -1;
    a->atlas = text_atlas_create(ui_window_renderer(a->window), a->fonts, 0);
    if (!a->atlas)
        return -1;
    ui_frame_init(&a->frame);
    a->ctx = (screen_ctx){
        .renderer = ui_window_renderer(a->window),
        .engine = a->engine,
        .cache = a->cache,
        .atlas = a->atlas,
        .clock = a->clock,
        .lang = "ja",
        .tz = CLOCK_DEFAULT_TZ,
        .frame = &a->frame,
    };
    ui_window_size(a->window, &a->ctx.width, &a->ctx.height);
    a->router = screen_router_create(&a->ctx);
    if (!a->router || screen_router_switch(a->router, &specimen_screen_ops) != 0)
        return -1;
    a->start_ms = clock_monotonic_ms();
    a->next_shot_ms = a->start_ms;
    return 0;
}

static void app_close(struct app *a)
{
    screen_router_destroy(a->router);
    text_atlas_destroy(a->atlas);
    text_cache_destroy(a->cache);
    text_engine_destroy(a->engine);
    text_fonts_destroy(a->fonts);
    ui_window_destroy(a->window);
    clock_destroy(a->clock);
    IMG_Quit();
    SDL_Quit();
}

static void handle_window_changes(struct app *a)
{
    unsigned changes = ui_window_take_changes(a->window);
    if (changes & UI_WINDOW_DEVICE_RESET) {
        /* The atlas texture is gone; a fresh atlas re-rasterises on demand. */
        text_atlas_destroy(a->atlas);
        a->atlas = text_atlas_create(ui_window_renderer(a->window), a->fonts, 0);
        a->ctx.atlas = a->atlas;
        if (!a->atlas) {
            LOG_ERROR("main", "cannot recreate the glyph atlas after a device reset");
            a->exit_code = EXIT_FAILURE;
            a->quit = true;
        }
    }
    if (changes & UI_WINDOW_RESIZED)
        ui_window_size(a->window, &a->ctx.width, &a->ctx.height);
    if (changes)
        ui_frame_invalidate(&a->frame);
}

/* --after and --screenshot-every: request captures, declare wake-ups. */
static void handle_deadlines(struct app *a)
{
    int64_t now = clock_monotonic_ms();
    if (a->opt.after >= 0) {
        int64_t end = a->start_ms + (int64_t)llround(a->opt.after * 1000.0);
        if (now >= end)
            a->capture_final = true;
        else
            ui_frame_wake_in(&a->frame, (uint32_t)(end - now));
    }
    if (a->opt.shot_dir) {
        if (now >= a->next_shot_ms) {
            a->capture_shot = true;
            int64_t every = (int64_t)llround(a->opt.shot_every * 1000.0);
            while (a->next_shot_ms <= now)
                a->next_shot_ms += every;
        }
        ui_frame_wake_in(&a->frame, (uint32_t)(a->next_shot_ms - now));
    }
}

static void write_periodic_shot(struct app *a)
{
    char path[PATH_MAX];
    a->shot_count++;
    snprintf(path, sizeof path, "%s/shot-%04u.png", a->opt.shot_dir, a->shot_count);
    if (ui_window_screenshot(a->window, path) == 0)
        LOG_INFO("main", "wrote %s", path);
    else
        a->shot_count--; /* retry the same name next time */
}

static void handle_draw(struct app *a)
{
    bool capture = a->capture_shot || a->capture_final;
    if (!ui_frame_take_dirty(&a->frame) && !capture)
        return;
    screen_router_draw(a->router);
    text_atlas_end_frame(a->atlas);
    if (a->capture_shot)
        write_periodic_shot(a);
    if (a->capture_final && a->opt.screenshot) {
        if (ui_window_screenshot(a->window, a->opt.screenshot) == 0) {
            a->screenshot_written = true;
            LOG_INFO("main", "wrote %s", a->opt.screenshot);
        } else {
            a->exit_code = EXIT_FAILURE;
        }
    }
    ui_window_present(a->window);
    text_cache_trim(a->cache);
    a->capture_shot = false;
    if (a->capture_final)
        a->quit = true;
}

static void handle_event(struct app *a, const SDL_Event *ev)
{
    if (ev->type == SDL_QUIT) {
        LOG_INFO("main", "quit requested");
        a->quit = true;
        return;
    }
    if (screen_router_event(a->router, ev))
        return;
    if (ev->type == SDL_KEYDOWN && !ui_window_is_headless(a->window) &&
        (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_q))
        a->quit = true;
}

/* Sleeps until an event or the next declared change, then drains the queue
 * so a burst of events costs one redraw. */
static void handle_events(struct app *a)
{
    SDL_Event ev;
    if (!ui_window_wait_event(a->window, &ev, ui_frame_timeout_ms(&a->frame)))
        return;
    handle_event(a, &ev);
    while (!a->quit && ui_window_wait_event(a->window, &ev, 0))
        handle_event(a, &ev);
}

static void run(struct app *a)
{
    while (!a->quit) {
        ui_frame_begin_turn(&a->frame);
        handle_window_changes(a);
        if (a->quit)
            break;
        handle_deadlines(a);
        screen_router_update(a->router);
        handle_draw(a);
        if (a->quit)
            break;
        handle_events(a);
        log_tick();
    }
}

int main(int argc, char **argv)
{
    struct app a = {0};
    int code = parse_args(argc, argv, &a.opt);
    if (code >= 0)
        return code;
    ui_log_set_handler(log_ui_sink, NULL);
    /* Before any thread and any log line: local times (log included) are
     * the kiosk's zone, and clock_local never needs to swap $TZ. */
    clock_set_process_zone(CLOCK_DEFAULT_TZ);
    LOG_INFO("main", "hiroba %s starting", HIROBA_VERSION);
    if (app_open(&a) == 0) {
        run(&a);
        if (a.opt.screenshot && !a.screenshot_written && a.exit_code == 0) {
            LOG_ERROR("main", "stopped before the screenshot was taken");
            a.exit_code = EXIT_FAILURE;
        }
    } else {
        LOG_ERROR("main", "start-up failed; see the messages above");
        a.exit_code = EXIT_FAILURE;
    }
    app_close(&a);
    LOG_INFO("main", "stopped");
    log_flush();
    return a.exit_code;
}
