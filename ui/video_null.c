/* video_null: the video backend without a decoder. "Plays" any readable file
 * as a moving colour gradient at 25 fps for cfg.null_duration_ms, then ends,
 * on its own thread and through the same buffers, wake-ups and state changes
 * as libvlc, so screens, the signage loop and tests run without libvlc or
 * media. Never reads the file's contents. */
#include "ui/video_private.h"

#include <stdio.h>
#include <stdlib.h>

#include "ui/ui_log.h"

typedef struct null_priv {
    SDL_Thread *thread;
    SDL_mutex *lock;
    SDL_cond *changed; /* quit or paused changed */
    bool quit;
    bool paused;
} null_priv;

static int null_init(ui_video *v)
{
    null_priv *p = calloc(1, sizeof *p);
    if (!p)
        goto fail;
    p->lock = SDL_CreateMutex();
    p->changed = SDL_CreateCond();
    if (!p->lock || !p->changed)
        goto fail;
    v->priv = p;
    return 0;

fail:
    UI_ERROR("video", "null backend: cannot start: %s", p ? SDL_GetError() : "out of memory");
    if (p) {
        SDL_DestroyCond(p->changed);
        SDL_DestroyMutex(p->lock);
        free(p);
    }
    return -1;
}

static void null_uninit(ui_video *v)
{
    null_priv *p = v->priv;
    if (!p)
        return;
    SDL_DestroyCond(p->changed);
    SDL_DestroyMutex(p->lock);
    free(p);
    v->priv = NULL;
}

/* Sleeps until *due (SDL ticks), shifting *due by the time spent paused.
 * Returns false when asked to quit. */
static bool wait_until(null_priv *p, uint64_t *due)
{
    SDL_LockMutex(p->lock);
    for (;;) {
        if (p->quit) {
            SDL_UnlockMutex(p->lock);
            return false;
        }
        if (p->paused) {
            uint64_t since = SDL_GetTicks64();
            while (p->paused && !p->quit)
                SDL_CondWait(p->changed, p->lock);
            *due += SDL_GetTicks64() - since;
            continue;
        }
        uint64_t now = SDL_GetTicks64();
        if (now >= *due)
            break;
        SDL_CondWaitTimeout(p->changed, p->lock, (Uint32)(*due - now));
    }
    SDL_UnlockMutex(p->lock);
    return true;
}

/* A diagonal luma ramp that moves with n over a fixed colour wash: never
 * black, different every frame. */
static void paint(uint8_t *const planes[3], const unsigned pitches[3], int w, int h, int n)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            planes[0][(size_t)y * pitches[0] + (size_t)x] = (uint8_t)(32 + (x + y + 4 * n) % 192);
    for (int y = 0; y < (h + 1) / 2; y++)
        for (int x = 0; x < (w + 1) / 2; x++) {
            planes[1][(size_t)y * pitches[1] + (size_t)x] = (uint8_t)(64 + x * 128 / w);
            planes[2][(size_t)y * pitches[2] + (size_t)x] = (uint8_t)(192 - y * 128 / h);
        }
}

static int null_run(void *data)
{
    ui_video *v = data;
    null_priv *p = v->priv;
    const int w = v->cfg.null_width, h = v->cfg.null_height;
    unsigned pitches[3], lines[3];
    if (video_frames_setup(v, w, h, w, h, pitches, lines) != 0) {
        video_report_error(v, "null backend: out of memory for frames");
        return 0;
    }
    int total = (int)((int64_t)v->cfg.null_duration_ms * VIDEO_NULL_FPS / 1000);
    if (total < 1)
        total = 1;
    uint64_t start = SDL_GetTicks64() + (uint64_t)v->cfg.null_first_frame_delay_ms;
    uint64_t shift = 0; /* time spent paused, added to every due time */
    for (int n = 0; n <= total; n++) {
        /* Frame n is due at start + n/25 s; "n == total" is the end of the
         * last frame's time, when the clip ends. */
        uint64_t due = start + shift + (uint64_t)n * 1000 / VIDEO_NULL_FPS;
        uint64_t want = due;
        if (!wait_until(p, &due))
            return 0;
        shift += due - want;
        if (n == total)
            break;
        void *planes[3];
        void *pic = video_frames_lock(v, planes);
        if (!pic)
            continue;
        paint((uint8_t *const *)planes, pitches, w, h, n);
        video_frames_display(v, pic);
    }
    video_report_end(v);
    return 0;
}

static int null_open(ui_video *v, const char *path)
{
    (void)v;
    (void)path;
    return 0;
}

static int null_play(ui_video *v)
{
    null_priv *p = v->priv;
    if (p->thread) { /* paused: resume */
        SDL_LockMutex(p->lock);
        p->paused = false;
        SDL_CondBroadcast(p->changed);
        SDL_UnlockMutex(p->lock);
        return 0;
    }
    p->quit = false;
    p->paused = false;
    p->thread = SDL_CreateThread(null_run, "hiroba-video-null", v);
    if (!p->thread) {
        video_error(v, "null backend: cannot start a thread: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

static void null_pause(ui_video *v)
{
    null_priv *p = v->priv;
    SDL_LockMutex(p->lock);
    p->paused = true;
    SDL_CondBroadcast(p->changed);
    SDL_UnlockMutex(p->lock);
}

static void null_stop(ui_video *v)
{
    null_priv *p = v->priv;
    if (p->thread) {
        SDL_LockMutex(p->lock);
        p->quit = true;
        SDL_CondBroadcast(p->changed);
        SDL_UnlockMutex(p->lock);
        SDL_WaitThread(p->thread, NULL);
        p->thread = NULL;
    }
    video_frames_cleanup(v);
}

static void null_set_muted(ui_video *v, bool muted)
{
    (void)v;
    (void)muted;
}

const video_backend video_backend_null = {
    .name = "null",
    .init = null_init,
    .uninit = null_uninit,
    .open = null_open,
    .play = null_play,
    .pause = null_pause,
    .stop = null_stop,
    .set_muted = null_set_muted,
};

#ifndef HIROBA_HAVE_LIBVLC
int ui_video_probe(const char *path, int *w, int *h, int64_t *duration_ms, char *err, size_t errlen)
{
    (void)path;
    *w = *h = 0;
    *duration_ms = -1;
    snprintf(err, errlen, "this build has no libvlc: videos cannot be checked");
    return -1;
}
#endif
