/* log: formatting, de-duplication, the rate limit per kind of line, the
 * journal's priorities and the recent-problems ring behind one mutex. This
 * file is the process's one log sink (its state is the only global core
 * keeps); it must never call back into other modules, so any module may log
 * from any thread, even while holding its own locks. */
#include "app/core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define LINE_MAX_BYTES 1024

/* One kind of line and its token bucket. */
typedef struct limit_slot {
    uint64_t kind;       /* kind_of(); 0: a free slot */
    int64_t seen_ms;     /* last line of this kind (the least recent slot is reused) */
    int64_t refill_ms;   /* tokens were last counted up to here */
    uint32_t tokens;     /* lines that may still be printed now */
    uint32_t suppressed; /* lines not printed since the last summary */
    int64_t since_sec;   /* epoch seconds of the first of those */
    log_level level;     /* for the summary line */
    char module[LOG_MODULE_MAX];
} limit_slot;

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
    uint64_t last_kind;

    uint32_t limit_burst;
    int64_t limit_period_ms;
    limit_slot slots[LOG_LIMIT_KINDS];
    uint64_t suppressed_total;

    int journal_mode;   /* -1 detect, 0 never, 1 always */
    bool journal_known; /* detection done for the current stream */
    bool journal;

    log_entry recent[LOG_RECENT_MAX];
    size_t recent_head; /* index of the next slot to write */
    size_t recent_count;
};

static struct log_state g_log = {
    .mutex = PTHREAD_MUTEX_INITIALIZER,
    .level = LOG_LEVEL_INFO,
    .window_ms = 60000,
    .limit_burst = LOG_LIMIT_BURST,
    .limit_period_ms = LOG_LIMIT_PERIOD_MS,
    .journal_mode = -1,
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
    g_log.journal_known = false;
    pthread_mutex_unlock(&g_log.mutex);
}

void log_set_rate_limit(uint32_t burst, int64_t period_ms)
{
    pthread_mutex_lock(&g_log.mutex);
    g_log.limit_burst = burst;
    g_log.limit_period_ms = period_ms > 0 ? period_ms : LOG_LIMIT_PERIOD_MS;
    memset(g_log.slots, 0, sizeof g_log.slots);
    pthread_mutex_unlock(&g_log.mutex);
}

uint64_t log_suppressed_total(void)
{
    pthread_mutex_lock(&g_log.mutex);
    uint64_t n = g_log.suppressed_total;
    pthread_mutex_unlock(&g_log.mutex);
    return n;
}

void log_set_journal(int mode)
{
    pthread_mutex_lock(&g_log.mutex);
    g_log.journal_mode = mode < 0 ? -1 : mode > 0;
    g_log.journal_known = false;
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

/* systemd connects a service's stderr to the journal and says so in
 * $JOURNAL_STREAM ("DEVICE:INODE" of that socket). Only when out is that very
 * stream: a kiosk started from a terminal by a service inherits the variable
 * but not the socket. */
static bool stream_is_journal(FILE *out)
{
    const char *env = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    char extra;
    if (!env || sscanf(env, "%llu:%llu%c", &dev, &ino, &extra) != 2)
        return false;
    struct stat st;
    int fd = fileno(out);
    return fd >= 0 && fstat(fd, &st) == 0 && (unsigned long long)st.st_dev == dev &&
           (unsigned long long)st.st_ino == ino;
}

/* Called with the mutex held. */
static void emit_line(log_level level, const char *module, const char *msg)
{
    FILE *out = g_log.stream ? g_log.stream : stderr;
    if (!g_log.journal_known) {
        g_log.journal = g_log.journal_mode < 0 ? stream_is_journal(out) : g_log.journal_mode == 1;
        g_log.journal_known = true;
    }
    if (g_log.journal) {
        /* LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG; journald stamps the time. */
        static const int priority[] = {3, 4, 6, 7};
        fprintf(out, "<%d>%s %s: %s\n", priority[level], level_names[level], module, msg);
    } else {
        char ts[64];
        format_timestamp(time(NULL), ts, sizeof ts);
        fprintf(out, "%s %s %s: %s\n", ts, level_names[level], module, msg);
    }
    fflush(out);
}

/* ---- the rate limit (all called with the mutex held) ---- */

static bool limiting(void)
{
    return g_log.window_ms > 0 && g_log.limit_burst > 0;
}

/* FNV-1a over the level, the module and the message with every run of
 * digits taken as one '#': lines that differ only in their numbers (a count,
 * a time, a port) are one kind. Never 0 (0 marks a free slot). */
static uint64_t kind_of(log_level level, const char *module, const char *msg)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(c) (h = (h ^ (uint8_t)(c)) * 1099511628211ull)
    MIX('0' + level);
    for (const char *p = module; *p; p++)
        MIX(*p);
    MIX('\0');
    for (const char *p = msg; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
            MIX('#');
        } else {
            MIX(*p);
        }
    }
