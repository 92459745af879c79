/* signage_media: the signage loop's pictures. PNG and JPEG files are decoded
 * (and scaled down to the screen) on one helper thread, so the UI thread
 * never waits for a disk or a decoder; the UI thread only turns finished
 * pictures into textures. Memory holds the few pictures the loop asks to
 * keep (the current and next items, the logo), nothing more.
 * The helper thread touches nothing but its job: no renderer, no pack, no log. */
#include "app/screens/signage_private.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "app/core/log.h"

#define PICS       6  /* logo, outgoing, current, next, and room to spare */
#define JOBS       12 /* decodes in flight, including those of forgotten pictures */
#define ERROR_MAX  160
#define SIDE_LIMIT 16384 /* a picture bigger than this is refused, not decoded into memory */

enum job_state { JOB_FREE, JOB_QUEUED, JOB_RUNNING, JOB_DONE };

typedef struct sg_job {
    enum job_state state;
    uint32_t id;
    char *path; /* owned */
    int max_w, max_h;
    SDL_Surface *result; /* DONE: the picture, or NULL with error */
    char error[ERROR_MAX];
} sg_job;

typedef struct sg_pic {
    const model_media *m; /* NULL: free */
    enum signage_media_state state;
    uint32_t job; /* LOADING: the job decoding it (0: not queued yet) */
    char *path;   /* LOADING: what to decode (owned) */
    int max_w, max_h;
    SDL_Texture *tex;
    int w, h;
    SDL_Texture *scaled; /* tex at the size it is drawn (sw x sh), made once */
    int sw, sh;
    char error[ERROR_MAX];
} sg_pic;

struct signage_media {
    sg_pic pics[PICS];
    sg_job jobs[JOBS]; /* shared with the thread: under lock */
    SDL_mutex *lock;
    SDL_cond *wake;
    SDL_Thread *thread;
    bool quit;
    uint32_t next_id;
};

/* ---- the helper thread ---- */

/* Scales src down into a w x h picture in halving steps, so that each
 * bilinear step averages what it drops (one big step would alias). */
static SDL_Surface *shrink(SDL_Surface *src, int w, int h, char *error)
{
    SDL_Surface *cur = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    while (cur) {
        int nw = cur->w / 2 > w ? cur->w / 2 : w;
        int nh = cur->h / 2 > h ? cur->h / 2 : h;
        if (nw == cur->w && nh == cur->h)
            return cur;
        SDL_Surface *next = SDL_CreateRGBSurfaceWithFormat(0, nw, nh, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!next || SDL_SoftStretchLinear(cur, NULL, next, NULL) != 0) {
            SDL_FreeSurface(next);
            break;
        }
        SDL_FreeSurface(cur);
        cur = next;
    }
    snprintf(error, ERROR_MAX, "cannot scale the picture: %s", SDL_GetError());
    SDL_FreeSurface(cur);
    return NULL;
}

static SDL_Surface *decode(const char *path, int max_w, int max_h, char *error)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        snprintf(error, ERROR_MAX, "%s", IMG_GetError());
        return NULL;
    }
    if (s->w <= 0 || s->h <= 0 || s->w > SIDE_LIMIT || s->h > SIDE_LIMIT) {
        snprintf(error, ERROR_MAX, "%dx%d pixels is not a picture size we show", s->w, s->h);
        SDL_FreeSurface(s);
        return NULL;
    }
    if (max_w > 0 && max_h > 0 && (s->w > max_w || s->h > max_h)) {
        SDL_Rect fit = signage_fit_image(s->w, s->h, (SDL_Rect){0, 0, max_w, max_h}, 0);
        SDL_Surface *small = shrink(s, fit.w, fit.h, error);
        SDL_FreeSurface(s);
        return small;
    }
    return s;
}

static int worker(void *arg)
{
    signage_media *md = arg;
    SDL_LockMutex(md->lock);
    while (!md->quit) {
        sg_job *job = NULL;
        for (size_t i = 0; i < JOBS; i++)
            if (md->jobs[i].state == JOB_QUEUED && (!job || md->jobs[i].id < job->id))
                job = &md->jobs[i];
        if (!job) {
            SDL_CondWait(md->wake, md->lock);
            continue;
        }
        job->state = JOB_RUNNING;
        char *path = job->path;
        int max_w = job->max_w, max_h = job->max_h;
        char error[ERROR_MAX] = "";
        SDL_UnlockMutex(md->lock);
        SDL_Surface *s = decode(path, max_w, max_h, error);
        SDL_LockMutex(md->lock);
        job->result = s;
        memcpy(job->error, error, sizeof error);
        job->state = JOB_DONE;
    }
    SDL_UnlockMutex(md->lock);
    return 0;
}

/* ---- the UI thread ---- */

