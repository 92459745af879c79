/* alert_private: what the two alert parsers (alert.c, alert_cap.c) share: the
 * arena that owns an alert and small checks. Nothing outside app/core/alert*
 * includes it. */
#ifndef HIROBA_APP_CORE_ALERT_PRIVATE_H
#define HIROBA_APP_CORE_ALERT_PRIVATE_H

#include <stdarg.h>

#include "app/core/alert.h"

/* A new alert with its arena; NULL when out of memory. */
alert *alert_new(alert_source source);
/* Zeroed memory owned by a; NULL when out of memory or n * size overflows. */
void *alert_alloc(alert *a, size_t n, size_t size);
/* Copies s[0..len) with leading and trailing white space removed, plus a NUL. */
char *alert_strdup_trim(alert *a, const char *s, size_t len);

/* snprintf into err (if errlen > 0). Returns ALERT_INVALID. */
int alert_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Cuts s at the first byte that does not continue valid UTF-8 (a reason shortened
 * by snprintf may end inside a character) and replaces control characters with
 * spaces, so a reason is always printable UTF-8 (JSON needs that). */
void alert_utf8_repair(char *s);

/* Index of s in names[0..n) (exact), or -1. */
int alert_enum_find(const char *s, const char *const *names, int n);
extern const char *const alert_status_names[5];
extern const char *const alert_msg_type_names[5];
extern const char *const alert_severity_names[5];
extern const char *const alert_urgency_names[5];
extern const char *const alert_certainty_names[5];

/* RFC 3339 / CAP date-time with a zone. Returns 0 or -1. */
int alert_parse_time(const char *s, int64_t *out);

#endif
