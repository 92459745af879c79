/* video_vlc: the libvlc video backend. libvlc decodes on its own threads into
 * our memory buffers (I420, through the vmem callbacks); its events and log
 * lines become reports the UI thread acts on in ui_video_update.
 * Must never call libvlc from inside a libvlc callback that could wait for
 * the calling thread (stop from the event thread deadlocks): callbacks only
 * set flags, fill buffers and wake the app. libvlc_video_get_size is the one
 * libvlc call made from a callback: it only reads the media's track list. */
#include "ui/video_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vlc/vlc.h>

#include "ui/ui_log.h"

#define ARGS_MAX 64
#define MSG_MAX  200

typedef struct vlc_priv {
    libvlc_instance_t *inst;
    libvlc_media_player_t *mp;
    bool media_sound; /* the open clip was opened with its audio track */
    /* The log callback runs on any libvlc thread. */
    SDL_mutex *log_lock;
    bool stopping; /* errors of a stop we asked for are expected */
    video_seen logged;
    char first_error[VIDEO_REASON_MAX]; /* first real error since play */
} vlc_priv;

/* Decoding into memory: no window system, no on-screen text, no stats, no
 * hardware decoding (its surfaces cannot be read back here and its probes
 * print errors), no subtitle files looked for next to the clip, no vlcrc. */
static const char *const base_args[] = {
    "--no-xlib",
    "--quiet",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
    "--no-stats",
    "--avcodec-hw=none",
    "--no-sub-autodetect-file",
    "--no-spu",
    "--no-lua",
    "--no-disable-screensaver",
    "--ignore-config",
};

/* ---- log ---------------------------------------------------------------- */

/* Errors libvlc prints while probing paths that then fail over to the one
 * that works: hardware decoders offering GPU surfaces (we refuse them, see
 * vlc_setup), and the video output it tried for them. Real failures of the
 * output still end as "no video frame" errors. */
static bool is_harmless(const char *module, const char *msg)
{
    if (module && (strncmp(module, "va", 2) == 0 || strncmp(module, "vdpau", 5) == 0))
        return true;
    static const char *const noise[] = {
        "Too high level of recursion",
        "Failed to create video converter",
        "Failed to adapt decoder format to display",
        "video format setup failure",
        "video output creation failed",
        "failed to create video output",
    };
    for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++)
        if (strstr(msg, noise[i]))
            return true;
    return false;
}

static void vlc_log(void *data, int level, const libvlc_log_t *ctx, const char *fmt, va_list args)
{
    if (level < LIBVLC_WARNING)
        return; /* before formatting: libvlc is chatty */
    ui_video *v = data;
    vlc_priv *p = v->priv;
    char msg[MSG_MAX];
    /* libvlc's own format string, as its logger contract says. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(msg, sizeof msg, fmt, args);
#pragma GCC diagnostic pop
    const char *module = NULL;
    libvlc_log_get_context(ctx, &module, NULL, NULL);
    if (!module)
        module = "?";
    if (level < LIBVLC_ERROR || is_harmless(module, msg)) {
        UI_DEBUG("video", "libvlc %s: %s", module, msg);
        return;
    }
    SDL_LockMutex(p->log_lock);
    if (p->stopping) { /* reads and probes cut short by stop */
        SDL_UnlockMutex(p->log_lock);
        UI_DEBUG("video", "libvlc %s: %s (while stopping)", module, msg);
        return;
    }
    if (!p->first_error[0])
        snprintf(p->first_error, sizeof p->first_error, "libvlc %s: %s", module, msg);
    /* A kiosk plays the same clips for months: say each distinct thing once. */
    bool fresh = video_seen_first(&p->logged, module, msg);
    SDL_UnlockMutex(p->log_lock);
    if (fresh)
        UI_WARN("video", "libvlc %s: %s", module, msg);
}

/* ---- video callbacks (libvlc's decoder/output threads) ------------------ */

/* Opaque GPU surfaces (VA-API, VDPAU, D3D, VideoToolbox, MMAL, Android):
 * refusing them at once makes libvlc fall back to software decoding. */
static bool is_gpu_chroma(const char *chroma)
{
    static const char *const gpu[] = {"VAOP", "VAO0", "VDV0", "VDV2", "VDV4", "VDOR",
                                      "DXA9", "DX11", "CVPX", "MMAL", "ANOP"};
    for (size_t i = 0; i < sizeof gpu / sizeof gpu[0]; i++)
        if (memcmp(chroma, gpu[i], 4) == 0)
            return true;
    return false;
}

