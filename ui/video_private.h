/* video_private: what the video backends share with ui/video.c. Not for
 * other modules: they see only ui/video.h.
 *
 * Frames travel through three I420 buffers: one being written by the
 * decoder, one ready (the newest complete frame), one being uploaded by the
 * UI thread. Neither thread ever waits for the other longer than a pointer
 * swap, and the UI never sees a half-written frame. A frame that is ready
 * but not yet uploaded when the next one completes is dropped (counted as
 * decoded, not shown).
 * The newest published frame ("last") is kept intact until the next one is
 * published: libvlc hands the same picture again every 80 ms while paused or
 * between the frames of a slow clip, and such a repeat is recognised by
 * comparing with it, then neither counted nor uploaded (a paused video costs
 * no redraws). */
#ifndef HIROBA_UI_VIDEO_PRIVATE_H
#define HIROBA_UI_VIDEO_PRIVATE_H

#include "ui/video.h"

#define VIDEO_BUFFERS         3
#define VIDEO_REASON_MAX      256
#define VIDEO_DEFAULT_MAX_W   1920
#define VIDEO_DEFAULT_MAX_H   1080
#define VIDEO_DEFAULT_TIMEOUT 5000
#define VIDEO_POLL_MS         10
#define VIDEO_NULL_DEFAULT_MS 2000
#define VIDEO_NULL_DEFAULT_W  320
#define VIDEO_NULL_DEFAULT_H  240
#define VIDEO_NULL_FPS        25

/* A backend drives one decoder. All entries run on the UI thread. After
 * stop returns, the backend makes no more calls into video_frames_* or
 * video_report_* until the next play. */
typedef struct video_backend {
    const char *name;
    int (*init)(ui_video *v);    /* allocates v->priv; logs and returns -1 on failure */
    void (*uninit)(ui_video *v); /* after stop; frees v->priv */
    /* Previous playback already stopped. -1: call video_error first. */
    int (*open)(ui_video *v, const char *path);
    /* Starts from the beginning (after open or stop) or resumes after pause. */
    int (*play)(ui_video *v);
    void (*pause)(ui_video *v);
    void (*stop)(ui_video *v); /* synchronous: waits for the decoder threads */
    void (*set_muted)(ui_video *v, bool muted);
} video_backend;

extern const video_backend video_backend_null;
#ifdef HIROBA_HAVE_LIBVLC
extern const video_backend video_backend_vlc;
#endif

/* Remembers which messages were already logged, so that a kiosk playing
 * the same broken clip every loop for months says so once. Not locked. */
#define VIDEO_SEEN_MAX 64
typedef struct video_seen {
    uint32_t hash[VIDEO_SEEN_MAX];
    unsigned count, next;
} video_seen;

/* True the first time (a, b) is seen (the oldest is forgotten when full). */
bool video_seen_first(video_seen *seen, const char *a, const char *b);

typedef enum video_buffer_use {
    VIDEO_BUF_FREE,
    VIDEO_BUF_DECODING,
    VIDEO_BUF_READY,
    VIDEO_BUF_READING,
} video_buffer_use;

typedef struct video_buffer {
    uint8_t *mem; /* one block for the three planes */
    uint8_t *planes[3];
    video_buffer_use use;
} video_buffer;

typedef struct video_format {
    int buf_w, buf_h; /* what the decoder writes (may include padding rows) */
    int pic_w, pic_h; /* the picture shown: top-left part of buf, even */
    int pitches[3];   /* bytes per row, multiples of 32 */
    int lines[3];     /* rows per plane, multiples of 32 */
} video_format;

struct ui_video {
    const video_backend *backend;
    void *priv;
    ui_video_config cfg; /* copied, defaults filled in; vlc_args dropped after create */
    SDL_Renderer *renderer;

    /* UI thread only. */
    enum ui_video_state state;
    char *path;
    char error[VIDEO_REASON_MAX];
    bool muted;
    bool opened;      /* a clip is open (play can start it) */
    bool running;     /* the backend plays (or is paused): stop needed */
    bool has_picture; /* a frame of this run was uploaded */
    bool warned_renderer;
    video_seen errors_logged;
    uint64_t play_ms; /* SDL_GetTicks64 when waiting for a first frame began */
    uint64_t frames_shown;
    SDL_Texture *texture;
    int tex_w, tex_h;

    /* Shared with decoder threads, under lock. */
    SDL_mutex *lock;
    SDL_cond *reader_done; /* signalled when an upload finishes */
    video_format fmt;
    video_buffer buf[VIDEO_BUFFERS];
    int ready;    /* index of the newest complete frame not yet taken, or -1 */
    int last;     /* index of the newest published frame, or -1 */
    bool reading; /* the UI thread is uploading a buffer */
    uint64_t frames_decoded;
    bool ended;
    bool failed;
    char fail_reason[VIDEO_REASON_MAX];
};

/* ---- for decoder threads (any thread) ---------------------------------- */

/* (Re)allocates the buffers for a new format: waits until no upload is in
 * progress, drops the old buffers and any ready frame. buf_w x buf_h is what
 * the decoder writes; pic_w x pic_h (<= buf) is shown. Fills pitches and
 * lines (3 planes, I420). Returns 0, or -1 (logged) when out of memory. */
int video_frames_setup(ui_video *v, int buf_w, int buf_h, int pic_w, int pic_h, unsigned pitches[3],
                       unsigned lines[3]);
/* Frees the buffers (waits until no upload is in progress). */
void video_frames_cleanup(ui_video *v);
/* Picks a buffer to decode into and fills planes[3]. Returns the buffer
 * (the id for video_frames_display), or NULL when no format is set up. */
void *video_frames_lock(ui_video *v, void *planes[3]);
/* Marks the buffer as the newest complete frame, counts it, wakes the app;
 * unless its picture equals the last one's (then it is only released).
 * Called on the thread that called video_frames_lock. */
void video_frames_display(ui_video *v, void *picture);
/* The clip played to its end / cannot be played (reason copied). Wake. */
void video_report_end(ui_video *v);
void video_report_error(ui_video *v, const char *reason);

/* ---- for ui/video.c on the UI thread ----------------------------------- */

typedef struct video_news {
    video_buffer *frame; /* the newest frame, marked READING: give it back */
    video_format fmt;    /* its format */
    bool ended, failed;  /* reported since the last take */
    char reason[VIDEO_REASON_MAX];
    uint64_t decoded;
} video_news;

/* Takes the newest ready frame (if any) for upload, and the reports. */
void video_frames_take(ui_video *v, video_news *news);
void video_frames_give_back(ui_video *v, video_buffer *frame);
/* A new run: drops a ready frame, zeroes the count. */
void video_frames_reset(ui_video *v);
/* After a stop: what the stopped decoder reported is stale. */
void video_frames_forget_reports(ui_video *v);
uint64_t video_frames_decoded(const ui_video *v);

/* ---- for backends on the UI thread ------------------------------------- */

/* Sets state ERROR with a reason and logs it (with the path) unless this
 * video already logged the same for the same path. */
void video_error(ui_video *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
