/* metrics: how the kiosk is doing, for the city's Prometheus. No listening
 * socket on the kiosk: the metrics are written in the Prometheus text
 * exposition format (version 0.0.4) to a file in node_exporter's textfile
 * collector folder, which the exporter already serves. The file is replaced
 * atomically (written beside it as a hidden temporary file, then renamed),
 * so the exporter never reads half of it.
 *
 * The series (all gauges unless said):
 *   hiroba_build_info{version}                 1
 *   hiroba_pack_version{channel}               the active pack's version (0: none)
 *   hiroba_pack_age_seconds{channel}           since the active pack was issued
 *   hiroba_last_sync_success                   1 if the last sync ended updated or current
 *   hiroba_last_sync_timestamp_seconds         when it ended (epoch)
 *   hiroba_feed_age_seconds{feed}              age of the board shown (queue, vacancy)
 *   hiroba_feed_failing{feed}                  1 while its polls fail
 *   hiroba_alert_active{kind}                  1 while an alert shows (takeover, banner)
 *   hiroba_frames_total                        counter: frames drawn
 *   hiroba_frame_seconds                       histogram: time to draw and present a frame
 *   hiroba_resident_memory_bytes               from /proc/self/statm
 *   hiroba_uptime_seconds                      since start
 *   hiroba_log_suppressed_total                counter: log lines not written (log.h)
 * A series whose value is unknown (no sync yet, a feed not configured) is
 * left out, as Prometheus expects, rather than written as a made-up 0.
 *
 * Never includes SDL or ui/. Not thread-safe: one thread (the UI loop) owns a
 * metrics writer; formatting is a pure function usable anywhere. */
#ifndef HIROBA_APP_CORE_METRICS_H
#define HIROBA_APP_CORE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_DEFAULT_DIR   "/var/lib/prometheus/node-exporter"
#define METRICS_FILE_NAME     "hiroba.prom"
#define METRICS_INTERVAL_MS   15000
#define METRICS_TEXT_MAX      8192 /* bytes of the whole file, at most */
#define METRICS_FRAME_BUCKETS 9    /* upper bounds: see metrics_frame_bounds */

/* Frame times as a Prometheus histogram: cumulative at write time. */
typedef struct metrics_frames {
    uint64_t count;
    double sum_s;
    uint64_t buckets[METRICS_FRAME_BUCKETS]; /* frames no slower than bound i (not cumulative) */
} metrics_frames;

/* The buckets' upper bounds in seconds, METRICS_FRAME_BUCKETS of them,
 * rising (1 ms to 0.5 s: a 60 Hz frame is 16.7 ms). */
const double *metrics_frame_bounds(void);
/* Counts one frame that took seconds (negative or NaN counts as 0). */
void metrics_frames_observe(metrics_frames *f, double seconds);

typedef struct metrics_feed {
    bool configured; /* the pack names a URL for it (else both series are left out) */
    bool have_age;   /* a board is shown */
    double age_s;
    bool failing;
} metrics_feed;

/* One picture of the kiosk. Strings are borrowed for the call. */
typedef struct metrics_sample {
    const char *version; /* build, e.g. "0.7.0" */
    const char *channel; /* NULL or "": no channel, the pack series are left out */
    bool have_pack;
    int64_t pack_version;
    double pack_age_s;
    bool have_sync; /* a sync has ended since start */
    bool sync_ok;
    int64_t sync_at_s; /* epoch seconds */
    metrics_feed queue, vacancy;
    bool alert_takeover, alert_banner;
    bool have_alerts; /* false: the kiosk does not know its alert state (series left out) */
    uint64_t frames_total;
    const metrics_frames *frames; /* NULL: the histogram is left out */
    int64_t rss_bytes;            /* < 0: unknown, left out */
    double uptime_s;
    uint64_t log_suppressed;
} metrics_sample;

/* Writes the exposition text for s into buf (NUL-terminated). Returns its
 * length, or -1 when it does not fit in cap (buf then holds ""). Label values
 * are escaped (metrics_escape_label); numbers are finite. */
int metrics_format(const metrics_sample *s, char *buf, size_t cap);

/* Copies value into out as a label value: one line of valid UTF-8 as
 * service_status_clean makes it (control characters, newline included,
 * become spaces; bytes that are not UTF-8 '?'; at most SERVICE_STATUS_MAX - 1
 * bytes, cut on a character boundary), then backslash and double quote
 * escaped (\\, \"). Returns the length written ("" when cap is too small). */
size_t metrics_escape_label(const char *value, char *out, size_t cap);

/* The process's resident memory from /proc/self/statm, in bytes; -1 when it
 * cannot be read. */
int64_t metrics_rss_bytes(void);

typedef struct metrics metrics;

/* A writer for dir/METRICS_FILE_NAME (dir NULL: METRICS_DEFAULT_DIR; ""
 * turns metrics off). When dir is absent or not writable, says so in one log
 * line and returns a writer that writes nothing (never NULL unless out of
 * memory). */
metrics *metrics_create(const char *dir);
void metrics_destroy(metrics *m);

/* Whether a write is due at now_ms (monotonic): the first call, then every
 * METRICS_INTERVAL_MS. False for a writer that writes nothing. */
bool metrics_due(metrics *m, int64_t now_ms);
/* Formats s and replaces the file (temporary file, then rename; no fsync:
 * the file is rewritten every 15 s and a lost one only means a gap). Returns
 * 0, or -1 (a failure is logged once per run of failures). */
int metrics_write(metrics *m, const metrics_sample *s, int64_t now_ms);
/* When the next write is due (monotonic ms), -1 for a writer that writes
 * nothing: the loop sleeps no longer than that. */
int64_t metrics_next_ms(const metrics *m);
/* The file written, "" when off. */
const char *metrics_path(const metrics *m);

#endif