static unsigned vlc_setup(void **opaque, char *chroma, unsigned *width, unsigned *height,
                          unsigned *pitches, unsigned *lines)
{
    ui_video *v = *opaque;
    vlc_priv *p = v->priv;
    if (is_gpu_chroma(chroma))
        return 0;
    /* *width x *height is the decoder's buffer, often padded (320x240 comes
     * as 320x258, 1080p as 1920x1090); the track says what is picture. */
    unsigned buf_w = *width, buf_h = *height, pic_w = 0, pic_h = 0;
    if (libvlc_video_get_size(p->mp, 0, &pic_w, &pic_h) != 0 || pic_w == 0 || pic_h == 0 ||
        pic_w > buf_w || pic_h > buf_h) {
        pic_w = buf_w;
        pic_h = buf_h;
    }
    if (pic_w > (unsigned)v->cfg.max_width || pic_h > (unsigned)v->cfg.max_height) {
        /* libvlc scales the picture (not the padding) to the size we ask. */
        SDL_Rect box = {0, 0, v->cfg.max_width, v->cfg.max_height};
        SDL_Rect r = ui_video_fit((int)pic_w, (int)pic_h, &box);
        buf_w = pic_w = (unsigned)(r.w & ~1);
        buf_h = pic_h = (unsigned)(r.h & ~1);
        *width = buf_w;
        *height = buf_h;
    }
    memcpy(chroma, "I420", 4);
    if (video_frames_setup(v, (int)buf_w, (int)buf_h, (int)pic_w, (int)pic_h, pitches, lines))
        return 0;
    return 1; /* one picture in flight: see video_frames_lock */
}

static void vlc_cleanup(void *opaque)
{
    video_frames_cleanup(opaque);
}

static void *vlc_lock(void *opaque, void **planes)
{
    void *pic = video_frames_lock(opaque, planes);
    if (!pic) /* unreachable: libvlc locks only pictures of a format we set up */
        UI_ERROR("video", "libvlc asked for a frame before its format was set up");
    return pic;
}

static void vlc_display(void *opaque, void *picture)
{
    video_frames_display(opaque, picture);
}

static void vlc_event(const struct libvlc_event_t *e, void *data)
{
    ui_video *v = data;
    vlc_priv *p = v->priv;
    if (e->type == libvlc_MediaPlayerEndReached) {
        video_report_end(v);
    } else if (e->type == libvlc_MediaPlayerEncounteredError) {
        char reason[VIDEO_REASON_MAX];
        SDL_LockMutex(p->log_lock);
        snprintf(reason, sizeof reason, "%s",
                 p->first_error[0] ? p->first_error : "libvlc cannot play it");
        SDL_UnlockMutex(p->log_lock);
        video_report_error(v, reason);
    }
}

/* ---- backend ------------------------------------------------------------ */

static int vlc_init(ui_video *v)
{
    const char *argv[sizeof base_args / sizeof base_args[0] + 1 + ARGS_MAX];
    int argc = 0;
    for (size_t i = 0; i < sizeof base_args / sizeof base_args[0]; i++)
        argv[argc++] = base_args[i];
    if (v->cfg.no_audio_device)
        argv[argc++] = "--aout=adummy";
    for (const char *const *a = v->cfg.vlc_args; a && *a; a++) {
        if (argc == (int)(sizeof argv / sizeof argv[0])) {
            UI_ERROR("video", "more than %d extra libvlc arguments", ARGS_MAX);
            return -1;
        }
        argv[argc++] = *a;
    }

    vlc_priv *p = calloc(1, sizeof *p);
    if (!p) {
        UI_ERROR("video", "libvlc backend: out of memory");
        return -1;
    }
    v->priv = p;
    p->log_lock = SDL_CreateMutex();
    if (!p->log_lock) {
        UI_ERROR("video", "libvlc backend: %s", SDL_GetError());
        goto fail;
    }
    p->inst = libvlc_new(argc, argv);
    if (!p->inst) {
        const char *why = libvlc_errmsg();
        UI_ERROR("video",
                 "libvlc %s does not start (%s): an unknown extra argument, or its "
                 "plugins are missing (vlc-plugin-base)",
                 libvlc_get_version(), why ? why : "no reason given");
        goto fail;
    }
    libvlc_log_set(p->inst, vlc_log, v);
    p->mp = libvlc_media_player_new(p->inst);
    if (!p->mp) {
        const char *why = libvlc_errmsg();
        UI_ERROR("video", "libvlc cannot make a media player: %s", why ? why : "no reason given");
        goto fail;
    }
    libvlc_video_set_callbacks(p->mp, vlc_lock, NULL, vlc_display, v);
    libvlc_video_set_format_callbacks(p->mp, vlc_setup, vlc_cleanup);
    libvlc_event_manager_t *em = libvlc_media_player_event_manager(p->mp);
    if (libvlc_event_attach(em, libvlc_MediaPlayerEndReached, vlc_event, v) != 0 ||
        libvlc_event_attach(em, libvlc_MediaPlayerEncounteredError, vlc_event, v) != 0) {
        UI_ERROR("video", "libvlc: cannot listen to player events");
        goto fail;
    }
    return 0;

fail:
    if (p->mp)
        libvlc_media_player_release(p->mp);
    if (p->inst)
        libvlc_release(p->inst);
    SDL_DestroyMutex(p->log_lock);
    free(p);
    v->priv = NULL;
    return -1;
}

