/* service: tells systemd how the kiosk is doing, over the notify socket
 * (libsystemd's sd_notify): READY=1 once the first frame is up, WATCHDOG=1
 * from the main loop so that a hung loop is killed and restarted, a one-line
 * STATUS= for `systemctl status`, STOPPING=1 on the way out. The unit is
 * kiosk-image/hiroba.service (Type=notify, WatchdogSec=30).
 * Not under systemd ($NOTIFY_SOCKET unset: a terminal, the tests, the
 * headless previews) every call is a cheap no-op that returns 0.
 * Never blocks (the socket is a datagram socket, sent to with MSG_DONTWAIT by
 * libsystemd), never lets a status text add a field of its own (newlines and
 * other control characters are replaced), never includes SDL or ui/.
 * Not thread-safe: the UI thread owns it, since the watchdog must prove that
 * the UI loop turns. */
#ifndef HIROBA_APP_CORE_SERVICE_H
#define HIROBA_APP_CORE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of a STATUS= text, terminator included: one line of `systemctl
 * status`. Longer texts are cut on a UTF-8 character boundary. */
#define SERVICE_STATUS_MAX 200

typedef struct service service;

/* Reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID once (through
 * sd_watchdog_enabled, which ignores a watchdog meant for another process and
 * a malformed or zero interval). The environment is left as it is. Returns
 * NULL only when out of memory (logged). */
service *service_create(void);
void service_destroy(service *s);

/* True when started by systemd with a notify socket (Type=notify). */
bool service_supervised(const service *s);
/* The watchdog interval systemd enforces, in microseconds (WatchdogSec=);
 * 0 when there is no watchdog for this process. */
uint64_t service_watchdog_usec(const service *s);

/* Each returns 1 when the message was sent, 0 when there is no one to send
 * it to, or -1 when sending failed (logged; the kiosk carries on: a failed
 * notification is systemd's problem to notice, not a reason to stop). */

/* READY=1, with STATUS=status too when status is not NULL. Once the first
 * frame of content is on screen; later calls send only the status. */
int service_ready(service *s, const char *status);
/* STATUS=status (cleaned as service_status_clean does). */
int service_status(service *s, const char *status);
/* WATCHDOG=1 when half the interval has passed since the last one sent (as
 * sd_watchdog_enabled(3) advises), so it can be called on every turn of the
 * loop. now_ms: a monotonic clock in milliseconds (clock_monotonic_ms()).
 * Returns 0 without sending when it is not due yet or there is no watchdog. */
int service_watchdog(service *s, int64_t now_ms);
/* STOPPING=1: the kiosk is shutting down on purpose. */
int service_stopping(service *s);

/* Copies status into out (size bytes, at most SERVICE_STATUS_MAX are used)
 * as one line of valid UTF-8: control characters (newline included) become
 * spaces, bytes that are not UTF-8 become '?', and a text that does not fit
 * is cut on a character boundary. NULL copies "". Returns the length. */
size_t service_status_clean(char *out, size_t size, const char *status);

#endif
