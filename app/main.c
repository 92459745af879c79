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

#include "app/args.h"
#include "app/core/alerter.h"
#include "app/core/clock.h"
#include "app/core/content.h"
#include "app/core/feeder.h"
#include "app/core/hub.h"
#include "app/core/updater.h"
#include "app/core/log.h"
#include "app/core/service.h"
#include "app/health.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "app/sync_once.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/text/layout.h"
#include "ui/ui_log.h"
#include "ui/video.h"
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

struct app {
    struct options opt;
    clock_source *clock;
    ui_window *window;
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    text_atlas *atlas;
    content *content;
    hub *hub;
    updater *updater;
    feeder *feeder;
    model_pack *pack;    /* the pack on screen (owned) */
    model_pack *retired; /* the previous one, freed after the screen's next update */
    /* The live boards' data as screens see it; the snapshots are owned here
     * and retired like packs. */
    screen_feeds feeds;
    feeds_queue *queue, *retired_queue;
    feeds_vacancy *vacancy, *retired_vacancy;
    /* Emergency alerts: the poller (its own thread from alerter_start) and
     * the snapshot on screen, owned here (a reference) and retired like
     * packs; alerts_change_seen is the expiry already redrawn for. */
    alerter *alerter;
    alerts_snapshot *alerts, *retired_alerts;
    int64_t alerts_change_seen;
    ui_video *video;
    Uint32 wake_event;
    screen_router *router;
    screen_ctx ctx;
    screen_session session; /* the resident's choices, reset when idle */
    catalog *catalog;       /* UI strings (NULL: the screens show keys) */
    ui_frame frame;

    int64_t start_ms, next_shot_ms;
    unsigned shot_count;
    bool capture_shot, capture_final, screenshot_written;
    service *service; /* systemd's notify socket (a no-op when not under systemd) */
    health *health;   /* the metrics file and the staff view's callbacks */
    bool ready_sent;
    bool quit;
    int exit_code;
};

/* The channel's content: data folder, trusted keys, optional local source. */
static int open_content(struct app *a)
{
    const struct options *o = &a->opt;
    if (!o->channel)
        return 0;
    content_config cfg = {.data_dir = o->data_dir,
                          .channel = o->channel,
                          .source_dir = o->source,
                          .clock = a->clock,
                          .n_trust = o->n_trust};
    for (size_t i = 0; i < o->n_trust; i++)
        cfg.trust[i] = o->trust[i];
    a->content = content_open(&cfg);
    if (!a->content) {
        LOG_ERROR("main", "cannot open the data folder %s", o->data_dir);
        return -1;
    }
    a->pack = content_take_pack(a->content);
    return 0;
}

/* The decoder thread only pushes an event; the loop does the rest. */
static void wake_loop(void *user)
{
    const struct app *a = user;
    SDL_Event ev = {.type = a->wake_event};
    SDL_PushEvent(&ev);
}

/* One player for the whole run (libvlc leaks a little per instance). A kiosk
 * without libvlc still runs: its videos are skipped. */
static int open_video(struct app *a)
{
    if (!a->opt.channel)
        return 0;
    a->wake_event = SDL_RegisterEvents(1);
    ui_video_config vc = {.backend = getenv("HIROBA_VIDEO_BACKEND"),
                          /* Signage plays muted: touch no audio device at all
                           * (no PulseAudio probing on a kiosk without one). */
                          .no_audio_device = true,
                          .wake = a->wake_event != (Uint32)-1 ? wake_loop : NULL,
                          .wake_user = a};
    a->video = ui_video_create(ui_window_renderer(a->window), &vc);
    if (!a->video)
        LOG_WARN("main", "no video player: video items will be skipped");
    return 0;
}

/* Where the network threads (updater, feeder) hand snapshots to the loop.
 * Whenever there is a channel: the live feeds run whatever the pack's
 * source, even a local folder (the demo). */
static int open_hub(struct app *a)
{
    if (!a->opt.channel)
        return 0;
    a->hub = hub_create(wake_loop, a);
    return a->hub ? 0 : -1;
}

/* The live feeds' thread, polling the URLs of the pack on screen. What the
 * store cached for them is read first, so that the first frame already
 * shows the last boards (a kiosk restarting offline). Started before the
 * updater: its net is created here, on this thread, before any other
 * thread's. The kiosk runs on without live boards if it cannot start. */