static void vlc_uninit(ui_video *v)
{
    vlc_priv *p = v->priv;
    if (!p)
        return;
    libvlc_media_player_release(p->mp);
    libvlc_release(p->inst); /* also unhooks vlc_log */
    SDL_DestroyMutex(p->log_lock);
    free(p);
    v->priv = NULL;
}

static int vlc_open(ui_video *v, const char *path)
{
    vlc_priv *p = v->priv;
    libvlc_media_t *m = libvlc_media_new_path(p->inst, path);
    if (!m) {
        video_error(v, "libvlc cannot make a media of it");
        return -1;
    }
    /* Muted: the audio track is not decoded at all, so no audio device is
     * opened (a signage box may have none). */
    p->media_sound = !v->muted;
    if (v->muted)
        libvlc_media_add_option(m, ":no-audio");
    libvlc_media_player_set_media(p->mp, m);
    libvlc_media_release(m);
    return 0;
}

static int vlc_play(ui_video *v)
{
    vlc_priv *p = v->priv;
    SDL_LockMutex(p->log_lock);
    p->first_error[0] = '\0';
    SDL_UnlockMutex(p->log_lock);
    if (libvlc_media_player_play(p->mp) != 0) {
        const char *why = libvlc_errmsg();
        video_error(v, "libvlc cannot start playing: %s", why ? why : "no reason given");
        return -1;
    }
    return 0;
}

static void vlc_pause(ui_video *v)
{
    vlc_priv *p = v->priv;
    libvlc_media_player_set_pause(p->mp, 1);
}

static void vlc_stop(ui_video *v)
{
    vlc_priv *p = v->priv;
    SDL_LockMutex(p->log_lock);
    p->stopping = true;
    SDL_UnlockMutex(p->log_lock);
    libvlc_media_player_stop(p->mp); /* joins libvlc's threads; vlc_cleanup runs here */
    SDL_LockMutex(p->log_lock);
    p->stopping = false;
    SDL_UnlockMutex(p->log_lock);
}

static void vlc_set_muted(ui_video *v, bool muted)
{
    vlc_priv *p = v->priv;
    if (p->media_sound)
        libvlc_audio_set_mute(p->mp, muted);
}

const video_backend video_backend_vlc = {
    .name = "vlc",
    .init = vlc_init,
    .uninit = vlc_uninit,
    .open = vlc_open,
    .play = vlc_play,
    .pause = vlc_pause,
    .stop = vlc_stop,
    .set_muted = vlc_set_muted,
};

/* ---- probe (any thread) ------------------------------------------------- */

#define PROBE_TIMEOUT_MS 10000
#define PROBE_UNREADABLE "libvlc cannot open it (not a video file, or damaged)"

/* The one libvlc instance probes share, made by the first probe and kept
 * until the process exits: libvlc 3.0 unloads its plugins with its last
 * instance and loses ~12 KB of their static data each time (see
 * ui_video_create), so a tool probing N clips with N instances would leak N
 * times. This pointer is the file's only global; it is a cache of a
 * process-wide library, never state a caller sees. */
static libvlc_instance_t *probe_instance;
static SDL_SpinLock probe_instance_lock;

