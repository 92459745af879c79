/* log: formatting, de-duplication and the recent-problems ring behind one
 * mutex. This file is the process's one log sink (its state is the only
 * global core keeps); it must never call back into other modules, so any
 * module may log from any thread, even while holding its own locks. */
#include "app/core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define LINE_MAX_BYTES 1024

struct log_state {
    pthread_mutex_t mutex;
    bool initialised;
    log_level level;
    FILE *stream;
    int64_t window_ms;

    /* The message last printed and how often it came again since. */
    bool have_last;
    log_level last_level;
    char last_module[LOG_MODULE_MAX];
    char last_msg[LINE_MAX_BYTES];
    int64_t last_printed_ms;
    uint32_t repeats;

    log_entry recent[LOG_RECENT_MAX];
    size_t recent_head; /* index of the next slot to write */
    size_t recent_count;
};

static struct log_state g_log = {
    .mutex = PTHREAD_MUTEX_INITIALIZER,
    .level = LOG_LEVEL_INFO,
    .window_ms = 60000,
};

static const char *const level_names[] = {"error", "warn", "info", "debug"};

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Called with the mutex held. */
static void ensure_initialised(void)
{
    if (g_log.initialised)
        return;
    g_log.initialised = true;
    const char *env = getenv("HIROBA_LOG");
    log_level lv;
    if (env && *env && log_parse_level(env, &lv) == 0)
        g_log.level = lv;
}

int log_parse_level(const char *name, log_level *out)
{
    static const struct {
        const char *name;
        log_level level;
    } table[] = {
        {"error", LOG_LEVEL_ERROR}, {"warn", LOG_LEVEL_WARN},   {"warning", LOG_LEVEL_WARN},
        {"info", LOG_LEVEL_INFO},   {"debug", LOG_LEVEL_DEBUG},
    };
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcasecmp(name, table[i].name) == 0) {
            *out = table[i].level;
            return 0;
        }
    }
    return -1;
}

const char *log_level_name(log_level level)
{
    if ((unsigned)level > LOG_LEVEL_DEBUG)
        return "?";
    return level_names[level];
}

void log_set_level(log_level level)
{
    if ((unsigned)level > LOG_LEVEL_DEBUG)
        return;
    pthread_mutex_lock(&g_log.mutex);
    g_log.initialised = true; /* an explicit choice wins over $HIROBA_LOG */
    g_log.level = level;
    pthread_mutex_unlock(&g_log.mutex);
}

log_level log_get_level(void)
{
    pthread_mutex_lock(&g_log.mutex);
    ensure_initialised();
    log_level lv = g_log.level;
    pthread_mutex_unlock(&g_log.mutex);
    return lv;
}

void log_set_stream(FILE *stream)
{
    pthread_mutex_lock(&g_log.mutex);
    g_log.stream = stream;
    pthread_mutex_unlock(&g_log.mutex);
}

void log_set_dedup_window_ms(int64_t window_ms)
{
    pthread_mutex_lock(&g_log.mutex);
    g_log.window_ms = window_ms < 0 ? 0 : window_ms;
    pthread_mutex_unlock(&g_log.mutex);
}

/* ISO 8601 with the zone offset, so a line is unambiguous whatever TZ says. */
static void format_timestamp(time_t t, char *buf, size_t size)
{
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        snprintf(buf, size, "%lld", (long long)t);
        return;
    }
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(buf, size, "%s%c%02ld:%02ld", base, sign, off / 3600, (off / 60) % 60);
}

/* Called with the mutex held. */
static void emit_line(log_level level, const char *module, const char *msg)
{
    char ts[64];
    format_timestamp(time(NULL), ts, sizeof ts);
    FILE *out = g_log.stream ? g_log.stream : stderr;
    fprintf(out, "%s %s %s: %s\n", ts, level_names[level], module, msg);
    fflush(out);
}

/* Called with the mutex held. */
static void emit_repeat_summary(void)
{
    if (!g_log.have_last || g_log.repeats == 0)
        return;
    char msg[64];
    snprintf(msg, sizeof msg, "(last message repeated %u time%s)", g_log.repeats,
             g_log.repeats == 1 ? "" : "s");
    emit_line(g_log.last_level, g_log.last_module, msg);
    g_log.repeats = 0;
}

