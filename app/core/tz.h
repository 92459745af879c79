/* tz: time zone rules read straight from the system's TZif files (RFC 8536)
 * and their POSIX TZ footer, so local time is computed in any thread with no
 * global state: no $TZ, no tzset(), no localtime(). Also the civil-calendar
 * arithmetic schedules need. Never writes the environment; never trusts a
 * zone file further than its own bounds checks. */
#ifndef HIROBA_APP_CORE_TZ_H
#define HIROBA_APP_CORE_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct tz_zone tz_zone;

/* The zone packs use when they name none. Same as CLOCK_DEFAULT_TZ. */
#define TZ_DEFAULT_NAME "Asia/Tokyo"
#define TZ_NAME_MAX     128

/* Whether name looks like an IANA zone name: 1..TZ_NAME_MAX bytes of
 * [A-Za-z0-9_+-] parts separated by single '/', no part "." or "..", not
 * starting with '/'. Says nothing of whether it is installed. */
bool tz_name_valid(const char *name);

/* Reads $TZDIR/name (default /usr/share/zoneinfo). NULL when the name is
 * invalid, the file is missing or it is not a TZif file; *why (if why is not
 * NULL) then points at a static reason ("not installed", ...). Does not log:
 * callers report the reason where it belongs. Copies name. */
tz_zone *tz_zone_load(const char *name, const char **why);
/* Same, from TZif bytes already in memory (borrowed for the call only). */
tz_zone *tz_zone_parse(const char *name, const void *data, size_t len, const char **why);
void tz_zone_destroy(tz_zone *z);

/* The name given to load/parse. */
const char *tz_zone_name(const tz_zone *z);

/* Seconds east of UTC in effect at epoch_s (z NULL: UTC). is_dst may be NULL. */
int32_t tz_zone_offset(const tz_zone *z, int64_t epoch_s, bool *is_dst);

/* Local broken-down time of epoch_s in z (z NULL: UTC): every standard field
 * (tm_wday, tm_yday, tm_isdst too). Returns 0, or -1 if the year does not fit
 * an int. */
int tz_zone_local(const tz_zone *z, int64_t epoch_s, struct tm *out);

/* Proleptic Gregorian calendar, no zone involved. */
int64_t tz_days_from_civil(int64_t y, int m, int d); /* days since 1970-01-01 */
void tz_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
int tz_days_in_month(int64_t y, int m); /* m 1..12 */
int tz_weekday(int64_t days);           /* 0 = Sunday, like tm_wday */

#endif
