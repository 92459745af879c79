/* main: the kiosk's wiring. Parses arguments, opens the modules in order,
 * runs the loop (a flat list of handle_* steps), shuts down in reverse order.
 * Must never grow logic of its own: that belongs in a module or a screen.
 * Opening the background modules lives in app_open.c, the loop's hand-over
 * of live data (packs, feeds, alerts) in app_live.c; struct app is in
 * app_private.h. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <SDL.h>
#include <SDL_image.h>

#include "app/app_private.h"
#include "app/core/log.h"
#include "app/sync_once.h"
#include "ui/ui_log.h"

/* log_ui_sink is declared without ui/ headers; these keep it honest. */
_Static_assert(_Generic((ui_log_level)0, unsigned int : 1, default : 0),
               "log_ui_sink assumes ui_log_level is an unsigned int");
_Static_assert((int)UI_LOG_ERROR == (int)LOG_LEVEL_ERROR &&
                   (int)UI_LOG_WARN == (int)LOG_LEVEL_WARN &&
                   (int)UI_LOG_INFO == (int)LOG_LEVEL_INFO &&
                   (int)UI_LOG_DEBUG == (int)LOG_LEVEL_DEBUG,
               "ui_log and core log levels must match");

static int app_open(struct app *a)
{
    const struct options *o = &a->opt;
    a->service = service_create();
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
    if (app_open_content(a) != 0 || app_open_video(a) != 0 || app_open_hub(a) != 0)
        return -1;
    app_start_feeder(a);
    app_start_alerter(a);
    if (app_start_updater(a) != 0)
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
        .pack = a->pack,
        .media_path = a->content ? content_media_path : NULL,
        .media_user = a->content,
        .store = a->content ? content_store(a->content) : NULL,
        .video = a->video,
    };
    a->ctx.lang = o->lang;
    a->ctx.feeds = &a->feeds;
    a->ctx.alerts = a->alerts;
    ui_window_size(a->window, &a->ctx.width, &a->ctx.height);
    app_open_catalog(a);
    a->ctx.catalog = a->catalog;
    a->ctx.touch = app_resolve_touch(a);
    a->ctx.px_per_mm = app_pixels_per_mm(a);
    a->ctx.now_ms = clock_monotonic_ms();
    app_open_session(a);
    a->ctx.session = &a->session;
    a->ctx.lang = model_lang_code(a->session.lang);
    if (a->ctx.touch && a->session.idle_ms)
        LOG_INFO("main", "touch kiosk, %.1f px/mm, back to %s after %u s idle",
                 (double)a->ctx.px_per_mm,
                 a->session.idle_screen ? a->session.idle_screen->name : "(none)",
                 (unsigned)(a->session.idle_ms / 1000));
    else
        LOG_INFO("main", "%s, %.1f px/mm, no idle reset",
                 a->ctx.touch ? "touch kiosk" : "signage display (no touch)",
                 (double)a->ctx.px_per_mm);
    app_open_health(a);
    a->router = screen_router_create(&a->ctx);
    const screen_ops *first = o->screen                ? screen_ops_by_name(o->screen)
                              : a->session.idle_screen ? a->session.idle_screen
                                                       : screen_ops_by_name("signage");
    if (!first) {
        LOG_ERROR("main", "no screen named %s", o->screen ? o->screen : "(default)");
        return -1;
    }
    if (!a->router || screen_router_switch(a->router, first) != 0)
        return -1;
    a->start_ms = clock_monotonic_ms();
    a->next_shot_ms = a->start_ms;
    return 0;
}