static void start_feeder(struct app *a)
{
    const struct options *o = &a->opt;
    a->feeds.queue_stale_s = o->queue_stale_s > 0 ? (uint32_t)o->queue_stale_s : 120;
    a->feeds.vacancy_stale_s = o->vacancy_stale_s > 0 ? (uint32_t)o->vacancy_stale_s : 1800;
    if (!a->hub || !a->content)
        return;
    const model_feeds *urls = a->pack ? &a->pack->feeds : NULL;
    if (urls) {
        feeder_load_cached(content_store(a->content), urls, &a->queue, &a->feeds.queue_status,
                           &a->vacancy, &a->feeds.vacancy_status);
        a->feeds.queue = a->queue;
        a->feeds.vacancy = a->vacancy;
    }
    feeder_config fc = {
        .data_dir = o->data_dir,
        .ca_file = o->ca_file,
        .clock = a->clock,
        .hub = a->hub,
        .queue_ms = o->queue_poll_s > 0 ? (uint32_t)o->queue_poll_s * 1000u : 0,
        .vacancy_ms = o->vacancy_poll_s > 0 ? (uint32_t)o->vacancy_poll_s * 1000u : 0,
        .user_agent = "hiroba/" HIROBA_VERSION,
    };
    a->feeder = feeder_start(&fc);
    if (!a->feeder)
        LOG_ERROR("main", "no live feeds: the boards show only their cached copies");
    else if (urls)
        feeder_set_urls(a->feeder, urls);
}

/* The emergency alerts. Their state is read from the store here, on this
 * thread, before anything is drawn, so that the first frame after a restart
 * already shows an alert that is still active, network or not (alerter.h:
 * open, current, start). From alerter_start on the alerts belong to the
 * alerter's thread; new snapshots arrive through the hub. Opened before the
 * updater starts its thread (the alerter's net is created here). The kiosk
 * runs on without alerts if they cannot be opened. */
static void start_alerter(struct app *a)
{
    const struct options *o = &a->opt;
    if (!a->hub || !o->channel)
        return;
    alerter_config ac = {
        .data_dir = o->data_dir,
        .ca_file = o->ca_file,
        .channel = o->channel,
        .n_trust = o->n_trust,
        .clock = a->clock,
        .hub = a->hub,
        .poll_ms = o->alert_poll_s > 0 ? (uint32_t)o->alert_poll_s * 1000u : 0,
        .allow_drills = o->drills,
        .language = o->lang, /* the session's default language */
        .cap_trusted_tls = o->cap_trusted_tls,
        .user_agent = "hiroba/" HIROBA_VERSION,
    };
    for (size_t i = 0; i < o->n_trust && i < ALERTER_MAX_KEYS; i++)
        ac.trust[i] = o->trust[i];
    a->alerter = alerter_open(&ac);
    if (!a->alerter)
        return;
    a->alerts = alerter_current(a->alerter);
    if (a->pack)
        alerter_set_urls(a->alerter, &a->pack->feeds);
    if (alerter_start(a->alerter) != 0)
        LOG_ERROR("main", "alerts are not polled: only those already stored are shown");
}

/* The network thread: from then on new packs arrive through the hub. A
 * remote source is polled at once; a local one was just synced by
 * open_content, so the first poll waits one interval. */
static int start_updater(struct app *a)
{
    const struct options *o = &a->opt;
    if (!a->hub || !o->source || !*o->source)
        return 0;
    bool remote = strncmp(o->source, "http://", 7) == 0 || strncmp(o->source, "https://", 8) == 0;
    uint32_t poll_ms = (uint32_t)(o->poll_interval_s > 0 ? o->poll_interval_s : 60) * 1000u;
    updater_config uc = {.data_dir = o->data_dir,
                         .channel = o->channel,
                         .source = o->source,
                         .ca_file = o->ca_file,
                         .n_trust = o->n_trust,
                         .clock = a->clock,
                         .hub = a->hub,
                         .poll_ms = poll_ms,
                         .first_delay_ms = remote ? 0 : poll_ms};
    for (size_t i = 0; i < o->n_trust && i < UPDATER_MAX_KEYS; i++)
        uc.trust[i] = o->trust[i];
    a->updater = updater_start(&uc);
    return a->updater ? 0 : -1;
}

/* The UI texts. A kiosk without them still runs: its buttons show keys. */
static void open_catalog(struct app *a)
{
    const char *dir = catalog_default_dir();
    a->catalog = catalog_load(dir);
    if (!a->catalog)
        LOG_ERROR("main", "no UI texts from %s: the screens show their keys", dir);
}

