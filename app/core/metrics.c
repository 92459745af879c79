/* metrics: the Prometheus text file (see metrics.h). Formatting is pure;
 * the writer only ever touches its own two files in the textfile folder,
 * and a folder that is missing or read-only costs one log line, not one per
 * write: a kiosk without node_exporter is normal. */
#include "app/core/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/core/log.h"
#include "app/core/service.h"

static const double frame_bounds[METRICS_FRAME_BUCKETS] = {0.001, 0.002, 0.004, 0.008, 0.016,
                                                           0.033, 0.066, 0.133, 0.5};

const double *metrics_frame_bounds(void)
{
    return frame_bounds;
}

void metrics_frames_observe(metrics_frames *f, double seconds)
{
    if (!f)
        return;
    if (!(seconds > 0) || !isfinite(seconds))
        seconds = 0;
    f->count++;
    f->sum_s += seconds;
    for (size_t i = 0; i < METRICS_FRAME_BUCKETS; i++) {
        if (seconds <= frame_bounds[i]) {
            f->buckets[i]++;
            break;
        }
    }
}

size_t metrics_escape_label(const char *value, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    char clean[SERVICE_STATUS_MAX];
    service_status_clean(clean, sizeof clean, value);
    size_t o = 0;
    for (const char *p = clean; *p; p++) {
        bool esc = *p == '\\' || *p == '"';
        if (o + (esc ? 2 : 1) >= cap)
            break; /* both bytes of an escape or none; ASCII never splits a character */
        if (esc)
            out[o++] = '\\';
        out[o++] = *p;
    }
    out[o] = '\0';
    return o;
}

int64_t metrics_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "re");
    if (!f)
        return -1;
    unsigned long long size, resident;
    int n = fscanf(f, "%llu %llu", &size, &resident);
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    if (n != 2 || page <= 0 || resident > (unsigned long long)INT64_MAX / (unsigned long long)page)
        return -1;
    return (int64_t)(resident * (unsigned long long)page);
}

/* ---- the text ---- */

typedef struct text {
    char *buf;
    size_t cap, len;
    bool overflow;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
    if (t->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= t->cap - t->len) {
        t->overflow = true;
        return;
    }
    t->len += (size_t)n;
}

