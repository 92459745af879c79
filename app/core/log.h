/* log: the one way core (and, through log_ui_sink, the toolkit) reports what
 * happens. One line per message on stderr:
 *   2026-11-24T10:00:00+09:00 warn sync: message
 * When stderr is the journal (systemd sets $JOURNAL_STREAM to its device and
 * inode), each line starts with its syslog priority instead of the time,
 * which journald adds itself (sd-daemon.h's SD_ERR style):
 *   <4>warn sync: message
 * A kiosk runs for months and its log must stay readable, so two things keep
 * repeats down:
 *  - identical messages repeated within a window of the line printed are
 *    counted, not printed ("(last message repeated N times)");
 *  - every kind of line (level, module and message with its numbers taken
 *    out, so "attempt 57" and "attempt 58" are one kind) has a token bucket:
 *    LOG_LIMIT_BURST lines at once, then one more per LOG_LIMIT_PERIOD_MS.
 *    Lines beyond it are suppressed and counted; the next line of that kind
 *    that passes is preceded by "(suppressed N similar lines since TIME)".
 *    A problem that repeats every five seconds for a month writes about two
 *    lines an hour, not 720.
 * Thread-safe. Never includes SDL or ui/, never allocates per message, never
 * blocks on anything but its own mutex and the output stream. */
#ifndef HIROBA_APP_CORE_LOG_H
#define HIROBA_APP_CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Same numbering as ui_log_level (main asserts it). */
typedef enum log_level {
    LOG_LEVEL_ERROR = 0,
    LOG_LEVEL_WARN = 1,
    LOG_LEVEL_INFO = 2,
    LOG_LEVEL_DEBUG = 3,
} log_level;

/* Formats and emits one message. module is a short tag ("sync", "text").
 * Messages above the current level are dropped before formatting. */
void log_write(log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define LOG_ERROR(mod, ...) log_write(LOG_LEVEL_ERROR, mod, __VA_ARGS__)
#define LOG_WARN(mod, ...)  log_write(LOG_LEVEL_WARN, mod, __VA_ARGS__)
#define LOG_INFO(mod, ...)  log_write(LOG_LEVEL_INFO, mod, __VA_ARGS__)
#define LOG_DEBUG(mod, ...) log_write(LOG_LEVEL_DEBUG, mod, __VA_ARGS__)

/* The level starts from $HIROBA_LOG (error|warn|info|debug), default info. */
void log_set_level(log_level level);
log_level log_get_level(void);
/* Parses "error", "warn"/"warning", "info", "debug". Returns 0 or -1. */
int log_parse_level(const char *name, log_level *out);
const char *log_level_name(log_level level);

/* Where lines go (borrowed; NULL means stderr). For tests and tools. */
void log_set_stream(FILE *stream);
/* Repeats of the same (level, module, message) within window_ms of the line
 * that was printed are counted instead of printed. 0 turns this off, and the
 * rate limit below with it: every line is printed (tests that look for
 * lines). Default 60000. */
void log_set_dedup_window_ms(int64_t window_ms);

/* The rate limit per kind of line: burst lines at once, then one more every
 * period_ms. burst 0 turns it off. */
#define LOG_LIMIT_BURST     10
#define LOG_LIMIT_PERIOD_MS (30 * 60 * 1000)
#define LOG_LIMIT_KINDS     64 /* kinds tracked at once; the least recent is forgotten */
void log_set_rate_limit(uint32_t burst, int64_t period_ms);
/* Lines not printed since the start (counted repeats and suppressed lines
 * alike), for the metrics. */
uint64_t log_suppressed_total(void);

/* Whether lines carry journald priorities: -1 detect ($JOURNAL_STREAM names
 * the output stream's device and inode; the default), 0 never, 1 always.
 * Detection happens when the first line is written after log_reset,
 * log_set_stream or this call. */
void log_set_journal(int mode);
/* Prints the pending "(last message repeated N times)" once the window has
 * passed. Cheap; the main loop calls it now and then. */
void log_tick(void);
/* Prints any pending repeat summary now (shutdown). */
void log_flush(void);

/* The last warnings and errors, kept for the staff view. */
#define LOG_RECENT_MAX  32
#define LOG_MODULE_MAX  16
#define LOG_MESSAGE_MAX 240
typedef struct log_entry {
    int64_t first_sec; /* epoch seconds of the first occurrence */
    int64_t last_sec;  /* epoch seconds of the latest repeat */
    uint32_t count;    /* occurrences in a row (1 if it never repeated) */
    log_level level;
    char module[LOG_MODULE_MAX];
    char message[LOG_MESSAGE_MAX]; /* truncated copy */
} log_entry;

/* Copies up to max entries, newest first; returns how many. */
size_t log_recent(log_entry *out, size_t max);
/* Forgets the recent entries, the repeat and rate-limit state, and takes the
 * level from $HIROBA_LOG and the journal from $JOURNAL_STREAM again (tests).
 * The window and the limit's settings stay. */
void log_reset(void);

/* Matches ui_log_fn (ui/ui_log.h) without including it: core knows no ui/.
 * ui_log_level has the same values and is an unsigned int in the C ABIs we
 * build for; main.c asserts both at compile time. userdata is unused. */
void log_ui_sink(void *userdata, unsigned int level, const char *module, const char *msg);

#endif