/* touch = auto: a touch kiosk when headless (tests drive it with touch
 * events), when SDL sees a touch device, or on a desktop, whose mouse works
 * the same; only a bare display (kmsdrm) with no touch device is signage. */
static bool resolve_touch(const struct app *a)
{
    if (a->opt.touch >= 0)
        return a->opt.touch == 1;
    if (ui_window_is_headless(a->window) || SDL_GetNumTouchDevices() > 0)
        return true;
    const char *driver = SDL_GetCurrentVideoDriver();
    return !driver || strcmp(driver, "kmsdrm") != 0;
}

/* Output pixels per millimetre, for touch targets of a real size: from
 * screen_width_mm, else from the display when it knows its size, else as a
 * 24" 16:9 panel, 527 mm along its long side (a portrait kiosk's width is
 * the panel's short side). */
static float pixels_per_mm(const struct app *a)
{
    double width_mm = a->opt.screen_width_mm;
    if (width_mm <= 0 && !ui_window_is_headless(a->window)) {
        SDL_Window *win = SDL_RenderGetWindow(ui_window_renderer(a->window));
        int display = win ? SDL_GetWindowDisplayIndex(win) : -1;
        float hdpi = 0;
        int win_w = 0, win_h = 0;
        if (win)
            SDL_GetWindowSize(win, &win_w, &win_h);
        /* DPI is in window units; a high-DPI output has more pixels. Values
         * outside 30..1000 are a driver's guess, not a measurement. */
        if (display >= 0 && win_w > 0 && SDL_GetDisplayDPI(display, NULL, &hdpi, NULL) == 0 &&
            hdpi >= 30 && hdpi <= 1000)
            return hdpi / 25.4f * ((float)a->ctx.width / (float)win_w);
    }
    if (width_mm <= 0) {
        int long_side = a->ctx.width > a->ctx.height ? a->ctx.width : a->ctx.height;
        return (float)(long_side / 527.0);
    }
    return (float)(a->ctx.width / width_mm);
}

/* The resident's session starts (and resets to) the configured defaults.
 * Only a touch kiosk resets when idle: a signage display has no resident,
 * and resetting would cut its playlist's rotation short. */
static void open_session(struct app *a)
{
    const struct options *o = &a->opt;
    model_lang lang = model_lang_from_code(o->lang);
    if (lang == MODEL_LANG_NONE)
        lang = MODEL_LANG_JA;
    const char *idle = o->idle_screen ? o->idle_screen : a->ctx.touch ? "home" : "signage";
    a->session = (screen_session){
        .lang = lang,
        .furigana = o->furigana,
        .large_text = o->large_text,
        .last_input_ms = a->ctx.now_ms,
        .default_lang = lang,
        .default_furigana = o->furigana,
        .idle_ms = a->ctx.touch && o->idle_timeout_s > 0 ? (uint32_t)o->idle_timeout_s * 1000u : 0,
        .idle_screen = screen_ops_by_name(idle),
    };
}

/* The staff view's Restart: the loop ends, and systemd (Restart=always)
 * starts the kiosk again. */
static void restart_requested(void *user)
{
    struct app *a = user;
    LOG_INFO("main", "restarting (staff view)");
    a->exit_code = HEALTH_EXIT_RESTART;
    a->quit = true;
}

/* The metrics file and the staff view (health.h). A headless run (tests,
 * previews) writes no metrics unless the config names a folder. */
static void open_health(struct app *a)
{
    const struct options *o = &a->opt;
    health_config hc = {
        .ctx = &a->ctx,
        .hub = a->hub,
        .updater = a->updater,
        .version = HIROBA_VERSION,
        .data_dir = o->data_dir,
        .channel = o->channel,
        .kiosk_id = o->kiosk_id,
        .staff_pin = o->staff_pin,
        .metrics_dir = o->metrics_dir ? o->metrics_dir
                       : o->headless  ? "off"
                                      : NULL,
        .restart = restart_requested,
        .restart_user = a,
    };
    a->health = health_create(&hc);
    a->ctx.staff = a->health ? health_staff(a->health) : NULL;
}

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
    if (open_content(a) != 0 || open_video(a) != 0 || open_hub(a) != 0)
        return -1;
    start_feeder(a);
    start_alerter(a);
    if (start_updater(a) != 0)
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
    open_catalog(a);
    a->ctx.catalog = a->catalog;
    a->ctx.touch = resolve_touch(a);
    a->ctx.px_per_mm = pixels_per_mm(a);
    a->ctx.now_ms = clock_monotonic_ms();
    open_session(a);
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
    open_health(a);
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
        a->ctx.px_per_mm = pixels_per_mm(a);
    }
    if (changes)
        ui_frame_invalidate(&a->frame);
}