signage_media *signage_media_create(void)
{
    signage_media *md = calloc(1, sizeof *md);
    if (!md) {
        LOG_ERROR("signage", "out of memory");
        return NULL;
    }
    /* Once, here: the decoders' set-up is not safe to race with the thread. */
    int want = IMG_INIT_PNG | IMG_INIT_JPG;
    if ((IMG_Init(want) & want) != want)
        LOG_WARN("signage", "picture decoders missing: %s", IMG_GetError());
    md->next_id = 1;
    md->lock = SDL_CreateMutex();
    md->wake = SDL_CreateCond();
    if (md->lock && md->wake)
        md->thread = SDL_CreateThread(worker, "hiroba-pictures", md);
    if (!md->thread) {
        LOG_ERROR("signage", "cannot start the picture thread: %s", SDL_GetError());
        SDL_DestroyCond(md->wake);
        SDL_DestroyMutex(md->lock);
        free(md);
        return NULL;
    }
    return md;
}

static void pic_forget(sg_pic *p)
{
    if (p->scaled)
        SDL_DestroyTexture(p->scaled);
    if (p->tex)
        SDL_DestroyTexture(p->tex);
    free(p->path);
    *p = (sg_pic){0};
}

void signage_media_destroy(signage_media *md)
{
    if (!md)
        return;
    SDL_LockMutex(md->lock);
    md->quit = true;
    SDL_CondSignal(md->wake);
    SDL_UnlockMutex(md->lock);
    SDL_WaitThread(md->thread, NULL);
    for (size_t i = 0; i < JOBS; i++) {
        free(md->jobs[i].path);
        SDL_FreeSurface(md->jobs[i].result);
    }
    for (size_t i = 0; i < PICS; i++)
        pic_forget(&md->pics[i]);
    SDL_DestroyCond(md->wake);
    SDL_DestroyMutex(md->lock);
    free(md);
}

/* Drops queued jobs no picture waits for (a running one finishes first and
 * is dropped at the next poll). Under lock. */
static void drop_orphans(signage_media *md)
{
    for (size_t i = 0; i < JOBS; i++) {
        sg_job *j = &md->jobs[i];
        if (j->state != JOB_QUEUED)
            continue;
        bool wanted = false;
        for (size_t k = 0; k < PICS; k++)
            wanted = wanted || (md->pics[k].m && md->pics[k].job == j->id);
        if (!wanted) {
            free(j->path);
            *j = (sg_job){0};
        }
    }
}

void signage_media_clear(signage_media *md)
{
    for (size_t i = 0; i < PICS; i++)
        pic_forget(&md->pics[i]);
    SDL_LockMutex(md->lock);
    drop_orphans(md);
    SDL_UnlockMutex(md->lock);
}

static sg_pic *find(signage_media *md, const model_media *m)
{
    for (size_t i = 0; i < PICS; i++)
        if (md->pics[i].m == m)
            return &md->pics[i];
    return NULL;
}

/* Queues the picture's decode if a job is free. Under lock. */
static void queue(signage_media *md, sg_pic *p)
{
    for (size_t i = 0; i < JOBS; i++) {
        sg_job *j = &md->jobs[i];
        if (j->state != JOB_FREE)
            continue;
        *j = (sg_job){.state = JOB_QUEUED,
                      .id = md->next_id++,
                      .path = p->path,
                      .max_w = p->max_w,
                      .max_h = p->max_h};
        if (md->next_id == 0)
            md->next_id = 1;
        p->path = NULL; /* the job owns it now */
        p->job = j->id;
        SDL_CondSignal(md->wake);
        return;
    }
}

static void fail(sg_pic *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(sg_pic *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->error, sizeof p->error, fmt, ap);
    va_end(ap);
    p->state = SG_MEDIA_FAILED;
}

enum signage_media_state signage_media_want(signage_media *md, screen_ctx *ctx,
                                            const model_media *m, int max_w, int max_h)
{
    if (!md || !m)
        return SG_MEDIA_FAILED;
    sg_pic *p = find(md, m);
    if (p)
        return p->state;
    p = find(md, NULL);
    if (!p) {
        /* Every place is kept: the caller keeps too much. Refuse, visibly. */
        LOG_WARN("signage", "more than %d pictures at once; %s waits", PICS, m->name);
        return SG_MEDIA_LOADING;
    }
    p->m = m;
    p->max_w = max_w;
    p->max_h = max_h;
    if (m->kind != MODEL_MEDIA_IMAGE) {
        fail(p, "%s is not a picture", m->name);
        return p->state;
    }
    char path[PATH_MAX];
    if (!ctx->media_path || ctx->media_path(ctx->media_user, m, path, sizeof path) != 0) {
        fail(p, "%s is missing", m->name);
        return p->state;
    }
    p->path = strdup(path);
    if (!p->path) {
        fail(p, "%s: out of memory", m->name);
        return p->state;
    }
    p->state = SG_MEDIA_LOADING;
    SDL_LockMutex(md->lock);
    queue(md, p);
    SDL_UnlockMutex(md->lock);
    return p->state;
}

SDL_Texture *signage_media_texture(signage_media *md, const model_media *m, int *w, int *h)
{
    sg_pic *p = md && m ? find(md, m) : NULL;
    bool ok = p && p->state == SG_MEDIA_READY;
    if (w)
        *w = ok ? p->w : 0;
    if (h)
        *h = ok ? p->h : 0;
    return ok ? p->tex : NULL;
}

