/* video: the backend-independent half of ui/video.h: the state machine the
 * app sees, the texture upload and letterboxed drawing (the buffers decoder
 * threads fill are in video_frames.c). Runs on the UI thread only; never
 * calls a backend while holding v->lock (libvlc's stop waits for threads
 * that may be waiting for that lock). */
#include "ui/video_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/ui_log.h"

static const video_backend *find_backend(const char *name)
{
    if (!name || !*name)
        name = "vlc";
    if (strcmp(name, "null") == 0)
        return &video_backend_null;
#ifdef HIROBA_HAVE_LIBVLC
    if (strcmp(name, "vlc") == 0)
        return &video_backend_vlc;
#else
    if (strcmp(name, "vlc") == 0) {
        UI_ERROR("video", "this build has no libvlc (use the \"null\" video backend)");
        return NULL;
    }
#endif
    UI_ERROR("video", "unknown video backend \"%s\" (known: vlc, null)", name);
    return NULL;
}

static void fill_defaults(ui_video_config *c)
{
    if (c->max_width <= 0 || c->max_height <= 0) {
        c->max_width = VIDEO_DEFAULT_MAX_W;
        c->max_height = VIDEO_DEFAULT_MAX_H;
    }
    if (c->first_frame_timeout_ms <= 0)
        c->first_frame_timeout_ms = VIDEO_DEFAULT_TIMEOUT;
    if (c->null_duration_ms <= 0)
        c->null_duration_ms = VIDEO_NULL_DEFAULT_MS;
    if (c->null_width <= 0 || c->null_height <= 0) {
        c->null_width = VIDEO_NULL_DEFAULT_W;
        c->null_height = VIDEO_NULL_DEFAULT_H;
    }
    if (c->null_first_frame_delay_ms < 0)
        c->null_first_frame_delay_ms = 0;
}

ui_video *ui_video_create(SDL_Renderer *renderer, const ui_video_config *cfg)
{
    ui_video_config defaults = {0};
    if (!cfg)
        cfg = &defaults;
    if (!renderer) {
        UI_ERROR("video", "create: no renderer");
        return NULL;
    }
    const video_backend *backend = find_backend(cfg->backend);
    if (!backend)
        return NULL;

    ui_video *v = calloc(1, sizeof *v);
    if (!v) {
        UI_ERROR("video", "create: out of memory");
        return NULL;
    }
    v->backend = backend;
    v->cfg = *cfg;
    v->cfg.backend = backend->name;
    fill_defaults(&v->cfg);
    v->renderer = renderer;
    v->muted = !cfg->sound;
    v->ready = -1;
    v->last = -1;
    v->state = UI_VIDEO_IDLE;
    v->lock = SDL_CreateMutex();
    v->reader_done = SDL_CreateCond();
    if (!v->lock || !v->reader_done) {
        UI_ERROR("video", "create: %s", SDL_GetError());
        goto fail;
    }
    if (backend->init(v) != 0)
        goto fail;
    v->cfg.vlc_args = NULL; /* borrowed for init only */
    return v;

fail:
    SDL_DestroyCond(v->reader_done);
    SDL_DestroyMutex(v->lock);
    free(v);
    return NULL;
}

/* Stops the backend if it runs. The decoder threads are gone afterwards, so
 * what they reported is stale and is forgotten. */
static void halt(ui_video *v)
{
    if (v->running) {
        v->backend->stop(v);
        v->running = false;
    }
    video_frames_forget_reports(v);
}

/* Forgets the picture and the counters: a new run starts. */
static void reset_run(ui_video *v)
{
    video_frames_reset(v);
    v->frames_shown = 0;
    v->has_picture = false;
}

void ui_video_destroy(ui_video *v)
{
    if (!v)
        return;
    halt(v);
    v->backend->uninit(v);
    video_frames_cleanup(v);
    if (v->texture)
        SDL_DestroyTexture(v->texture);
    SDL_DestroyCond(v->reader_done);
    SDL_DestroyMutex(v->lock);
    free(v->path);
    free(v);
}

const char *ui_video_backend_name(const ui_video *v)
{
    return v ? v->backend->name : "none";
}

void video_error(ui_video *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->error, sizeof v->error, fmt, ap);
    va_end(ap);
    v->state = UI_VIDEO_ERROR;
    const char *path = v->path ? v->path : "(no file)";
    if (video_seen_first(&v->errors_logged, path, v->error))
        UI_WARN("video", "%s: %s", path, v->error);
    else
        UI_DEBUG("video", "%s: %s (again)", path, v->error);
}

