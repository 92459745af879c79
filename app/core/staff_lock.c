/* staff_lock: PIN comparison and the lockout arithmetic (see staff_lock.h).
 * Never logs a PIN, right or wrong. */
#include "app/core/staff_lock.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/core/log.h"

bool staff_pin_valid(const char *pin)
{
    if (!pin)
        return false;
    size_t n = strlen(pin);
    if (n < STAFF_PIN_MIN || n > STAFF_PIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

bool staff_pin_matches(const char *configured, const char *entered)
{
    /* Fixed-size, zero-padded buffers compared whole: the time taken says
     * nothing of where the digits differ or how long either PIN is. */
    unsigned char a[STAFF_PIN_MAX + 1] = {0}, b[STAFF_PIN_MAX + 1] = {0};
    bool valid = staff_pin_valid(configured) && staff_pin_valid(entered);
    if (valid) {
        memcpy(a, configured, strlen(configured));
        memcpy(b, entered, strlen(entered));
    }
    bool same = sodium_memcmp(a, b, sizeof a) == 0;
    sodium_memzero(a, sizeof a);
    sodium_memzero(b, sizeof b);
    return valid && same;
}

int64_t staff_lock_delay_s(uint32_t failures)
{
    if (failures < STAFF_LOCK_FREE_TRIES)
        return 0;
    uint32_t doublings = failures - STAFF_LOCK_FREE_TRIES;
    int64_t d = STAFF_LOCK_FIRST_S;
    for (uint32_t i = 0; i < doublings && d < STAFF_LOCK_MAX_S; i++)
        d *= 2;
    return d < STAFF_LOCK_MAX_S ? d : STAFF_LOCK_MAX_S;
}

int64_t staff_lock_remaining(staff_lock *l, int64_t now_s)
{
    if (l->locked_until <= now_s)
        return 0;
    if (l->locked_until - now_s > STAFF_LOCK_MAX_S)
        l->locked_until = now_s + STAFF_LOCK_MAX_S;
    return l->locked_until - now_s;
}

staff_lock_result staff_lock_try(staff_lock *l, const char *configured, const char *entered,
                                 int64_t now_s)
{
    if (staff_lock_remaining(l, now_s) > 0)
        return STAFF_LOCK_LOCKED;
    if (staff_pin_matches(configured, entered)) {
        *l = (staff_lock){0};
        return STAFF_LOCK_RIGHT;
    }
    if (l->failures < UINT32_MAX)
        l->failures++;
    int64_t d = staff_lock_delay_s(l->failures);
    l->locked_until = d ? now_s + d : 0;
    return STAFF_LOCK_WRONG;
}

int staff_lock_load(store *st, staff_lock *out)
{
    *out = (staff_lock){0};
    if (!st)
        return 0;
    char *v = NULL;
    int rc = store_kv_get(st, STAFF_LOCK_KV_KEY, &v, NULL);
    if (rc == STORE_ERR_NOT_FOUND)
        return 0;
    if (rc != 0)
        return rc;
    uint32_t failures;
    int64_t until;
    char extra;
    if (sscanf(v, "%" SCNu32 " %" SCNd64 "%c", &failures, &until, &extra) == 2 && until >= 0) {
        out->failures = failures;
        out->locked_until = until;
    } else {
        LOG_WARN("staff", "the saved PIN lockout is unreadable: treated as locked");
        out->failures = STAFF_LOCK_FREE_TRIES;
        out->locked_until = INT64_MAX; /* staff_lock_remaining caps it at the longest lockout */
    }
    free(v);
    return 0;
}

int staff_lock_save(store *st, const staff_lock *l)
{
    if (!st)
        return 0;
    char v[64];
    snprintf(v, sizeof v, "%" PRIu32 " %" PRId64, l->failures, l->locked_until);
    return store_kv_set(st, STAFF_LOCK_KV_KEY, v);
}