static void app_close(struct app *a)
{
    service_stopping(a->service);
    updater_stop(a->updater);
    feeder_stop(a->feeder);
    alerter_stop(a->alerter);
    screen_router_destroy(a->router);
    health_destroy(a->health);
    alerts_snapshot_unref(a->retired_alerts);
    alerts_snapshot_unref(a->alerts);
    catalog_destroy(a->catalog);
    feeds_queue_destroy(a->retired_queue);
    feeds_queue_destroy(a->queue);
    feeds_vacancy_destroy(a->retired_vacancy);
    feeds_vacancy_destroy(a->vacancy);
    ui_video_destroy(a->video);
    model_pack_destroy(a->retired);
    model_pack_destroy(a->pack);
    hub_destroy(a->hub);
    content_close(a->content);
    text_atlas_destroy(a->atlas);
    text_cache_destroy(a->cache);
    text_engine_destroy(a->engine);
    text_fonts_destroy(a->fonts);
    ui_window_destroy(a->window);
    clock_destroy(a->clock);
    service_destroy(a->service);
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
    if (changes & UI_WINDOW_RESIZED) {
        ui_window_size(a->window, &a->ctx.width, &a->ctx.height);
        a->ctx.px_per_mm = app_pixels_per_mm(a);
    }
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
    Uint64 t0 = SDL_GetPerformanceCounter();
    screen_router_draw(a->router);
    text_atlas_end_frame(a->atlas);
    Uint64 drawn = SDL_GetPerformanceCounter() - t0;
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
    t0 = SDL_GetPerformanceCounter();
    ui_window_present(a->window);
    /* Draw and present; a screenshot's PNG writing is not the frame's. */
    health_frame(a->health, (double)(drawn + SDL_GetPerformanceCounter() - t0) /
                                (double)SDL_GetPerformanceFrequency());
    if (!a->ready_sent) {
        /* Type=notify: systemd counts the start as done once a frame is up.
         * The status says what it shows, for `systemctl status` (and the
         * watchdog test: the same pack and alert after a restart). */
        char status[SERVICE_STATUS_MAX];
        const char *on = screen_router_current(a->router);
        size_t n_alerts = a->alerts ? alerts_snapshot_count(a->alerts) : 0;
        if (a->pack && a->pack->manifest.present)
            snprintf(status, sizeof status, "showing %s; %s version %lld; %zu alert(s)",
                     on ? on : "nothing", a->pack->manifest.channel,
                     (long long)a->pack->manifest.version, n_alerts);
        else
            snprintf(status, sizeof status, "showing %s; no pack; %zu alert(s)",
                     on ? on : "nothing", n_alerts);
        service_ready(a->service, status);
        a->ready_sent = true;
    }
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

/* WATCHDOG=1 from the loop itself: a loop stuck anywhere stops the pings
 * and systemd restarts the kiosk. The loop wakes often enough to ping even
 * when nothing is drawn. */
static void handle_service(struct app *a)
{
    uint64_t usec = service_watchdog_usec(a->service);
    if (!usec)
        return;
    service_watchdog(a->service, clock_monotonic_ms());
    uint64_t wake_ms = usec / 4000;
    ui_frame_wake_in(&a->frame, (uint32_t)(wake_ms ? (wake_ms < 60000 ? wake_ms : 60000) : 1));
}

static void run(struct app *a)
{
    while (!a->quit) {
        a->ctx.now_ms = clock_monotonic_ms();
        ui_frame_begin_turn(&a->frame);
        handle_window_changes(a);
        if (a->quit)
            break;
        handle_deadlines(a);
        handle_service(a);
        app_handle_hub(a);
        app_handle_feeds(a);
        app_handle_alerts(a);
        screen_router_update(a->router);
        app_handle_retired(a);
        handle_draw(a);
        health_tick(a->health, a->ctx.now_ms);
        if (a->quit)
            break;
        handle_events(a);
        log_tick();
    }
}

int main(int argc, char **argv)
{
    struct app a = {0};
    int code = args_parse(argc, argv, &a.opt);
    if (code >= 0)
        return code;
    ui_log_set_handler(log_ui_sink, NULL);
    /* Before any thread and any log line: local times (log included) are
     * the kiosk's zone, and clock_local never needs to swap $TZ. */
    clock_set_process_zone(CLOCK_DEFAULT_TZ);
    if (a.opt.sync_once) {
        code = sync_once_run(&a.opt, "hiroba/" HIROBA_VERSION);
        args_free(&a.opt);
        log_flush();
        return code;
    }
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
    args_free(&a.opt);
    LOG_INFO("main", "stopped");
    log_flush();
    return a.exit_code;
}