/* Scaling a full-screen picture in software costs most of a frame; a moving
 * ticker redraws every 16 ms. So a picture is scaled once to the size it is
 * drawn at (into a target texture, linear filtering), then copied 1:1; a
 * shrunk copy replaces the original, an enlarged one is kept beside it. */
SDL_Texture *signage_media_scaled(signage_media *md, SDL_Renderer *r, SDL_Texture *src, int w,
                                  int h)
{
    sg_pic *p = NULL;
    for (size_t i = 0; md && i < PICS && !p; i++)
        if (md->pics[i].tex == src && src)
            p = &md->pics[i];
    if (!p || w <= 0 || h <= 0 || (w == p->w && h == p->h))
        return src;
    if (p->scaled && p->sw == w && p->sh == h)
        return p->scaled;
    if (p->scaled)
        SDL_DestroyTexture(p->scaled);
    p->scaled = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!p->scaled)
        return src;
    SDL_Texture *old_target = SDL_GetRenderTarget(r);
    SDL_BlendMode mode;
    SDL_GetTextureBlendMode(src, &mode);
    SDL_SetTextureBlendMode(src, SDL_BLENDMODE_NONE);
    SDL_SetTextureScaleMode(src, SDL_ScaleModeLinear);
    int ok = SDL_SetRenderTarget(r, p->scaled) == 0 && SDL_RenderCopy(r, src, NULL, NULL) == 0;
    SDL_SetRenderTarget(r, old_target);
    SDL_SetTextureBlendMode(src, mode);
    if (!ok) {
        SDL_DestroyTexture(p->scaled);
        p->scaled = NULL;
        return src;
    }
    SDL_SetTextureBlendMode(p->scaled, SDL_BLENDMODE_BLEND);
    if (w <= p->w && h <= p->h) {
        /* Shrunk: the scaled copy replaces the original, so memory does
         * not grow (a later, different size scales from this one). */
        SDL_DestroyTexture(p->tex);
        p->tex = p->scaled;
        p->scaled = NULL;
        p->w = w;
        p->h = h;
        return p->tex;
    }
    p->sw = w;
    p->sh = h;
    return p->scaled;
}

const char *signage_media_error(signage_media *md, const model_media *m)
{
    sg_pic *p = md && m ? find(md, m) : NULL;
    return p && p->state == SG_MEDIA_FAILED ? p->error : "";
}

/* A decoded picture becomes p's texture. */
static void adopt(sg_pic *p, SDL_Renderer *renderer, SDL_Surface *s, const char *error)
{
    if (!s) {
        fail(p, "%s", error[0] ? error : "cannot decode");
        return;
    }
    p->tex = SDL_CreateTextureFromSurface(renderer, s);
    if (!p->tex) {
        fail(p, "cannot make a texture: %s", SDL_GetError());
        return;
    }
    /* Scaled smoothly, and faded by alpha modulation. */
    SDL_SetTextureScaleMode(p->tex, SDL_ScaleModeLinear);
    SDL_SetTextureBlendMode(p->tex, SDL_BLENDMODE_BLEND);
    p->w = s->w;
    p->h = s->h;
    p->state = SG_MEDIA_READY;
}

bool signage_media_poll(signage_media *md, SDL_Renderer *renderer)
{
    if (!md)
        return false;
    bool changed = false;
    SDL_LockMutex(md->lock);
    for (size_t i = 0; i < PICS; i++)
        if (md->pics[i].state == SG_MEDIA_LOADING && md->pics[i].job == 0)
            queue(md, &md->pics[i]);
    for (size_t i = 0; i < JOBS; i++) {
        sg_job *j = &md->jobs[i];
        if (j->state != JOB_DONE)
            continue;
        for (size_t k = 0; k < PICS; k++) {
            sg_pic *p = &md->pics[k];
            if (p->m && p->state == SG_MEDIA_LOADING && p->job == j->id) {
                adopt(p, renderer, j->result, j->error);
                changed = true;
            }
        }
        SDL_FreeSurface(j->result);
        free(j->path);
        *j = (sg_job){0};
    }
    SDL_UnlockMutex(md->lock);
    return changed;
}

bool signage_media_busy(const signage_media *md)
{
    if (!md)
        return false;
    for (size_t i = 0; i < PICS; i++)
        if (md->pics[i].m && md->pics[i].state == SG_MEDIA_LOADING)
            return true;
    return false;
}

void signage_media_keep(signage_media *md, const model_media *const *keep, size_t n)
{
    if (!md)
        return;
    bool dropped = false;
    for (size_t i = 0; i < PICS; i++) {
        sg_pic *p = &md->pics[i];
        if (!p->m)
            continue;
        bool kept = false;
        for (size_t k = 0; k < n; k++)
            kept = kept || keep[k] == p->m;
        if (!kept) {
            pic_forget(p);
            dropped = true;
        }
    }
    if (dropped) {
        SDL_LockMutex(md->lock);
        drop_orphans(md);
        SDL_UnlockMutex(md->lock);
    }
}
