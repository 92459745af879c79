/* video_frames: the buffers decoder threads fill and the UI thread uploads
 * (the scheme is in video_private.h), and the end/error reports that travel
 * with them. The one part of ui/video shared between threads: everything
 * here is under v->lock, except comparing a finished frame with the last
 * one, and nothing here calls a backend or SDL's renderer. */
#include "ui/video_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_log.h"

/* Larger than any frame we would decode; guards the size arithmetic. */
#define VIDEO_MAX_SIDE 16384

static void free_buffers_locked(ui_video *v)
{
    for (int i = 0; i < VIDEO_BUFFERS; i++) {
        free(v->buf[i].mem);
        v->buf[i] = (video_buffer){0};
    }
    v->ready = -1;
    v->last = -1;
    memset(&v->fmt, 0, sizeof v->fmt);
}

/* ---- decoder threads ---------------------------------------------------- */

static unsigned align32(unsigned x)
{
    return (x + 31u) & ~31u;
}

int video_frames_setup(ui_video *v, int buf_w, int buf_h, int pic_w, int pic_h, unsigned pitches[3],
                       unsigned lines[3])
{
    if (buf_w < 2 || buf_h < 2 || buf_w > VIDEO_MAX_SIDE || buf_h > VIDEO_MAX_SIDE) {
        UI_WARN("video", "unusable frame size %dx%d", buf_w, buf_h);
        return -1;
    }
    video_format f = {.buf_w = buf_w, .buf_h = buf_h};
    f.pic_w = (pic_w < 2 || pic_w > buf_w ? buf_w : pic_w) & ~1;
    f.pic_h = (pic_h < 2 || pic_h > buf_h ? buf_h : pic_h) & ~1;
    f.pitches[0] = (int)align32((unsigned)buf_w);
    f.lines[0] = (int)align32((unsigned)buf_h);
    f.pitches[1] = f.pitches[2] = (int)align32(((unsigned)buf_w + 1) / 2);
    f.lines[1] = f.lines[2] = (int)align32(((unsigned)buf_h + 1) / 2);
    size_t plane0 = (size_t)f.pitches[0] * (size_t)f.lines[0];
    size_t plane1 = (size_t)f.pitches[1] * (size_t)f.lines[1];
    size_t total = plane0 + 2 * plane1; /* a multiple of 1024: planes stay aligned */

    SDL_LockMutex(v->lock);
    while (v->reading)
        SDL_CondWait(v->reader_done, v->lock);
    free_buffers_locked(v);
    int rc = 0;
    for (int i = 0; i < VIDEO_BUFFERS; i++) {
        uint8_t *mem = aligned_alloc(64, total);
        if (!mem) {
            rc = -1;
            break;
        }
        /* Black (limited range), should a decoder leave rows unwritten. */
        memset(mem, 16, plane0);
        memset(mem + plane0, 128, 2 * plane1);
        v->buf[i].mem = mem;
        v->buf[i].planes[0] = mem;
        v->buf[i].planes[1] = mem + plane0;
        v->buf[i].planes[2] = mem + plane0 + plane1;
        v->buf[i].use = VIDEO_BUF_FREE;
    }
    if (rc == 0)
        v->fmt = f;
    else
        free_buffers_locked(v);
    SDL_UnlockMutex(v->lock);
    if (rc != 0) {
        UI_WARN("video", "out of memory for %dx%d frames", buf_w, buf_h);
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        pitches[i] = (unsigned)f.pitches[i];
        lines[i] = (unsigned)f.lines[i];
    }
    return 0;
}

void video_frames_cleanup(ui_video *v)
{
    SDL_LockMutex(v->lock);
    while (v->reading)
        SDL_CondWait(v->reader_done, v->lock);
    free_buffers_locked(v);
    SDL_UnlockMutex(v->lock);
}

void *video_frames_lock(ui_video *v, void *planes[3])
{
    SDL_LockMutex(v->lock);
    /* Prefer a free buffer; then one left DECODING by a frame the decoder
     * dropped (it holds one picture at a time); then the ready frame the UI
     * has not taken (it would be superseded anyway). The last published
     * frame is kept for comparison while any other will do. */
    static const video_buffer_use order[] = {VIDEO_BUF_FREE, VIDEO_BUF_DECODING, VIDEO_BUF_READY};
    int pick = -1;
    for (int keep_last = 1; keep_last >= 0 && pick < 0; keep_last--)
        for (size_t k = 0; k < sizeof order / sizeof order[0] && pick < 0; k++)
            for (int i = 0; i < VIDEO_BUFFERS && pick < 0; i++)
                if (v->buf[i].mem && v->buf[i].use == order[k] && !(keep_last && i == v->last))
                    pick = i;
    video_buffer *b = NULL;
    if (pick >= 0) {
        b = &v->buf[pick];
        if (pick == v->ready)
            v->ready = -1;
        if (pick == v->last)
            v->last = -1;
        b->use = VIDEO_BUF_DECODING;
        for (int i = 0; i < 3; i++)
            planes[i] = b->planes[i];
    }
    SDL_UnlockMutex(v->lock);
    return b;
}

