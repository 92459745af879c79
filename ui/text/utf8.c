/* utf8: the one place where untrusted bytes become trusted text. Decodes
 * strictly (Unicode 15 Table 3-7; an invalid sequence is replaced per
 * "maximal subpart", as WHATWG and ICU do), so every later stage may assume
 * valid UTF-8. Must never read past len and never allocate except in
 * utf8_sanitize. NUL is valid UTF-8 (utf8_valid accepts it) but sanitising
 * removes it, because the text then travels as C strings too. */
#include "ui/text/utf8.h"

#include <stdlib.h>
#include <string.h>

#define HIGH_BITS 0x8080808080808080ull

size_t utf8_seq_len(unsigned char b)
{
    if (b < 0xC2) /* ASCII, or a continuation / C0 / C1 byte that cannot lead */
        return 1;
    if (b < 0xE0)
        return 2;
    if (b < 0xF0)
        return 3;
    if (b < 0xF5)
        return 4;
    return 1;
}

/* Checks the sequence at p (p[0] >= 0x80, avail >= 1). Returns its length
 * and stores the code point when valid; returns 0 and stores in *skip the
 * length of the maximal subpart (at least 1) when invalid. */
static size_t seq_check(const unsigned char *p, size_t avail, uint32_t *cp, size_t *skip)
{
    unsigned char b0 = p[0];
    size_t n = utf8_seq_len(b0);
    if (n == 1) {
        *skip = 1;
        return 0;
    }
    /* Only the second byte has a narrower range: it rules out overlongs
     * (E0, F0), surrogates (ED) and values above U+10FFFF (F4). */
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 == 0xE0)
        lo = 0xA0;
    else if (b0 == 0xED)
        hi = 0x9F;
    else if (b0 == 0xF0)
        lo = 0x90;
    else if (b0 == 0xF4)
        hi = 0x8F;
    uint32_t v = b0 & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++) {
        if (k >= avail || p[k] < lo || p[k] > hi) {
            *skip = k;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (p[k] & 0x3Fu);
    }
    *cp = v;
    return n;
}

uint32_t utf8_decode(const char *s, size_t len, size_t *i)
{
    if (*i >= len) { /* contract violation: never read, still make progress */
        *i += 1;
        return UTF8_REPLACEMENT;
    }
    const unsigned char *p = (const unsigned char *)s + *i;
    if (p[0] < 0x80) {
        *i += 1;
        return p[0];
    }
    uint32_t cp = UTF8_REPLACEMENT;
    size_t skip = 0;
    size_t n = seq_check(p, len - *i, &cp, &skip);
    *i += n ? n : skip;
    return n ? cp : UTF8_REPLACEMENT;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    /* Surrogates and out-of-range values cannot be encoded: write U+FFFD. */
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = UTF8_REPLACEMENT;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Skips ASCII eight bytes at a time; returns the first index >= i that is
 * not part of an all-ASCII word (it may still be ASCII). */
static size_t skip_ascii(const unsigned char *p, size_t len, size_t i)
{
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        if (w & HIGH_BITS)
            break;
        i += 8;
    }
    return i;
}

bool utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        i = skip_ascii(p, len, i);
        if (i >= len)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t skip;
        size_t n = seq_check(p + i, len - i, &cp, &skip);
        if (!n) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += n;
    }
    return true;
}

/* One pass of the sanitiser: with out == NULL only measures. */
static size_t sanitize_pass(const unsigned char *p, size_t len, char *out)
{
    size_t o = 0;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            if (p[i] != 0) {
                if (out)
                    out[o] = (char)p[i];
                o++;
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t skip;
        size_t n = seq_check(p + i, len - i, &cp, &skip);
        if (n) {
            if (out)
                memcpy(out + o, p + i, n);
            o += n;
            i += n;
        } else {
            if (out)
                utf8_encode(UTF8_REPLACEMENT, out + o);
            o += 3;
            i += skip;
        }
    }
    return o;
}

char *utf8_sanitize(const char *s, size_t len, size_t *out_len)
{
    size_t n = len;
    bool clean = len == 0 || (utf8_valid(s, len, NULL) && !memchr(s, 0, len));
    if (!clean) {
        if (len > (SIZE_MAX - 1) / 3) /* cannot even describe the worst case */
            return NULL;
        n = sanitize_pass((const unsigned char *)s, len, NULL);
    }
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    if (clean) { /* the common case: one validation pass and a copy */
        if (len)
            memcpy(out, s, len);
    } else {
        sanitize_pass((const unsigned char *)s, len, out);
    }
    out[n] = '\0';
    if (out_len)
        *out_len = n;
    return out;
}
