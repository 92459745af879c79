/* pack_json: the one parser of pack documents. Reads a pack source
 * (pack.json, written by staff) or a published manifest (the same document
 * plus channel, version, issued, expires and objects, read by the kiosk) with
 * jansson, validates every part, and builds a model_pack. Every problem is
 * reported at its place, "pack.json:41:12: items[3].duration: expected a
 * number of seconds", all of them (up to PACK_JSON_MAX_ERRORS) in one go.
 * The input is untrusted: size, depth, counts and string lengths are limited
 * before or while parsing. Never touches the media files themselves (the
 * build tool checks those), never logs a document's problems (they are
 * returned), never keeps a pointer into the input text. */
#ifndef HIROBA_APP_CORE_PACK_JSON_H
#define HIROBA_APP_CORE_PACK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/core/model.h"

enum pack_json_mode {
    PACK_JSON_SOURCE,   /* pack.json: manifest keys are errors */
    PACK_JSON_MANIFEST, /* manifest.json: manifest keys required, every file in "objects" */
};

/* Limits on untrusted input. */
#define PACK_JSON_MAX_BYTES          (4u * 1024 * 1024) /* whole document */
#define PACK_JSON_MAX_DEPTH          32                 /* nested arrays/objects */
#define PACK_JSON_MAX_STRING         (16u * 1024)       /* bytes, any string value */
#define PACK_JSON_MAX_ITEMS          1000
#define PACK_JSON_MAX_PLAYLISTS      100
#define PACK_JSON_MAX_PLAYLIST_ITEMS 1000
#define PACK_JSON_MAX_SCHEDULE       100
#define PACK_JSON_MAX_TICKER         100
#define PACK_JSON_MAX_CATEGORIES     100
#define PACK_JSON_MAX_PAGES          500 /* over all categories */
#define PACK_JSON_MAX_QR             10  /* per page */
#define PACK_JSON_MAX_TIMES          24  /* per schedule */
#define PACK_JSON_MAX_OBJECTS        4096
#define PACK_JSON_MAX_URL            2048
#define PACK_JSON_MAX_FILE_NAME      200
#define PACK_JSON_MAX_ID             64
#define PACK_JSON_MAX_OBJECT_SIZE    (UINT64_C(16) << 30) /* 16 GiB per file */
#define PACK_JSON_MAX_DURATION_S     3600
#define PACK_JSON_DEFAULT_DURATION_S 10 /* cards and images */

#define PACK_JSON_MAX_ERRORS 50

/* Return values of pack_json_parse. */
#define PACK_JSON_INVALID (-1) /* errs lists the problems */
#define PACK_JSON_NOMEM   (-2) /* errs holds one "out of memory" entry */

typedef struct pack_json_error {
    size_t offset;     /* bytes into the text (after a UTF-8 BOM, if any) */
    uint32_t line;     /* 1-based */
    uint32_t column;   /* 1-based, in characters */
    char path[160];    /* "items[3].duration"; "(root)" for the document */
    char message[240]; /* one line, printable UTF-8 */
} pack_json_error;

/* About 21 KB: fine on a thread's stack, better static or on the heap. */
typedef struct pack_json_errors {
    char file[96]; /* as given to pack_json_parse, for the printed lines */
    size_t count;  /* entries in list, sorted by place in the file */
    size_t total;  /* problems found; more than count when the list filled up */
    pack_json_error list[PACK_JSON_MAX_ERRORS];
} pack_json_errors;

/* Parses text[0..len) (need not be NUL-terminated; a leading UTF-8 BOM is
 * skipped). filename only labels the errors ("pack.json"). On success returns
 * 0 and *out owns a new pack (model_pack_destroy); otherwise *out is NULL and
 * errs says why. errs is always reset first. The pack keeps no pointer into
 * text. Thread-safe: no shared state; it reads the zone file named by
 * "timezone" from $TZDIR or /usr/share/zoneinfo. */
int pack_json_parse(const char *text, size_t len, const char *filename, enum pack_json_mode mode,
                    model_pack **out, pack_json_errors *errs);

/* Empties errs and sets the file label (copied, shortened if long). */
void pack_json_errors_init(pack_json_errors *errs, const char *filename);

/* Adds a problem found later (say, by the build tool: a missing media file)
 * at a JSON path string such as model_media.where, located in text. Keeps
 * the list sorted. Returns 0, or -1 when the list is full (total still
 * counts it). */
int pack_json_errors_add(pack_json_errors *errs, const char *text, size_t len, const char *path,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "FILE:LINE:COL: PATH: MESSAGE" for entry i into buf (NUL-terminated, cut
 * if small). Returns the length it wanted, or -1 if i is out of range. */
int pack_json_error_line(const pack_json_errors *errs, size_t i, char *buf, size_t size);

/* Every line, then "FILE: N more problems not shown" if the list filled up. */
void pack_json_errors_print(const pack_json_errors *errs, FILE *f);

#endif
