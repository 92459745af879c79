/* video: plays one video file into an SDL texture, behind a small backend table:
 *   vlc   libvlc decodes on its own threads into memory (I420), the UI thread
 *         uploads the newest frame to an IYUV streaming texture;
 *   null  no decoder: a moving gradient at 25 fps for a configured time, so
 *         screens and tests run on machines without libvlc or media.
 * Knows nothing of packs or playlists: it is given a path and plays it.
 * Failure is normal and never fatal: a file that cannot be played ends in
 * UI_VIDEO_ERROR with a reason, never a crash or a hang.
 *
 * Threads: every ui_video_* function is for the UI thread only (the thread
 * that owns the renderer). Decoder threads only fill buffers and call the
 * config's wake callback; the state the app sees changes only inside
 * ui_video_open/play/pause/stop/update. */
#ifndef HIROBA_UI_VIDEO_H
#define HIROBA_UI_VIDEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

typedef struct ui_video ui_video;

/* A tag, not a typedef: the name ui_video_state is the getter's. */
enum ui_video_state {
    UI_VIDEO_IDLE,    /* nothing open, or stopped */
    UI_VIDEO_OPENING, /* opened; after play: waiting for the first frame */
    UI_VIDEO_PLAYING, /* frames are arriving */
    UI_VIDEO_PAUSED,
    UI_VIDEO_ENDED, /* played to the end; the last frame stays drawable */
    UI_VIDEO_ERROR, /* cannot be played: ui_video_error says why */
};

typedef struct ui_video_config {
    const char *backend; /* "vlc" or "null"; NULL or "": "vlc" */
    /* false (the default): muted, and the audio track is not even decoded,
     * so no audio device is needed. */
    bool sound;
    /* libvlc: "--aout=adummy": audio (if sound) is decoded and thrown away,
     * no audio device is touched. Tests and CI set it. */
    bool no_audio_device;
    /* Extra libvlc arguments ("--verbose=2", ...), NULL-terminated; copied by
     * libvlc at create. Unknown arguments make create fail. */
    const char *const *vlc_args;
    /* Bigger videos are scaled down by the decoder into this box, aspect
     * kept, even sizes (0 x 0: 1920x1080). Smaller ones keep their size. */
    int max_width, max_height;
    /* After play, no first frame within this time is an error (0: 5000). */
    int first_frame_timeout_ms;
    /* null backend: clip length (0: 2000), frame size (0 x 0: 320x240), and
     * a delay before the first frame (simulates a slow or stuck decoder). */
    int null_duration_ms;
    int null_width, null_height;
    int null_first_frame_delay_ms;
    /* Called from a decoder thread when a frame is ready, the clip ended or
     * failed, so that the app's loop can sleep until then (main wires it to
     * SDL_PushEvent). Must be quick, thread-safe, and call no ui_video_*.
     * NULL: nothing is pushed anywhere (tools and tests that run no event
     * loop would only fill SDL's queue); the loop then polls, see
     * ui_video_wake_in_ms. */
    void (*wake)(void *user);
    void *wake_user;
} ui_video_config;

/* cfg NULL: all defaults (libvlc, muted). The renderer is borrowed until
 * destroy; the texture belongs to it. Returns NULL and logs why (unknown
 * backend, libvlc missing or refusing its arguments).
 * One libvlc instance per ui_video (it starts in ~3 ms thanks to the plugin
 * cache of libvlc-bin). Create it once and keep it for the whole run,
 * playing clip after clip with ui_video_open (ui_video_stop when a screen
 * leaves): libvlc 3.0 unloads its plugins with its last instance and loses
 * ~12 KB of their static data each time (measured with LeakSanitizer). */
ui_video *ui_video_create(SDL_Renderer *renderer, const ui_video_config *cfg);
/* Stops playback (waits for the decoder threads) and frees everything.
 * Safe in any state, with frames in flight. NULL: no-op. */
void ui_video_destroy(ui_video *v);

/* "vlc" or "null". */
const char *ui_video_backend_name(const ui_video *v);