static void wake(ui_video *v)
{
    if (v->cfg.wake)
        v->cfg.wake(v->cfg.wake_user);
}

/* Whether two buffers of format f hold the same picture. Different frames
 * usually differ within the first rows; at worst (equal, or changing only
 * at the bottom) this reads both pictures once. */
static bool same_picture(const video_format *f, const video_buffer *a, const video_buffer *b)
{
    for (int p = 0; p < 3; p++) {
        int w = p ? (f->pic_w + 1) / 2 : f->pic_w;
        int h = p ? (f->pic_h + 1) / 2 : f->pic_h;
        for (int y = 0; y < h; y++) {
            size_t off = (size_t)y * (size_t)f->pitches[p];
            if (memcmp(a->planes[p] + off, b->planes[p] + off, (size_t)w) != 0)
                return false;
        }
    }
    return true;
}

void video_frames_display(ui_video *v, void *picture)
{
    video_buffer *b = picture;
    if (!b)
        return;
    /* The last frame cannot change under us: only this thread writes
     * buffers (the UI thread only reads), and only through lock. */
    SDL_LockMutex(v->lock);
    const video_buffer *last = v->last >= 0 && &v->buf[v->last] != b ? &v->buf[v->last] : NULL;
    video_format f = v->fmt;
    SDL_UnlockMutex(v->lock);
    bool repeat = last && same_picture(&f, last, b);

    bool fresh = false;
    SDL_LockMutex(v->lock);
    if (b->use == VIDEO_BUF_DECODING) {
        if (repeat) {
            b->use = VIDEO_BUF_FREE;
        } else {
            if (v->ready >= 0)
                v->buf[v->ready].use = VIDEO_BUF_FREE; /* not uploaded in time: dropped */
            v->ready = (int)(b - v->buf);
            v->last = v->ready;
            b->use = VIDEO_BUF_READY;
            v->frames_decoded++;
            fresh = true;
        }
    }
    SDL_UnlockMutex(v->lock);
    if (fresh)
        wake(v);
}

void video_report_end(ui_video *v)
{
    SDL_LockMutex(v->lock);
    v->ended = true;
    SDL_UnlockMutex(v->lock);
    wake(v);
}

void video_report_error(ui_video *v, const char *reason)
{
    SDL_LockMutex(v->lock);
    if (!v->failed) {
        v->failed = true;
        snprintf(v->fail_reason, sizeof v->fail_reason, "%s", reason ? reason : "decoder error");
    }
    SDL_UnlockMutex(v->lock);
    wake(v);
}

/* ---- UI thread ---------------------------------------------------------- */

void video_frames_take(ui_video *v, video_news *n)
{
    memset(n, 0, sizeof *n);
    SDL_LockMutex(v->lock);
    if (v->ready >= 0) {
        n->frame = &v->buf[v->ready];
        n->frame->use = VIDEO_BUF_READING;
        v->ready = -1;
        v->reading = true;
        n->fmt = v->fmt;
    }
    n->ended = v->ended;
    n->failed = v->failed;
    if (n->failed)
        memcpy(n->reason, v->fail_reason, sizeof n->reason);
    v->ended = v->failed = false;
    n->decoded = v->frames_decoded;
    SDL_UnlockMutex(v->lock);
}

void video_frames_give_back(ui_video *v, video_buffer *b)
{
    SDL_LockMutex(v->lock);
    b->use = VIDEO_BUF_FREE;
    v->reading = false;
    SDL_CondBroadcast(v->reader_done);
    SDL_UnlockMutex(v->lock);
}

void video_frames_reset(ui_video *v)
{
    SDL_LockMutex(v->lock);
    if (v->ready >= 0)
        v->buf[v->ready].use = VIDEO_BUF_FREE;
    v->ready = -1;
    v->last = -1; /* a restart's first frame counts even if it equals the end */
    v->frames_decoded = 0;
    SDL_UnlockMutex(v->lock);
}

void video_frames_forget_reports(ui_video *v)
{
    SDL_LockMutex(v->lock);
    v->ended = false;
    v->failed = false;
    v->fail_reason[0] = '\0';
    SDL_UnlockMutex(v->lock);
}

uint64_t video_frames_decoded(const ui_video *v)
{
    SDL_LockMutex(v->lock);
    uint64_t n = v->frames_decoded;
    SDL_UnlockMutex(v->lock);
    return n;
}
