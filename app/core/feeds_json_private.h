/* feeds_json_private: what feeds_json.c (context, errors, value readers,
 * entry points) and feeds_json_boards.c (the queue's counters and the
 * vacancy's facilities) share. Not for other modules. */
#ifndef HIROBA_APP_CORE_FEEDS_JSON_PRIVATE_H
#define HIROBA_APP_CORE_FEEDS_JSON_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/core/feeds.h"
#include "app/core/jsonpos.h"

typedef struct fj {
    const char *text;
    size_t len;
    feeds_errors *errs;
    struct feeds_arena *arena;
    bool nomem;
    /* Where the reader is now, for errors. Keys borrow from jansson or literals. */
    jsonpos_seg path[JSONPOS_MAX_SEGS];
    size_t depth;
} fj;

/* Zeroed, aligned for any type; NULL when out of memory. */
void *fj_arena_alloc(struct feeds_arena *a, size_t n, size_t size);
/* Copies s[0..n) into the arena, NUL-terminated (sets c->nomem on failure). */
char *fj_keep(fj *c, const char *s, size_t n);

void fj_push_key(fj *c, const char *key);
void fj_push_index(fj *c, size_t index);
void fj_pop(fj *c);
/* Reports a problem at the current path: its value, or its key. */
void fj_error_at(fj *c, jsonpos_target target, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define FJ_ERR(c, ...) fj_error_at((c), JSONPOS_VALUE, __VA_ARGS__)
/* s quoted for a message, "…" past 32 bytes. */
const char *fj_quote(const char *s, char *buf, size_t size);

/* Pushes key and returns its value; reports a missing required key at the
 * enclosing object. Always pair with fj_pop. */
json_t *fj_enter(fj *c, json_t *obj, const char *key, bool required);
/* An array of at most max entries; *n is 0 unless it returns true. */
bool fj_read_array(fj *c, json_t *v, size_t max, const char *what, size_t *n);
/* 1..FEEDS_MAX_STRING bytes, no control characters; borrowed from jansson. */
const char *fj_read_string(fj *c, json_t *v, const char *what);
/* Kept in the arena. */
const char *fj_read_id(fj *c, json_t *v);
bool fj_read_name(fj *c, json_t *v, model_text *out);
bool fj_read_count(fj *c, json_t *v, int32_t max, int32_t *out);
bool fj_digits(const char *s, size_t n, int *out);
/* Reports id at the current path when ids[0..n) has it. */
void fj_check_unique(fj *c, const char *id, const char *const *ids, size_t n);

void fj_read_counters(fj *c, json_t *root, feeds_queue *q);
void fj_read_facilities(fj *c, json_t *root, feeds_vacancy *vac);

#endif