/* Stops what was playing and opens path (copied) for play. Returns 0
 * (state OPENING) or -1 (state ERROR) when the failure is known at once:
 * missing, unreadable, empty or not a regular file. Problems found while
 * decoding (corrupt file, no video track, missing codec) show up later as
 * state ERROR. The previous clip's frame is not drawn any more. */
int ui_video_open(ui_video *v, const char *path);
/* Starts, resumes after pause, or restarts from the beginning after ENDED
 * or stop (counters start again from 0). Returns -1 with nothing open or in
 * state ERROR. */
int ui_video_play(ui_video *v);
/* Returns -1 unless playing (or waiting for the first frame after play).
 * The picture stays; libvlc keeps the decoder ready. */
int ui_video_pause(ui_video *v);
/* Back to IDLE (the clip stays open: play starts it again). Waits for the
 * decoder threads; nothing is drawn until the next frame. */
void ui_video_stop(ui_video *v);

/* Muted: no sound. Unmuting a clip that was opened muted takes effect at the
 * next open: a muted clip is decoded without its audio track at all. */
void ui_video_set_muted(ui_video *v, bool muted);
bool ui_video_is_muted(const ui_video *v);

/* Once per loop turn, on the UI thread: uploads the newest decoded frame (if
 * a new one is ready) to the texture and returns true (redraw), else false.
 * Also applies what the decoder reported (end, error) and the first-frame
 * timeout: read ui_video_state afterwards. */
bool ui_video_update(ui_video *v);
/* How long the loop may sleep before ui_video_update must run again even if
 * no wake came: the first-frame timeout, or (without a wake callback) a
 * 10 ms polling interval while frames may come. -1: nothing due. */
int ui_video_wake_in_ms(const ui_video *v);

enum ui_video_state ui_video_state(const ui_video *v);
const char *ui_video_state_name(enum ui_video_state s);
/* Why the state is ERROR ("" otherwise). Borrowed until the next open,
 * play or destroy. */
const char *ui_video_error(const ui_video *v);

/* Frames the decoder delivered / frames uploaded to the texture, since open
 * or the last restart. shown <= decoded: frames decoded between two updates
 * are dropped (only the newest is uploaded). A picture equal to the one
 * before is not counted: libvlc repeats the last picture every 80 ms while
 * paused and between the frames of a clip slower than 12.5 fps. */
uint64_t ui_video_frames_decoded(const ui_video *v);
uint64_t ui_video_frames_shown(const ui_video *v);

/* The picture (IYUV streaming texture) and its size, or NULL before the first
 * frame of the clip. Borrowed until the next update, open or destroy. */
SDL_Texture *ui_video_texture(const ui_video *v, int *width, int *height);

/* Draws the current picture letterboxed into dst: aspect kept, never
 * stretched, centred. The bars are not drawn (what is beneath shows).
 * renderer must be the one given to create. Returns false if there is no
 * picture to draw. */
bool ui_video_draw(ui_video *v, SDL_Renderer *renderer, const SDL_Rect *dst);

/* Checks, without decoding or playing it, that libvlc can open path and
 * finds a video track in it: fills *w x *h (the first video track's size)
 * and *duration_ms (-1 when the container does not say). For tools that
 * vet media before it reaches a kiosk (hiroba-pack build). Any thread; uses
 * its own short-lived libvlc instance, touches no renderer, window or audio
 * device. Returns 0, or -1 with a one-line reason in err ("no video track
 * (audio only)"); always -1 in a build without libvlc. */
int ui_video_probe(const char *path, int *w, int *h, int64_t *duration_ms, char *err,
                   size_t errlen);

/* The largest rectangle of src's aspect that fits in dst, centred (rounded to
 * whole pixels, at least 1x1). A zero or negative size gives {dst.x, dst.y,
 * 0, 0}. Pure: shared with images and tests. */
SDL_Rect ui_video_fit(int src_w, int src_h, const SDL_Rect *dst);

#endif
