/* clock: the one source of "now" for the whole kiosk. Real, frozen (tests,
 * golden screenshots) or offset (previewing a schedule at another time).
 * Also local-time conversion and the date formats the screens show.
 * Never includes SDL or ui/; never sets the system time. */
#ifndef HIROBA_APP_CORE_CLOCK_H
#define HIROBA_APP_CORE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Not "clock": that name belongs to <time.h>. */
typedef struct clock_source clock_source;

typedef struct clock_time {
    int64_t sec; /* seconds since the Unix epoch (UTC) */
    int32_t ms;  /* 0..999 */
} clock_time;

#define CLOCK_DEFAULT_TZ "Asia/Tokyo"

/* spec:
 *   NULL, "" or "real"            the system clock
 *   "2026-11-24T10:00:00+09:00"   frozen at that instant (ISO 8601; seconds
 *                                  and ".fff" optional; "Z" or ±HH:MM / ±HHMM
 *                                  required, so a frozen time is never ambiguous)
 *   "+3600" / "-90"               the system clock shifted by that many seconds
 * Returns NULL (logged) for anything else. */
clock_source *clock_create(const char *spec);
void clock_destroy(clock_source *c);

clock_time clock_now(const clock_source *c);
bool clock_is_frozen(const clock_source *c);

/* Monotonic milliseconds for timeouts and animation; unaffected by the spec
 * (a frozen clock does not stop the loop). */
int64_t clock_monotonic_ms(void);

/* Parses the ISO 8601 form above into epoch seconds and ms. Returns 0 or -1. */
int clock_parse_iso8601(const char *s, clock_time *out);

/* Converts c's now (clock_local) or an epoch time (clock_to_local) to local
 * time in tz, an IANA zone name (NULL means CLOCK_DEFAULT_TZ). Returns 0, or
 * -1 if the conversion fails. An unknown zone name is treated as UTC by the
 * C library; clock_zone_known() tells in advance.
 * Thread-safety: when tz equals $TZ no global state changes. Otherwise TZ is
 * swapped, converted and restored under this module's mutex, but the swap is
 * visible to any other thread calling localtime/mktime meanwhile. So: call
 * from the UI thread only, and have main set $TZ to the configured zone at
 * start-up (clock_set_process_zone) so the swap never happens. */
int clock_local(const clock_source *c, const char *tz, struct tm *out);
int clock_to_local(int64_t sec, const char *tz, struct tm *out);
/* setenv("TZ", tz) + tzset(). Start-up only, before threads. Returns 0 or -1. */
int clock_set_process_zone(const char *tz);
/* True when the zone exists in the TZ database (/usr/share/zoneinfo). */
bool clock_zone_known(const char *tz);

/* "2026年11月24日(火) 10:00". Returns the length, or -1 if size is too small
 * (buf then holds ""). */
int clock_format_ja(const struct tm *tm, char *buf, size_t size);
/* "Tue 24 Nov 2026 10:00" (fixed English names, whatever the C locale). */
int clock_format_en(const struct tm *tm, char *buf, size_t size);

/* Whether the system clock is synchronised (adjtimex: STA_UNSYNC clear).
 * A Pi has no RTC: until this is true, "now" may be 1970 or last boot's
 * time, and expiry checks must not trust it. A frozen clock is true by
 * decree; real and offset clocks report the system's state. */
bool clock_is_synchronised(const clock_source *c);

#endif