/* A newer pack from the network thread goes on screen; the one it replaces
 * lives until the screen's next update has dropped its pointers into it. */
static void handle_hub(struct app *a)
{
    if (!a->hub)
        return;
    model_pack *p = hub_take_pack(a->hub);
    if (!p)
        return;
    model_pack_destroy(a->retired);
    a->retired = a->pack;
    a->pack = p;
    a->ctx.pack = p;
    feeder_set_urls(a->feeder, &p->feeds);
    alerter_set_urls(a->alerter, &p->feeds);
    LOG_INFO("main", "now showing %s version %lld", p->manifest.channel,
             (long long)p->manifest.version);
    ui_frame_invalidate(&a->frame);
}

/* New live-feed snapshots go on screen like packs: the one replaced lives
 * until the screen's next update. A status that says nothing is shown (the
 * pack has no such feed, or names a new URL with nothing cached for it)
 * drops the snapshot on screen, and one taken with it (published for the
 * old URL before the change): another place's numbers never stay. */
static void handle_feeds(struct app *a)
{
    if (!a->hub)
        return;
    bool changed = false;
    feeds_queue *q;
    feeds_vacancy *v;
    hub_feed_status st;
    if (hub_take_queue(a->hub, &q, &st)) {
        bool nothing = !st.configured || st.fetched_at_ms == 0;
        if (nothing) {
            feeds_queue_destroy(q);
            q = NULL;
        }
        if (q || nothing) {
            feeds_queue_destroy(a->retired_queue);
            a->retired_queue = a->queue;
            a->queue = q;
            a->feeds.queue = q;
        }
        a->feeds.queue_status = st;
        changed = true;
    }
    if (hub_take_vacancy(a->hub, &v, &st)) {
        bool nothing = !st.configured || st.fetched_at_ms == 0;
        if (nothing) {
            feeds_vacancy_destroy(v);
            v = NULL;
        }
        if (v || nothing) {
            feeds_vacancy_destroy(a->retired_vacancy);
            a->retired_vacancy = a->vacancy;
            a->vacancy = v;
            a->feeds.vacancy = v;
        }
        a->feeds.vacancy_status = st;
        changed = true;
    }
    if (changed) {
        a->feeds.serial++;
        ui_frame_invalidate(&a->frame);
    }
}

/* A new alerts snapshot goes on screen at once (the frame is redrawn this
 * turn); the one it replaces is released after the screen's next update.
 * The loop also wakes when an alert's time is up, so that it leaves the
 * screen on time even when nothing new is published. */
static void handle_alerts(struct app *a)
{
    if (!a->hub)
        return;
    alerts_snapshot *s = hub_take_alerts(a->hub);
    if (s) {
        alerts_snapshot_unref(a->retired_alerts);
        a->retired_alerts = a->alerts;
        a->alerts = s;
        a->ctx.alerts = s;
        ui_frame_invalidate(&a->frame);
    }
    int64_t next = alerts_snapshot_next_change(a->alerts);
    if (next == ALERTS_MONO_NEVER || next == a->alerts_change_seen)
        return;
    if (a->ctx.now_ms >= next) {
        a->alerts_change_seen = next;
        ui_frame_invalidate(&a->frame);
    } else {
        int64_t in = next - a->ctx.now_ms;
        ui_frame_wake_in(&a->frame, (uint32_t)(in < 60000 ? in : 60000));
    }
}

static void handle_retired(struct app *a)
{
    model_pack_destroy(a->retired);
    a->retired = NULL;
    feeds_queue_destroy(a->retired_queue);
    a->retired_queue = NULL;
    feeds_vacancy_destroy(a->retired_vacancy);
    a->retired_vacancy = NULL;
    alerts_snapshot_unref(a->retired_alerts);
    a->retired_alerts = NULL;
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
        handle_hub(a);
        handle_feeds(a);
        handle_alerts(a);
        screen_router_update(a->router);
        handle_retired(a);
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
