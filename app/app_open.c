/* app_open: opening the kiosk's background modules for app_open in
 * main.c: the channel's content, the hub, the live feeds, the alerts, the
 * updater and the video player, and the screen context's set-up (UI texts,
 * touch, pixels per millimetre, the resident's session, health and metrics).
 * Each step only fills struct app; the order is main's. */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "app/app_private.h"
#include "app/core/catalog.h"
#include "app/core/log.h"

/* The channel's content: data folder, trusted keys, optional local source. */
int app_open_content(struct app *a)
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
int app_open_video(struct app *a)
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
int app_open_hub(struct app *a)
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
void app_start_feeder(struct app *a)
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
void app_start_alerter(struct app *a)
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
 * app_open_content, so the first poll waits one interval. */
int app_start_updater(struct app *a)
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
void app_open_catalog(struct app *a)
{
    const char *dir = catalog_default_dir();
    a->catalog = catalog_load(dir);
    if (!a->catalog)
        LOG_ERROR("main", "no UI texts from %s: the screens show their keys", dir);
}

/* touch = auto: a touch kiosk when headless (tests drive it with touch
 * events), when SDL sees a touch device, or on a desktop, whose mouse works
 * the same; only a bare display (kmsdrm) with no touch device is signage. */
bool app_resolve_touch(const struct app *a)
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
float app_pixels_per_mm(const struct app *a)
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
void app_open_session(struct app *a)
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
void app_open_health(struct app *a)
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
