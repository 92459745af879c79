/* jsonpos: where things sit in JSON source text, so that errors found after
 * parsing (jansson keeps no positions) can say "pack.json:41:12". A small
 * scanner over the raw bytes: linear in the text, no recursion, no
 * allocation, safe on any bytes (valid JSON gives exact answers; broken text
 * gives best-effort ones and never a read out of bounds). It never decides
 * whether JSON is valid: jansson does.
 *
 * Paths look like the ones in error messages:
 *   items[3].duration    facility.name.ja    objects["logo.png"].sha256
 * A key is written bare when it is non-empty and has no . [ ] " \ space or
 * control character, else as ["..."] with JSON string escapes. The root is "". */
#ifndef HIROBA_APP_CORE_JSONPOS_H
#define HIROBA_APP_CORE_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSONPOS_MAX_SEGS 64

/* One step of a path: an object key or an array index. */
typedef struct jsonpos_seg {
    const char *key; /* NULL: an array index. Borrowed, not NUL-terminated. */
    size_t key_len;
    bool escaped; /* key holds JSON string escapes (as written inside quotes) */
    size_t index;
} jsonpos_seg;

typedef enum jsonpos_target {
    JSONPOS_VALUE, /* the first byte of the value: '{', '"', a digit ... */
    JSONPOS_KEY,   /* the opening quote of the last key (the value, for an index) */
} jsonpos_target;

typedef struct jsonpos_loc {
    size_t offset;   /* bytes from the start of text */
    uint32_t line;   /* 1-based */
    uint32_t column; /* 1-based, in code points (as jansson and editors count) */
    size_t matched;  /* segments found; < n when only a prefix of the path exists */
} jsonpos_loc;

/* Cost: locate is one forward pass, O(len); too_deep is O(len); path_at is
 * O(len) per level it descends (at most JSONPOS_MAX_SEGS levels). */

/* Finds path[0..n) in text. Returns 0 when the whole path exists (out at the
 * target), 1 when only a prefix does (out at the deepest value found: the
 * object missing the key, say), -1 when text holds no value at all (out at
 * 1:1). */
int jsonpos_locate(const char *text, size_t len, const jsonpos_seg *path, size_t n,
                   jsonpos_target target, jsonpos_loc *out);
/* Same with a path string. -1 also when path is malformed. */
int jsonpos_locate_str(const char *text, size_t len, const char *path, jsonpos_target target,
                       jsonpos_loc *out);

/* Splits a path string into out[0..max). Keys borrow from path. Returns the
 * number of segments, or -1 when the path is malformed or too long. */
int jsonpos_path_parse(const char *path, jsonpos_seg *out, size_t max);

/* Writes the path string (as above) into buf, always NUL-terminated when
 * size > 0. Keys longer than 48 bytes are shortened with "…" (display only:
 * such a string no longer locates). Returns the length it wanted (like
 * snprintf). */
size_t jsonpos_path_format(const jsonpos_seg *path, size_t n, char *buf, size_t size);

/* Line and column of offset (clamped to len). */
void jsonpos_linecol(const char *text, size_t len, size_t offset, uint32_t *line, uint32_t *column);

/* Whether arrays/objects nest deeper than max_depth anywhere in text
 * (strings skipped). If so, *offset is the bracket that goes too deep.
 * Meant to run before a recursive parser sees untrusted text. */
bool jsonpos_too_deep(const char *text, size_t len, unsigned max_depth, size_t *offset);

/* The path of the innermost member whose source contains offset, best effort
 * on broken text (for syntax errors). Writes "" for the root. Returns the
 * length it wanted, like jsonpos_path_format. */
size_t jsonpos_path_at(const char *text, size_t len, size_t offset, char *buf, size_t size);

/* Makes an error message safe for logs and terminals, in place: control
 * characters and bytes that are not UTF-8 (overlong, surrogates, cut short)
 * become '?'. Messages quote untrusted documents. */
void jsonpos_printable(char *s);

#endif