static libvlc_instance_t *probe_libvlc(void)
{
    SDL_AtomicLock(&probe_instance_lock);
    if (!probe_instance)
        probe_instance = libvlc_new((int)(sizeof base_args / sizeof base_args[0]), base_args);
    libvlc_instance_t *inst = probe_instance;
    SDL_AtomicUnlock(&probe_instance_lock);
    return inst;
}

typedef struct probe_wait {
    SDL_mutex *lock;
    SDL_cond *parsed;
    bool done;
} probe_wait;

static void probe_event(const struct libvlc_event_t *e, void *data)
{
    probe_wait *pw = data;
    (void)e;
    SDL_LockMutex(pw->lock);
    pw->done = true;
    SDL_CondSignal(pw->parsed);
    SDL_UnlockMutex(pw->lock);
}

/* Waits for libvlc's preparser (it runs on its own thread); stops it when it
 * overruns its own timeout, so a hostile file cannot hang the caller. */
static libvlc_media_parsed_status_t probe_parse(libvlc_media_t *m)
{
    probe_wait pw = {SDL_CreateMutex(), SDL_CreateCond(), false};
    libvlc_event_manager_t *em = libvlc_media_event_manager(m);
    libvlc_media_parsed_status_t status = libvlc_media_parsed_status_failed;
    if (!pw.lock || !pw.parsed ||
        libvlc_event_attach(em, libvlc_MediaParsedChanged, probe_event, &pw) != 0)
        goto done;
    if (libvlc_media_parse_with_options(m, libvlc_media_parse_local, PROBE_TIMEOUT_MS) == 0) {
        SDL_LockMutex(pw.lock);
        Uint64 give_up = SDL_GetTicks64() + PROBE_TIMEOUT_MS + 2000;
        while (!pw.done && SDL_GetTicks64() < give_up)
            SDL_CondWaitTimeout(pw.parsed, pw.lock, 100);
        bool parsed = pw.done;
        SDL_UnlockMutex(pw.lock);
        if (!parsed)
            libvlc_media_parse_stop(m);
        status = parsed ? libvlc_media_get_parsed_status(m) : libvlc_media_parsed_status_timeout;
    }
    libvlc_event_detach(em, libvlc_MediaParsedChanged, probe_event, &pw);
done:
    SDL_DestroyCond(pw.parsed);
    SDL_DestroyMutex(pw.lock);
    return status;
}

int ui_video_probe(const char *path, int *w, int *h, int64_t *duration_ms, char *err, size_t errlen)
{
    libvlc_media_t *m = NULL;
    libvlc_media_track_t **tracks = NULL;
    unsigned n = 0;
    bool audio = false;
    int rc = -1;
    *w = *h = 0;
    *duration_ms = -1;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot open it");
        return -1;
    }
    fclose(f);
    libvlc_instance_t *inst = probe_libvlc();
    if (!inst) {
        snprintf(err, errlen, "libvlc %s does not start (vlc-plugin-base missing?)",
                 libvlc_get_version());
        return -1;
    }
    m = libvlc_media_new_path(inst, path);
    if (!m) {
        snprintf(err, errlen, "libvlc cannot make a media of it");
        return -1;
    }
    libvlc_media_parsed_status_t status = probe_parse(m);
    if (status != libvlc_media_parsed_status_done) {
        snprintf(err, errlen, "%s",
                 status == libvlc_media_parsed_status_timeout ? "libvlc timed out reading it"
                                                              : PROBE_UNREADABLE);
        goto done;
    }
    n = libvlc_media_tracks_get(m, &tracks);
    for (unsigned i = 0; i < n; i++) {
        if (tracks[i]->i_type == libvlc_track_audio)
            audio = true;
        if (tracks[i]->i_type != libvlc_track_video || !tracks[i]->video ||
            tracks[i]->video->i_width == 0 || tracks[i]->video->i_height == 0)
            continue;
        *w = (int)tracks[i]->video->i_width;
        *h = (int)tracks[i]->video->i_height;
        libvlc_time_t d = libvlc_media_get_duration(m);
        *duration_ms = d > 0 ? (int64_t)d : -1;
        rc = 0;
        goto done;
    }
    /* Nothing at all in it is what a failed parse means too: say it the same way. */
    snprintf(err, errlen, "%s",
             n == 0  ? PROBE_UNREADABLE
             : audio ? "no video track (audio only)"
                     : "no video track");
done:
    if (tracks)
        libvlc_media_tracks_release(tracks, n);
    libvlc_media_release(m);
    return rc;
}