bool video_seen_first(video_seen *seen, const char *a, const char *b)
{
    uint32_t h = 2166136261u; /* FNV-1a over a, a separator, b */
    for (const char *s = a; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h = (h ^ 0xFFu) * 16777619u;
    for (const char *s = b; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    for (unsigned i = 0; i < seen->count; i++)
        if (seen->hash[i] == h)
            return false;
    seen->hash[seen->next] = h;
    seen->next = (seen->next + 1) % VIDEO_SEEN_MAX;
    if (seen->count < VIDEO_SEEN_MAX)
        seen->count++;
    return true;
}

/* Failures we can see before any decoding: missing, unreadable, a FIFO or
 * device (which could block a decoder forever), empty. */
static int check_file(ui_video *v, const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        video_error(v, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = fstat(fd, &st);
    int err = errno;
    close(fd);
    if (rc != 0) {
        video_error(v, "cannot stat: %s", strerror(err));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        video_error(v, "not a regular file");
        return -1;
    }
    if (st.st_size == 0) {
        video_error(v, "empty file");
        return -1;
    }
    return 0;
}

int ui_video_open(ui_video *v, const char *path)
{
    if (!v)
        return -1;
    halt(v);
    reset_run(v);
    v->opened = false;
    v->error[0] = '\0';
    free(v->path);
    v->path = path ? strdup(path) : NULL;
    if (!v->path) {
        video_error(v, path ? "out of memory" : "no path given");
        return -1;
    }
    if (check_file(v, path) != 0)
        return -1;
    if (v->backend->open(v, path) != 0) {
        if (v->state != UI_VIDEO_ERROR)
            video_error(v, "%s backend cannot open it", v->backend->name);
        return -1;
    }
    v->opened = true;
    v->state = UI_VIDEO_OPENING;
    return 0;
}

static int start(ui_video *v)
{
    v->state = UI_VIDEO_OPENING;
    v->play_ms = SDL_GetTicks64();
    v->running = true;
    if (v->backend->play(v) != 0) {
        if (v->state != UI_VIDEO_ERROR)
            video_error(v, "%s backend cannot play it", v->backend->name);
        halt(v);
        return -1;
    }
    return 0;
}

int ui_video_play(ui_video *v)
{
    if (!v || !v->opened)
        return -1;
    switch (v->state) {
    case UI_VIDEO_ERROR:
        return -1;
    case UI_VIDEO_PLAYING:
        return 0;
    case UI_VIDEO_OPENING:
        return v->running ? 0 : start(v);
    case UI_VIDEO_PAUSED:
        if (v->backend->play(v) != 0) {
            if (v->state != UI_VIDEO_ERROR)
                video_error(v, "%s backend cannot resume", v->backend->name);
            halt(v);
            return -1;
        }
        v->state = v->has_picture ? UI_VIDEO_PLAYING : UI_VIDEO_OPENING;
        v->play_ms = SDL_GetTicks64(); /* the first-frame wait starts again */
        return 0;
    case UI_VIDEO_ENDED:
    case UI_VIDEO_IDLE:
        halt(v);
        reset_run(v);
        return start(v);
    }
    return -1;
}

int ui_video_pause(ui_video *v)
{
    if (!v || !v->running)
        return -1;
    if (v->state != UI_VIDEO_PLAYING && v->state != UI_VIDEO_OPENING)
        return -1;
    v->backend->pause(v);
    v->state = UI_VIDEO_PAUSED;
    return 0;
}

void ui_video_stop(ui_video *v)
{
    if (!v)
        return;
    halt(v);
    reset_run(v);
    if (v->state != UI_VIDEO_ERROR)
        v->state = UI_VIDEO_IDLE;
}

void ui_video_set_muted(ui_video *v, bool muted)
{
    if (!v || v->muted == muted)
        return;
    v->muted = muted;
    v->backend->set_muted(v, muted);
}

bool ui_video_is_muted(const ui_video *v)
{
    return v ? v->muted : true;
}

/* Uploads buffer b (marked READING, so no decoder touches it) of format f. */
static int upload(ui_video *v, const video_buffer *b, const video_format *f)
{
    if (!v->texture || v->tex_w != f->pic_w || v->tex_h != f->pic_h) {
        if (v->texture)
            SDL_DestroyTexture(v->texture);
        v->texture = SDL_CreateTexture(v->renderer, SDL_PIXELFORMAT_IYUV,
                                       SDL_TEXTUREACCESS_STREAMING, f->pic_w, f->pic_h);
        v->tex_w = v->tex_h = 0;
        if (!v->texture) {
            video_error(v, "cannot create a %dx%d video texture: %s", f->pic_w, f->pic_h,
                        SDL_GetError());
            return -1;
        }
        /* A small clip on a big screen: smooth, not blocky. */
        SDL_SetTextureScaleMode(v->texture, SDL_ScaleModeLinear);
        v->tex_w = f->pic_w;
        v->tex_h = f->pic_h;
    }
    if (SDL_UpdateYUVTexture(v->texture, NULL, b->planes[0], f->pitches[0], b->planes[1],
                             f->pitches[1], b->planes[2], f->pitches[2]) != 0) {
        video_error(v, "cannot upload a video frame: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

bool ui_video_update(ui_video *v)
{
    if (!v)
        return false;
    video_news news;
    video_frames_take(v, &news);

    bool changed = false;
    if (news.frame) {
        int rc = upload(v, news.frame, &news.fmt);
        video_frames_give_back(v, news.frame);
        if (rc != 0) {
            halt(v);
            return false;
        }
        if (v->running) {
            v->frames_shown++;
            v->has_picture = true;
            changed = true;
            if (v->state == UI_VIDEO_OPENING)
                v->state = UI_VIDEO_PLAYING;
            else if (v->state == UI_VIDEO_PAUSED)
                v->backend->pause(v); /* libvlc ignores a pause asked before it played */
        }
    }

    bool live =
        v->state == UI_VIDEO_OPENING || v->state == UI_VIDEO_PLAYING || v->state == UI_VIDEO_PAUSED;
    if (live && news.failed) {
        video_error(v, "%s", news.reason);
        halt(v);
    } else if (live && news.ended) {
        if (news.decoded == 0) {
            video_error(v, "ended without a single video frame (no video track, or one "
                           "that cannot be decoded)");
            halt(v);
        } else {
            v->state = UI_VIDEO_ENDED;
        }
    } else if (v->state == UI_VIDEO_OPENING && v->running &&
               SDL_GetTicks64() - v->play_ms >= (uint64_t)v->cfg.first_frame_timeout_ms) {
        video_error(v, "no video frame within %d ms of play", v->cfg.first_frame_timeout_ms);
        halt(v);
    }
    return changed;
}

int ui_video_wake_in_ms(const ui_video *v)
{
    if (!v || !v->running)
        return -1;
    int ms = -1;
    if (v->state == UI_VIDEO_OPENING) {
        uint64_t waited = SDL_GetTicks64() - v->play_ms;
        uint64_t limit = (uint64_t)v->cfg.first_frame_timeout_ms;
        ms = waited >= limit ? 0 : (int)(limit - waited);
    }
    if (!v->cfg.wake && (v->state == UI_VIDEO_OPENING || v->state == UI_VIDEO_PLAYING))
        ms = ms < 0 || ms > VIDEO_POLL_MS ? VIDEO_POLL_MS : ms;
    return ms;
}

enum ui_video_state ui_video_state(const ui_video *v)
{
    return v ? v->state : UI_VIDEO_ERROR;
}

const char *ui_video_state_name(enum ui_video_state s)
{
    switch (s) {
    case UI_VIDEO_IDLE:
        return "idle";
    case UI_VIDEO_OPENING:
        return "opening";
    case UI_VIDEO_PLAYING:
        return "playing";
    case UI_VIDEO_PAUSED:
        return "paused";
    case UI_VIDEO_ENDED:
        return "ended";
    case UI_VIDEO_ERROR:
        return "error";
    }
    return "?";
}

const char *ui_video_error(const ui_video *v)
{
    if (!v)
        return "no video";
    return v->state == UI_VIDEO_ERROR ? v->error : "";
}

uint64_t ui_video_frames_decoded(const ui_video *v)
{
    return v ? video_frames_decoded(v) : 0;
}

uint64_t ui_video_frames_shown(const ui_video *v)
{
    return v ? v->frames_shown : 0;
}

SDL_Texture *ui_video_texture(const ui_video *v, int *width, int *height)
{
    bool ok = v && v->has_picture && v->texture;
    if (width)
        *width = ok ? v->tex_w : 0;
    if (height)
        *height = ok ? v->tex_h : 0;
    return ok ? v->texture : NULL;
}

bool ui_video_draw(ui_video *v, SDL_Renderer *renderer, const SDL_Rect *dst)
{
    if (!v || !dst || !v->has_picture || !v->texture)
        return false;
    if (renderer != v->renderer) {
        if (!v->warned_renderer)
            UI_WARN("video", "draw: not the renderer the video was created with");
        v->warned_renderer = true;
        return false;
    }
    SDL_Rect r = ui_video_fit(v->tex_w, v->tex_h, dst);
    return SDL_RenderCopy(renderer, v->texture, NULL, &r) == 0;
}

/* a * b / c rounded to nearest, in 64 bits (sizes up to INT_MAX). */
static int scale_round(int a, int b, int c)
{
    return (int)(((int64_t)a * b + c / 2) / c);
}

SDL_Rect ui_video_fit(int src_w, int src_h, const SDL_Rect *dst)
{
    if (!dst)
        return (SDL_Rect){0, 0, 0, 0};
    SDL_Rect r = {dst->x, dst->y, 0, 0};
    if (src_w <= 0 || src_h <= 0 || dst->w <= 0 || dst->h <= 0)
        return r;
    /* Compare aspects exactly: src_w / src_h against dst->w / dst->h. */
    if ((int64_t)src_w * dst->h >= (int64_t)dst->w * src_h) {
        r.w = dst->w; /* wider than the box: bars above and below */
        r.h = scale_round(dst->w, src_h, src_w);
    } else {
        r.h = dst->h; /* taller: bars left and right */
        r.w = scale_round(dst->h, src_w, src_h);
    }
    if (r.w < 1)
        r.w = 1;
    if (r.h < 1)
        r.h = 1;
    if (r.w > dst->w)
        r.w = dst->w;
    if (r.h > dst->h)
        r.h = dst->h;
    r.x = dst->x + (dst->w - r.w) / 2;
    r.y = dst->y + (dst->h - r.h) / 2;
    return r;
}
