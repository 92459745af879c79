/* pack_json_private: what the pack_json*.c files share: the parse context,
 * error reporting at the current path, and the readers for each kind of
 * value. Not for other modules. */
#ifndef HIROBA_APP_CORE_PACK_JSON_PRIVATE_H
#define HIROBA_APP_CORE_PACK_JSON_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/core/jsonpos.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"

/* Distinct media files a pack can name: the logo, one per item, one icon per
 * category, an image and a video per page. */
#define PJ_MAX_MEDIA   (1 + PACK_JSON_MAX_ITEMS + PACK_JSON_MAX_CATEGORIES + 2 * PACK_JSON_MAX_PAGES)
#define PJ_MEDIA_SLOTS 8192 /* hash slots, a power of two > 2 * PJ_MAX_MEDIA */

typedef struct pj {
    const char *text;
    size_t len;
    enum pack_json_mode mode;
    pack_json_errors *errs;
    model_pack *pack;
    bool nomem;

    /* Where the reader is now, for errors. Keys borrow from jansson. */
    jsonpos_seg path[JSONPOS_MAX_SEGS];
    size_t depth;
    size_t overflow; /* pushes beyond JSONPOS_MAX_SEGS (never with the depth limit) */

    /* Media records (stable addresses in the arena) and a hash on their names. */
    model_media *media;
    size_t n_media, max_media;
    int32_t *media_slots;
} pj;

/* ---- path and errors (pack_json.c) ---- */
void pj_push_key(pj *c, const char *key);
void pj_push_index(pj *c, size_t index);
void pj_pop(pj *c);
/* Reports a problem at the current path: at its value, or at its key. */
void pj_error(pj *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pj_error_key(pj *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* At the value of an explicit path. */
void pj_error_segs(pj *c, const jsonpos_seg *segs, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* At a path string (model_media.where). */
void pj_error_path(pj *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether another error would still be stored (skip costly hints if not). */
bool pj_room(const pj *c);
void pj_nomem(pj *c);

/* ---- readers (pack_json_read.c): the value at the current path ---- */

/* Pushes key; returns its value or NULL. When required and absent, reports
 * "missing" plus hint at the enclosing object. Always pair with pj_pop. */
json_t *pj_enter(pj *c, json_t *obj, const char *key, bool required, const char *hint);
/* Reports each key of obj that is not in allowed (NULL-terminated), with a
 * "did you mean" when one is close. */
void pj_check_keys(pj *c, json_t *obj, const char *const *allowed);
/* The closest of candidates (NULL-terminated) to word, or NULL. */
const char *pj_suggest(const char *word, const char *const *candidates);
/* Same over n records whose first member is an id string (model indexes). */
const char *pj_suggest_id(const char *word, const void *const *records, size_t n);
/* Writes s as a short quoted string for messages ("…" past 40 bytes). */
const char *pj_quote(const char *s, char *buf, size_t size);

bool pj_is_object(pj *c, json_t *v, const char *what);
/* An array of at most max entries (reports beyond; *n gets min(size, max)). */
bool pj_is_array(pj *c, json_t *v, size_t max, const char *what, size_t *n);

const char *pj_read_string(pj *c, json_t *v, size_t max, const char *what);
const char *pj_read_id(pj *c, json_t *v);
bool pj_read_text(pj *c, json_t *v, model_text *out);
const model_media *pj_read_media(pj *c, json_t *v, model_media_kind kind);
/* Checks a media file name (also the keys of "objects"); message on error. */
const char *pj_check_file_name(const char *name, size_t len, char *msg, size_t size);
const char *pj_read_url(pj *c, json_t *v, bool https_only);
bool pj_read_int(pj *c, json_t *v, int64_t lo, int64_t hi, const char *what, int64_t *out);
bool pj_read_duration(pj *c, json_t *v, uint32_t *ms);
/* ---- dates, times, schedules (pack_json_schedule.c) ---- */
/* "HH:MM" as minutes; allow_24 lets "24:00" (an end) through. */
bool pj_read_time(pj *c, json_t *v, bool allow_24, uint16_t *min);
bool pj_read_date(pj *c, json_t *v, int32_t *day);
const model_schedule *pj_read_schedule(pj *c, json_t *v);

/* ---- manifest (pack_json_manifest.c) ---- */
void pj_read_manifest(pj *c, json_t *root);
/* Every file used is listed in "objects", and every listed file is used. */
void pj_link_objects(pj *c);

/* ---- content (pack_json_content.c) ---- */
void pj_read_items(pj *c, json_t *root);
void pj_read_playlists(pj *c, json_t *root);
void pj_read_schedule_entries(pj *c, json_t *root);
void pj_read_ticker(pj *c, json_t *root);
void pj_read_childcare(pj *c, json_t *root);
/* Where a record sits: fills segs with the path to its id (at most 8) and
 * *order with its position in the document; returns the segment count. */
typedef size_t (*pj_place_fn)(const model_pack *p, const void *record, jsonpos_seg *segs,
                              size_t *order);
/* Reports every id that repeats among n records (index sorted by id) at each
 * copy after the first in the document. */
void pj_check_unique(pj *c, const void *const *index, size_t n, pj_place_fn place);

#endif