static void family(text *t, const char *name, const char *type, const char *help)
{
    put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A finite number: seconds and ages with millisecond precision. */
static double finite_or_0(double v)
{
    return isfinite(v) ? v : 0;
}

static void feed_series(text *t, const metrics_sample *s, bool age)
{
    const struct {
        const char *name;
        const metrics_feed *f;
    } feeds[] = {{"queue", &s->queue}, {"vacancy", &s->vacancy}};
    for (size_t i = 0; i < 2; i++) {
        const metrics_feed *f = feeds[i].f;
        if (!f->configured)
            continue;
        if (age && f->have_age)
            put(t, "hiroba_feed_age_seconds{feed=\"%s\"} %.3f\n", feeds[i].name,
                finite_or_0(f->age_s));
        else if (!age)
            put(t, "hiroba_feed_failing{feed=\"%s\"} %d\n", feeds[i].name, f->failing ? 1 : 0);
    }
}

static void frame_series(text *t, const metrics_frames *f)
{
    family(t, "hiroba_frame_seconds", "histogram", "Time to draw and present a frame, in seconds.");
    uint64_t cumulative = 0;
    for (size_t i = 0; i < METRICS_FRAME_BUCKETS; i++) {
        cumulative += f->buckets[i];
        put(t, "hiroba_frame_seconds_bucket{le=\"%g\"} %llu\n", frame_bounds[i],
            (unsigned long long)cumulative);
    }
    put(t, "hiroba_frame_seconds_bucket{le=\"+Inf\"} %llu\n", (unsigned long long)f->count);
    put(t, "hiroba_frame_seconds_sum %.6f\n", finite_or_0(f->sum_s));
    put(t, "hiroba_frame_seconds_count %llu\n", (unsigned long long)f->count);
}

int metrics_format(const metrics_sample *s, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return -1;
    text t = {.buf = buf, .cap = cap};
    buf[0] = '\0';
    char label[2 * SERVICE_STATUS_MAX];
    metrics_escape_label(s->version ? s->version : "", label, sizeof label);
    family(&t, "hiroba_build_info", "gauge", "The kiosk's software version (always 1).");
    put(&t, "hiroba_build_info{version=\"%s\"} 1\n", label);

    if (s->channel && *s->channel) {
        metrics_escape_label(s->channel, label, sizeof label);
        family(&t, "hiroba_pack_version", "gauge",
               "Version of the channel's active content pack (0: none yet).");
        put(&t, "hiroba_pack_version{channel=\"%s\"} %lld\n", label,
            (long long)(s->have_pack ? s->pack_version : 0));
        if (s->have_pack) {
            family(&t, "hiroba_pack_age_seconds", "gauge",
                   "Seconds since the active pack was issued (signed) by staff.");
            put(&t, "hiroba_pack_age_seconds{channel=\"%s\"} %.3f\n", label,
                finite_or_0(s->pack_age_s));
        }
    }
    if (s->have_sync) {
        family(&t, "hiroba_last_sync_success", "gauge",
               "1 if the last sync ended with the newest pack active (updated or current).");
        put(&t, "hiroba_last_sync_success %d\n", s->sync_ok ? 1 : 0);
        family(&t, "hiroba_last_sync_timestamp_seconds", "gauge",
               "When the last sync ended (Unix time).");
        put(&t, "hiroba_last_sync_timestamp_seconds %lld\n", (long long)s->sync_at_s);
    }
    if (s->queue.configured || s->vacancy.configured) {
        if ((s->queue.configured && s->queue.have_age) ||
            (s->vacancy.configured && s->vacancy.have_age)) {
            family(&t, "hiroba_feed_age_seconds", "gauge",
                   "Age of the live board's data on screen, in seconds.");
            feed_series(&t, s, true);
        }
        family(&t, "hiroba_feed_failing", "gauge", "1 while the feed's polls fail or are refused.");
        feed_series(&t, s, false);
    }
    if (s->have_alerts) {
        family(&t, "hiroba_alert_active", "gauge",
               "1 while an emergency alert shows (full screen takeover or banner).");
        put(&t, "hiroba_alert_active{kind=\"takeover\"} %d\n", s->alert_takeover ? 1 : 0);
        put(&t, "hiroba_alert_active{kind=\"banner\"} %d\n", s->alert_banner ? 1 : 0);
    }
    family(&t, "hiroba_frames_total", "counter", "Frames drawn since start.");
    put(&t, "hiroba_frames_total %llu\n", (unsigned long long)s->frames_total);
    if (s->frames)
        frame_series(&t, s->frames);
    if (s->rss_bytes >= 0) {
        family(&t, "hiroba_resident_memory_bytes", "gauge", "Resident memory of the kiosk.");
        put(&t, "hiroba_resident_memory_bytes %lld\n", (long long)s->rss_bytes);
    }
    family(&t, "hiroba_uptime_seconds", "gauge", "Seconds since the kiosk started.");
    put(&t, "hiroba_uptime_seconds %.3f\n", finite_or_0(s->uptime_s));
    family(&t, "hiroba_log_suppressed_total", "counter",
           "Log lines not written (repeats and rate-limited lines).");
    put(&t, "hiroba_log_suppressed_total %llu\n", (unsigned long long)s->log_suppressed);
    if (t.overflow) {
        buf[0] = '\0';
        return -1;
    }
    return (int)t.len;
}

/* ---- the writer ---- */

struct metrics {
    bool on;
    bool failing; /* the last write failed (logged once) */
    bool written; /* at least one write was attempted */
    int64_t next_ms;
    char path[PATH_MAX];
    char tmp[PATH_MAX];
};

metrics *metrics_create(const char *dir)
{
    metrics *m = calloc(1, sizeof *m);
    if (!m) {
        LOG_ERROR("metrics", "out of memory");
        return NULL;
    }
    if (!dir)
        dir = METRICS_DEFAULT_DIR;
    if (!*dir) {
        LOG_INFO("metrics", "off (metrics_dir is empty)");
        return m;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        LOG_INFO("metrics", "no metrics file: %s is not a folder (node_exporter not installed?)",
                 dir);
        return m;
    }
    if (access(dir, W_OK) != 0) {
        LOG_WARN("metrics", "no metrics file: cannot write in %s: %s", dir, strerror(errno));
        return m;
    }
    int n1 = snprintf(m->path, sizeof m->path, "%s/%s", dir, METRICS_FILE_NAME);
    /* A dot file without .prom: the textfile collector never reads it. */
    int n2 = snprintf(m->tmp, sizeof m->tmp, "%s/.%s.tmp", dir, METRICS_FILE_NAME);
    if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof m->tmp) {
        LOG_WARN("metrics", "no metrics file: folder name too long");
        m->path[0] = '\0';
        return m;
    }
    m->on = true;
    LOG_INFO("metrics", "writing %s every %d s", m->path, METRICS_INTERVAL_MS / 1000);
    return m;
}

void metrics_destroy(metrics *m)
{
    free(m);
}

const char *metrics_path(const metrics *m)
{
    return m && m->on ? m->path : "";
}

int64_t metrics_next_ms(const metrics *m)
{
    if (!m || !m->on)
        return -1;
    return m->written ? m->next_ms : 0;
}

bool metrics_due(metrics *m, int64_t now_ms)
{
    return m && m->on && (!m->written || now_ms >= m->next_ms);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int metrics_write(metrics *m, const metrics_sample *s, int64_t now_ms)
{
    if (!m || !m->on)
        return -1;
    m->written = true;
    m->next_ms = now_ms + METRICS_INTERVAL_MS;
    char buf[METRICS_TEXT_MAX];
    int len = metrics_format(s, buf, sizeof buf);
    const char *why = NULL;
    int err = 0;
    int fd = -1;
    if (len < 0) {
        why = "the text does not fit";
        goto fail;
    }
    fd = open(m->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    /* node_exporter runs as another user: readable by all whatever the umask
     * (the service's is 0027); nothing in it is secret. */
    if (fd < 0 || fchmod(fd, 0644) != 0 || write_all(fd, buf, (size_t)len) != 0) {
        err = errno;
        why = "cannot write";
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        err = errno;
        why = "cannot write";
        goto fail;
    }
    fd = -1;
    if (rename(m->tmp, m->path) != 0) {
        err = errno;
        why = "cannot rename";
        goto fail;
    }
    if (m->failing)
        LOG_INFO("metrics", "%s written again", m->path);
    m->failing = false;
    return 0;
fail:
    if (fd >= 0) {
        close(fd);
        unlink(m->tmp);
    }
    if (!m->failing)
        LOG_WARN("metrics", "%s: %s%s%s (retrying every %d s)", m->path, why, err ? ": " : "",
                 err ? strerror(err) : "", METRICS_INTERVAL_MS / 1000);
    m->failing = true;
    return -1;
}
