/* feeds: the two live feeds a city's systems publish, parsed into immutable
 * snapshots: the counter queue (窓口の混雑状況, schemas/queue.schema.json)
 * and facility vacancy (施設の空き状況, schemas/vacancy.schema.json).
 * One parser (feeds_json.c) for both: size, depth, counts and string lengths
 * are limited, wrong types and impossible values are refused with every
 * problem at its place ("queue.json:7:18: counters[2].waiting: ..."), unknown
 * keys are ignored (feeds come from systems that may be newer than the kiosk).
 * Never fetches, caches or logs: the caller polls, keeps the last good
 * snapshot and logs the reason a new one was refused. Never keeps a pointer
 * into the input text. */
#ifndef HIROBA_APP_CORE_FEEDS_H
#define HIROBA_APP_CORE_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/core/model.h"

/* Limits on untrusted input. */
#define FEEDS_MAX_BYTES      (256u * 1024) /* whole document, after a BOM */
#define FEEDS_MAX_DEPTH      16            /* nested arrays/objects */
#define FEEDS_MAX_STRING     256           /* bytes, any string (names, ids, URLs) */
#define FEEDS_MAX_ID         64            /* [a-z0-9][a-z0-9_-]* */
#define FEEDS_MAX_COUNTERS   64
#define FEEDS_MAX_FACILITIES 64
#define FEEDS_MAX_DAYS       8  /* today and the next 7 days */
#define FEEDS_MAX_SLOTS      48 /* per day */
#define FEEDS_MAX_SERVING    999999
#define FEEDS_MAX_WAITING    9999
#define FEEDS_MAX_WAIT_MIN   1440

#define FEEDS_MAX_ERRORS 16

/* Return values of the parsers. */
#define FEEDS_INVALID (-1) /* errs lists the problems */
#define FEEDS_NOMEM   (-2) /* errs holds one "out of memory" entry */

/* An optional count the feed left out. */
#define FEEDS_UNKNOWN (-1)

typedef struct feeds_counter {
    const char *id;       /* unique in the feed: screens match counters across updates */
    model_text name;      /* ja always present */
    bool open;            /* false: closed now (受付終了); the numbers may be absent */
    int32_t serving;      /* ticket number being served, 0..999999, or FEEDS_UNKNOWN */
    int32_t waiting;      /* people waiting, 0..9999, or FEEDS_UNKNOWN */
    int32_t wait_minutes; /* estimated wait, 0..1440, or FEEDS_UNKNOWN */
} feeds_counter;

typedef struct feeds_queue {
    int64_t updated;        /* when the source says it was true: epoch seconds (UTC) */
    int32_t updated_offset; /* the offset it was written with, seconds east of UTC */
    size_t n_counters;      /* 0..FEEDS_MAX_COUNTERS */
    const feeds_counter *counters;
    struct feeds_arena *arena; /* private: owns everything above */
} feeds_queue;

typedef enum feeds_slot_state {
    FEEDS_SLOT_FREE,   /* "free": 空き */
    FEEDS_SLOT_BOOKED, /* "booked": 予約済み */
    FEEDS_SLOT_CLOSED, /* "closed": 休館・利用不可 */
} feeds_slot_state;

/* Minutes since local midnight of its day; start < end, end may be 1440. */
typedef struct feeds_slot {
    uint16_t start_min;
    uint16_t end_min;
    feeds_slot_state state;
} feeds_slot;

typedef struct feeds_day {
    int32_t day; /* days since 1970-01-01 (the civil date written) */
    size_t n_slots;
    const feeds_slot *slots; /* sorted, not overlapping (gaps allowed) */
} feeds_day;

typedef struct feeds_facility {
    const char *id; /* unique in the feed */
    model_text name;
    const char *reserve_url; /* https (http only on loopback), or NULL */
    size_t n_days;           /* 1..FEEDS_MAX_DAYS */
    const feeds_day *days;   /* dates strictly increasing */
} feeds_facility;

typedef struct feeds_vacancy {
    int64_t updated;
    int32_t updated_offset;
    size_t n_facilities;
    const feeds_facility *facilities;
    struct feeds_arena *arena; /* private */
} feeds_vacancy;

typedef struct feeds_error {
    size_t offset;     /* bytes into the text (after a UTF-8 BOM, if any) */
    uint32_t line;     /* 1-based */
    uint32_t column;   /* 1-based, in characters */
    char path[128];    /* "counters[2].waiting"; "(root)" for the document */
    char message[200]; /* one line, printable UTF-8 */
} feeds_error;

typedef struct feeds_errors {
    char file[64];
    size_t count; /* entries in list, sorted by place in the text */
    size_t total; /* problems found; more than count when the list filled up */
    feeds_error list[FEEDS_MAX_ERRORS];
} feeds_errors;

/* Parse text[0..len) (need not be NUL-terminated; a leading UTF-8 BOM is
 * skipped). filename labels the errors (NULL: "queue.json" / "vacancy.json").
 * On success return 0 and *out owns a new snapshot (its _destroy frees it in
 * one go); otherwise *out is NULL and errs says why. errs is reset first.
 * Thread-safe: no shared state. */
int feeds_queue_parse(const char *text, size_t len, const char *filename, feeds_queue **out,
                      feeds_errors *errs);
int feeds_vacancy_parse(const char *text, size_t len, const char *filename, feeds_vacancy **out,
                        feeds_errors *errs);
/* NULL is a no-op. */
void feeds_queue_destroy(feeds_queue *q);
void feeds_vacancy_destroy(feeds_vacancy *v);

/* "free" / "booked" / "closed". */
const char *feeds_slot_state_name(feeds_slot_state s);

/* "FILE:LINE:COL: PATH: MESSAGE" for entry i into buf (NUL-terminated, cut
 * if small). Returns the length it wanted, or -1 if i is out of range. */
int feeds_error_line(const feeds_errors *errs, size_t i, char *buf, size_t size);

#endif
