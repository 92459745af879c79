/* fuzz_service_status: libFuzzer target for service_status_clean, the one
 * place where text that may come from a pack or a feed (a channel name, a
 * sync error) becomes a STATUS= field on systemd's notify socket. Every
 * input, cut at every size that matters, must come out as one line of valid
 * UTF-8 that fits, so that it can never add a field (READY=1, MAINPID=...)
 * of its own. A broken promise aborts with a line on stderr saying which. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_service_status: invariant failed: %s (line %d): ", #cond,        \
                    __LINE__);                                                                     \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* True when s[0..n) is valid UTF-8 with no control character. */
static bool one_clean_line(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xc2) || c > 0xf4 || i + len > n)
            return false;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* a status is a C string: it ends at the first NUL */
    size_t text_len = strlen(text);

    static const size_t sizes[] = {
        1,   2, 3, 4, 5, 7, 64, SERVICE_STATUS_MAX - 1, SERVICE_STATUS_MAX, SERVICE_STATUS_MAX + 1,
        4096};
    char out[4096 + 1];
    char full[SERVICE_STATUS_MAX];
    size_t full_len = service_status_clean(full, sizeof full, text);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t cap = sizes[k];
        memset(out, 'X', sizeof out);
        size_t n = service_status_clean(out, cap, text);
        size_t used = cap < SERVICE_STATUS_MAX ? cap : SERVICE_STATUS_MAX;
        CHECK(n < used, "length %zu for a %zu-byte buffer", n, cap);
        CHECK(out[n] == '\0' && strlen(out) == n, "not terminated at %zu", n);
        CHECK(out[used] == 'X' || used == cap, "wrote past %zu bytes", used);
        CHECK(one_clean_line((const unsigned char *)out, n), "not one clean line of UTF-8");
        CHECK(n <= text_len, "grew: %zu bytes from %zu", n, text_len);
        /* A smaller buffer gets a prefix of what a full one gets. */
        CHECK(n <= full_len && memcmp(out, full, n) == 0, "not a prefix of the full status");
    }
    free(text);
    return 0;
}