static void copy_trunc(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
        /* Do not leave half a UTF-8 sequence at the cut. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Called with the mutex held. Coalesces a run of the same problem. */
static void remember_recent(log_level level, const char *module, const char *msg, int64_t now)
{
    if (g_log.recent_count > 0) {
        size_t newest = (g_log.recent_head + LOG_RECENT_MAX - 1) % LOG_RECENT_MAX;
        log_entry *e = &g_log.recent[newest];
        char cut[LOG_MESSAGE_MAX];
        copy_trunc(cut, sizeof cut, msg);
        if (e->level == level && strncmp(e->module, module, LOG_MODULE_MAX - 1) == 0 &&
            strcmp(e->message, cut) == 0) {
            e->count++;
            e->last_sec = now;
            return;
        }
    }
    log_entry *e = &g_log.recent[g_log.recent_head];
    memset(e, 0, sizeof *e);
    e->first_sec = e->last_sec = now;
    e->count = 1;
    e->level = level;
    copy_trunc(e->module, sizeof e->module, module);
    copy_trunc(e->message, sizeof e->message, msg);
    g_log.recent_head = (g_log.recent_head + 1) % LOG_RECENT_MAX;
    if (g_log.recent_count < LOG_RECENT_MAX)
        g_log.recent_count++;
}

/* One line per message: control characters (newlines from a server's error
 * body, say) would split it and confuse journald. */
static void sanitise(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
    }
}

static void log_message(log_level level, const char *module, const char *msg)
{
    if (!module)
        module = "?";
    int64_t now_ms = monotonic_ms();

    pthread_mutex_lock(&g_log.mutex);
    ensure_initialised();
    if (level <= LOG_LEVEL_WARN)
        remember_recent(level, module, msg, (int64_t)time(NULL));
    if (level > g_log.level)
        goto out;

    bool same = g_log.have_last && g_log.last_level == level &&
                strncmp(g_log.last_module, module, LOG_MODULE_MAX - 1) == 0 &&
                strcmp(g_log.last_msg, msg) == 0;
    if (same && g_log.window_ms > 0 && now_ms - g_log.last_printed_ms < g_log.window_ms) {
        g_log.repeats++;
        goto out;
    }
    emit_repeat_summary();
    emit_line(level, module, msg);
    g_log.have_last = true;
    g_log.last_level = level;
    copy_trunc(g_log.last_module, sizeof g_log.last_module, module);
    copy_trunc(g_log.last_msg, sizeof g_log.last_msg, msg);
    g_log.last_printed_ms = now_ms;
out:
    pthread_mutex_unlock(&g_log.mutex);
}

void log_write(log_level level, const char *module, const char *fmt, ...)
{
    if ((unsigned)level > LOG_LEVEL_DEBUG)
        level = LOG_LEVEL_ERROR;
    /* Cheap early exit for debug chatter; the exact check happens locked. */
    if (level > LOG_LEVEL_WARN && level > log_get_level())
        return;
    char msg[LINE_MAX_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sanitise(msg);
    log_message(level, module, msg);
}

void log_ui_sink(void *userdata, unsigned int level, const char *module, const char *msg)
{
    (void)userdata;
    if (level > LOG_LEVEL_DEBUG)
        level = LOG_LEVEL_ERROR;
    log_write((log_level)level, module, "%s", msg ? msg : "");
}

void log_tick(void)
{
    int64_t now_ms = monotonic_ms();
    pthread_mutex_lock(&g_log.mutex);
    if (g_log.repeats > 0 && now_ms - g_log.last_printed_ms >= g_log.window_ms) {
        emit_repeat_summary();
        /* A later repeat is news again: print it rather than count it. */
        g_log.have_last = false;
    }
    pthread_mutex_unlock(&g_log.mutex);
}

void log_flush(void)
{
    pthread_mutex_lock(&g_log.mutex);
    emit_repeat_summary();
    FILE *out = g_log.stream ? g_log.stream : stderr;
    fflush(out);
    pthread_mutex_unlock(&g_log.mutex);
}

size_t log_recent(log_entry *out, size_t max)
{
    pthread_mutex_lock(&g_log.mutex);
    size_t n = g_log.recent_count < max ? g_log.recent_count : max;
    for (size_t i = 0; i < n; i++) {
        size_t idx = (g_log.recent_head + LOG_RECENT_MAX - 1 - i) % LOG_RECENT_MAX;
        out[i] = g_log.recent[idx];
    }
    pthread_mutex_unlock(&g_log.mutex);
    return n;
}

void log_reset(void)
{
    pthread_mutex_lock(&g_log.mutex);
    g_log.initialised = false; /* read $HIROBA_LOG again */
    g_log.level = LOG_LEVEL_INFO;
    g_log.have_last = false;
    g_log.repeats = 0;
    g_log.recent_head = 0;
    g_log.recent_count = 0;
    pthread_mutex_unlock(&g_log.mutex);
}