#undef MIX
    return h ? h : 1;
}

static void emit_limit_summary(limit_slot *s)
{
    if (!s->suppressed)
        return;
    char ts[64], msg[128];
    format_timestamp((time_t)s->since_sec, ts, sizeof ts);
    snprintf(msg, sizeof msg, "(suppressed %u similar line%s since %s)", s->suppressed,
             s->suppressed == 1 ? "" : "s", ts);
    emit_line(s->level, s->module, msg);
    s->suppressed = 0;
}

static limit_slot *find_slot(uint64_t kind)
{
    for (size_t i = 0; i < LOG_LIMIT_KINDS; i++)
        if (g_log.slots[i].kind == kind)
            return &g_log.slots[i];
    return NULL;
}

/* The slot of kind, or a free or the least recent one taken over (what it
 * had suppressed is said first, so no count is lost). */
static limit_slot *take_slot(uint64_t kind, log_level level, const char *module, int64_t now_ms)
{
    limit_slot *s = find_slot(kind);
    if (s)
        return s;
    s = &g_log.slots[0];
    for (size_t i = 0; i < LOG_LIMIT_KINDS && s->kind; i++)
        if (!g_log.slots[i].kind || g_log.slots[i].seen_ms < s->seen_ms)
            s = &g_log.slots[i];
    emit_limit_summary(s);
    *s = (limit_slot){.kind = kind,
                      .seen_ms = now_ms,
                      .refill_ms = now_ms,
                      .tokens = g_log.limit_burst,
                      .level = level};
    copy_trunc(s->module, sizeof s->module, module);
    return s;
}

/* Counts up the tokens earned since the last refill. */
static void refill(limit_slot *s, int64_t now_ms)
{
    if (s->tokens >= g_log.limit_burst) {
        s->refill_ms = now_ms;
        return;
    }
    int64_t earned = (now_ms - s->refill_ms) / g_log.limit_period_ms;
    if (earned <= 0)
        return;
    uint64_t t = (uint64_t)s->tokens + (uint64_t)earned;
    s->tokens = t < g_log.limit_burst ? (uint32_t)t : g_log.limit_burst;
    s->refill_ms =
        s->tokens == g_log.limit_burst ? now_ms : s->refill_ms + earned * g_log.limit_period_ms;
}

static void suppress(limit_slot *s, uint32_t lines)
{
    if (!s->suppressed)
        s->since_sec = (int64_t)time(NULL);
    s->suppressed += lines;
}

/* Called with the mutex held. The count of repeats of the line last printed;
 * while that kind is out of tokens, it joins the kind's suppressed count
 * instead of taking a line of its own. */
static void emit_repeat_summary(void)
{
    if (!g_log.have_last || g_log.repeats == 0)
        return;
    limit_slot *s = limiting() ? find_slot(g_log.last_kind) : NULL;
    if (s) {
        refill(s, monotonic_ms());
        if (s->tokens == 0) {
            suppress(s, g_log.repeats);
            g_log.repeats = 0;
            return;
        }
    }
    char msg[64];
    snprintf(msg, sizeof msg, "(last message repeated %u time%s)", g_log.repeats,
             g_log.repeats == 1 ? "" : "s");
    emit_line(g_log.last_level, g_log.last_module, msg);
    g_log.repeats = 0;
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
        g_log.suppressed_total++;
        goto out;
    }
    uint64_t kind = kind_of(level, module, msg);
    limit_slot *slot = NULL;
    if (limiting()) {
        slot = take_slot(kind, level, module, now_ms);
        slot->seen_ms = now_ms;
        refill(slot, now_ms);
        if (slot->tokens == 0) {
            suppress(slot, 1);
            g_log.suppressed_total++;
            goto out;
        }
        slot->tokens--;
    }
    emit_repeat_summary();
    if (slot)
        emit_limit_summary(slot);
    emit_line(level, module, msg);
    g_log.last_kind = kind;
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
    /* A kind that went quiet while limited: its count is said once it has
     * earned a line again, not only when (if ever) it comes back. */
    for (size_t i = 0; i < LOG_LIMIT_KINDS; i++) {
        limit_slot *s = &g_log.slots[i];
        if (!s->kind || !s->suppressed)
            continue;
        refill(s, now_ms);
        if (s->tokens > 0) {
            s->tokens--;
            emit_limit_summary(s);
        }
    }
    pthread_mutex_unlock(&g_log.mutex);
}

void log_flush(void)
{
    pthread_mutex_lock(&g_log.mutex);
    emit_repeat_summary();
    for (size_t i = 0; i < LOG_LIMIT_KINDS; i++)
        emit_limit_summary(&g_log.slots[i]);
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
    memset(g_log.slots, 0, sizeof g_log.slots);
    g_log.suppressed_total = 0;
    g_log.journal_known = false;
    g_log.recent_head = 0;
    g_log.recent_count = 0;
    pthread_mutex_unlock(&g_log.mutex);
}
