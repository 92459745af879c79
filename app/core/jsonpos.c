/* jsonpos: a byte scanner that walks JSON structure just far enough to find a
 * path or an offset. Every loop moves forward through text and stops at len;
 * nothing recurses and nothing allocates. Must never read outside
 * text[0..len), whatever the bytes, and never pretend to validate JSON. */
#include "app/core/jsonpos.h"

#include <string.h>

#define NPOS ((size_t)-1)

/* Keys longer than this are shortened in formatted paths. */
#define KEY_SHOW_MAX 48
#define KEY_SHOW_CUT 40

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *text, size_t len, size_t p)
{
    while (p < len && is_ws(text[p]))
        p++;
    return p;
}

/* p at '"': the offset just past the closing quote, or NPOS. */
static size_t skip_string(const char *text, size_t len, size_t p)
{
    size_t i = p + 1;
    while (i < len) {
        if (text[i] == '"')
            return i + 1;
        i += text[i] == '\\' ? 2 : 1;
    }
    return NPOS;
}

static bool is_delim(char c)
{
    return is_ws(c) || c == ',' || c == ':' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == '"';
}

/* p at a value: the offset just past it, or NPOS. Containers are skipped by
 * counting brackets outside strings (exact for valid JSON). */
static size_t skip_value(const char *text, size_t len, size_t p)
{
    if (p >= len)
        return NPOS;
    char c = text[p];
    if (c == '"')
        return skip_string(text, len, p);
    if (c == '{' || c == '[') {
        size_t depth = 0, i = p;
        while (i < len) {
            c = text[i];
            if (c == '"') {
                i = skip_string(text, len, i);
                if (i == NPOS)
                    return NPOS;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return NPOS;
    }
    if (is_delim(c))
        return NPOS;
    size_t i = p;
    while (i < len && !is_delim(text[i]))
        i++;
    return i;
}

/* Reads a key one UTF-8 byte at a time, decoding JSON escapes when asked,
 * so a raw key in the text compares equal to a decoded one. */
typedef struct key_reader {
    const char *p, *end;
    bool escaped;
    unsigned char buf[4];
    int nbuf, ibuf;
} key_reader;

#define KEY_BROKEN 0x100 /* no byte has this value: a broken escape never matches */

static bool read_hex4(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static int put_utf8(unsigned cp, unsigned char *b)
{
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | cp >> 6);
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | cp >> 12);
        b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | cp >> 18);
    b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The next byte, or -1 at the end. */
static int reader_next(key_reader *r)
{
    if (r->ibuf < r->nbuf)
        return r->buf[r->ibuf++];
    if (r->p >= r->end)
        return -1;
    unsigned char c = (unsigned char)*r->p;
    if (!r->escaped || c != '\\') {
        r->p++;
        return c;
    }
    if (r->end - r->p < 2) {
        r->p = r->end;
        return KEY_BROKEN;
    }
    char e = r->p[1];
    r->p += 2;
    switch (e) {
    case '"':
    case '\\':
    case '/':
        return e;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case 'u': {
        unsigned cp, lo;
        if (!read_hex4(r->p, r->end, &cp))
            return KEY_BROKEN;
        r->p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && r->end - r->p >= 6 && r->p[0] == '\\' &&
            r->p[1] == 'u' && read_hex4(r->p + 2, r->end, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            r->p += 6;
        }
        r->nbuf = put_utf8(cp, r->buf);
        r->ibuf = 1;
        return r->buf[0];
    }
    default:
        return KEY_BROKEN;
    }
}

/* raw: a key as written between quotes in the text. */
static bool key_equal(const char *raw, size_t raw_len, const jsonpos_seg *seg)
{
    key_reader a = {.p = raw, .end = raw + raw_len, .escaped = true};
    key_reader b = {.p = seg->key, .end = seg->key + seg->key_len, .escaped = seg->escaped};
    for (;;) {
        int x = reader_next(&a), y = reader_next(&b);
        if (x != y || x == KEY_BROKEN)
            return false;
        if (x < 0)
            return true;
    }
}

/* value at an object or array: finds seg's member in it. */
static bool find_member(const char *text, size_t len, size_t value, const jsonpos_seg *seg,
                        size_t *key_at, size_t *val_at)
{
    char open = seg->key ? '{' : '[', close = seg->key ? '}' : ']';
    if (value >= len || text[value] != open)
        return false;
    size_t p = value + 1, index = 0;
    for (;;) {
        p = skip_ws(text, len, p);
        if (p >= len || text[p] == close)
            return false;
        if (seg->key) {
            size_t k = p;
            if (text[k] != '"')
                return false;
            size_t kend = skip_string(text, len, k);
            if (kend == NPOS)
                return false;
            p = skip_ws(text, len, kend);
            if (p >= len || text[p] != ':')
                return false;
            p = skip_ws(text, len, p + 1);
            if (p < len && key_equal(text + k + 1, kend - k - 2, seg)) {
                *key_at = k;
                *val_at = p;
                return true;
            }
        } else if (index == seg->index) {
            *key_at = *val_at = p;
            return true;
        }
        size_t end = skip_value(text, len, p);
        if (end == NPOS)
            return false;
        index++;
        p = skip_ws(text, len, end);
        if (p >= len || text[p] != ',')
            return false;
        p++;
    }
}

void jsonpos_linecol(const char *text, size_t len, size_t offset, uint32_t *line, uint32_t *column)
{
    if (offset > len)
        offset = len;
    uint32_t l = 1, c = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            if (l < UINT32_MAX)
                l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80 && c < UINT32_MAX) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

int jsonpos_locate(const char *text, size_t len, const jsonpos_seg *path, size_t n,
                   jsonpos_target target, jsonpos_loc *out)
{
    memset(out, 0, sizeof *out);
    out->line = out->column = 1;
    size_t value = skip_ws(text, len, 0);
    if (value >= len)
        return -1;
    size_t key_at = value, i;
    for (i = 0; i < n; i++) {
        size_t k, v;
        if (!find_member(text, len, value, &path[i], &k, &v))
            break;
        key_at = k;
        value = v;
    }
    out->matched = i;
    out->offset = (i == n && n > 0 && target == JSONPOS_KEY && path[n - 1].key) ? key_at : value;
    jsonpos_linecol(text, len, out->offset, &out->line, &out->column);
    return i == n ? 0 : 1;
}

int jsonpos_path_parse(const char *path, jsonpos_seg *out, size_t max)
{
    const char *p = path;
    size_t n = 0;
    if (!p)
        return -1;
    while (*p) {
        if (n == max)
            return -1;
        jsonpos_seg seg = {0};
        if (p[0] == '[' && p[1] == '"') {
            const char *k = p + 2, *q = k;
            while (*q && *q != '"')
                q += (q[0] == '\\' && q[1]) ? 2 : 1;
            if (q[0] != '"' || q[1] != ']')
                return -1;
            seg.key = k;
            seg.key_len = (size_t)(q - k);
            seg.escaped = true;
            p = q + 2;
        } else if (p[0] == '[') {
            const char *q = p + 1;
            size_t v = 0;
            int digits = 0;
            while (*q >= '0' && *q <= '9') {
                if (++digits > 18)
                    return -1;
                v = v * 10 + (size_t)(*q++ - '0');
            }
            if (digits == 0 || *q != ']')
                return -1;
            seg.index = v;
            p = q + 1;
        } else {
            if (n > 0 && *p++ != '.')
                return -1;
            const char *k = p;
            while (*p && *p != '.' && *p != '[' && *p != ']' && *p != '"' && *p != '\\')
                p++;
            if (p == k || *p == ']' || *p == '"' || *p == '\\')
                return -1;
            seg.key = k;
            seg.key_len = (size_t)(p - k);
        }
        out[n++] = seg;
    }
    return (int)n;
}

/* Appends to a snprintf-style buffer, counting what it would have written. */
typedef struct out_buf {
    char *buf;
    size_t size, len;
} out_buf;

static void put_bytes(out_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o->len + 1 < o->size)
            o->buf[o->len] = s[i];
        o->len++;
    }
}

static void put_str(out_buf *o, const char *s)
{
    put_bytes(o, s, strlen(s));
}

static bool key_is_bare(const jsonpos_seg *seg)
{
    if (seg->key_len == 0 || seg->key_len > KEY_SHOW_MAX)
        return false;
    for (size_t i = 0; i < seg->key_len; i++) {
        unsigned char c = (unsigned char)seg->key[i];
        if (c <= ' ' || c == 0x7F || c == '.' || c == '[' || c == ']' || c == '"' || c == '\\')
            return false;
    }
    return true;
}

/* Where to cut a long key: at most KEY_SHOW_CUT bytes, not inside a UTF-8
 * sequence, nor inside an escape when the key is raw JSON. */
static size_t key_cut(const jsonpos_seg *seg)
{
    size_t cut = 0, i = 0;
    while (i < seg->key_len) {
        size_t step = 1;
        if (seg->escaped && seg->key[i] == '\\')
            step = (i + 1 < seg->key_len && seg->key[i + 1] == 'u') ? 6 : 2;
        else
            while (i + step < seg->key_len && ((unsigned char)seg->key[i + step] & 0xC0) == 0x80)
                step++;
        if (i + step > KEY_SHOW_CUT)
            break;
        i += step;
        cut = i;
    }
    return cut;
}

static void put_quoted_key(out_buf *o, const jsonpos_seg *seg)
{
    size_t n = seg->key_len;
    bool shorten = n > KEY_SHOW_MAX;
    if (shorten)
        n = key_cut(seg);
    put_str(o, "[\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)seg->key[i];
        char esc[8];
        if (c < 0x20 || c == 0x7F) {
            static const char hex[] = "0123456789abcdef";
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            put_bytes(o, esc, 6);
        } else if (!seg->escaped && (c == '"' || c == '\\')) {
            esc[0] = '\\';
            esc[1] = (char)c;
            put_bytes(o, esc, 2);
        } else {
            put_bytes(o, (const char *)&seg->key[i], 1);
        }
    }
    if (shorten)
        put_str(o, "…");
    put_str(o, "\"]");
}

size_t jsonpos_path_format(const jsonpos_seg *path, size_t n, char *buf, size_t size)
{
    out_buf o = {buf, size, 0};
    for (size_t i = 0; i < n; i++) {
        const jsonpos_seg *seg = &path[i];
        if (!seg->key) {
            char num[32];
            int k = 0;
            size_t v = seg->index;
            char rev[24];
            do {
                rev[k++] = (char)('0' + v % 10);
                v /= 10;
            } while (v && k < 24);
            int m = 0;
            num[m++] = '[';
            while (k > 0)
                num[m++] = rev[--k];
            num[m++] = ']';
            put_bytes(&o, num, (size_t)m);
        } else if (key_is_bare(seg)) {
            if (i > 0)
                put_str(&o, ".");
            put_bytes(&o, seg->key, seg->key_len);
        } else {
            put_quoted_key(&o, seg);
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

int jsonpos_locate_str(const char *text, size_t len, const char *path, jsonpos_target target,
                       jsonpos_loc *out)
{
    jsonpos_seg segs[JSONPOS_MAX_SEGS];
    int n = jsonpos_path_parse(path, segs, JSONPOS_MAX_SEGS);
    if (n < 0) {
        memset(out, 0, sizeof *out);
        out->line = out->column = 1;
        return -1;
    }
    return jsonpos_locate(text, len, segs, (size_t)n, target, out);
}

bool jsonpos_too_deep(const char *text, size_t len, unsigned max_depth, size_t *offset)
{
    size_t depth = 0, i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '"') {
            i = skip_string(text, len, i);
            if (i == NPOS)
                return false; /* unterminated: the parser will say so */
            continue;
        }
        if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                if (offset)
                    *offset = i;
                return true;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
        i++;
    }
    return false;
}

size_t jsonpos_path_at(const char *text, size_t len, size_t offset, char *buf, size_t size)
{
    jsonpos_seg segs[JSONPOS_MAX_SEGS];
    size_t n = 0;
    size_t value = skip_ws(text, len, 0);
    bool descend = true;
    while (descend && n < JSONPOS_MAX_SEGS && value < len &&
           (text[value] == '{' || text[value] == '[')) {
        bool obj = text[value] == '{';
        size_t p = value + 1, index = 0;
        descend = false;
        for (;;) {
            p = skip_ws(text, len, p);
            if (p >= len || p > offset || text[p] == (obj ? '}' : ']'))
                break;
            jsonpos_seg seg = {.index = index};
            size_t vstart = p;
            if (obj) {
                size_t kend = text[p] == '"' ? skip_string(text, len, p) : NPOS;
                if (kend == NPOS)
                    break;
                seg.key = text + p + 1;
                seg.key_len = kend - p - 2;
                seg.escaped = true;
                p = skip_ws(text, len, kend);
                if (p >= len || text[p] != ':') {
                    segs[n++] = seg; /* broken right after this key */
                    break;
                }
                vstart = skip_ws(text, len, p + 1);
            }
            size_t vend = skip_value(text, len, vstart);
            if (vend == NPOS || offset < vend) {
                segs[n++] = seg;
                if (vstart <= offset && vstart < len &&
                    (text[vstart] == '{' || text[vstart] == '[')) {
                    value = vstart;
                    descend = true;
                }
                break;
            }
            p = skip_ws(text, len, vend);
            if (p >= len || text[p] != ',')
                break;
            p++;
            index++;
        }
    }
    return jsonpos_path_format(segs, n, buf, size);
}

void jsonpos_printable(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t i = 0, n = strlen(s);
    while (i < n) {
        unsigned char c = p[i];
        size_t len = c < 0x80                 ? 1
                     : c >= 0xC2 && c <= 0xDF ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (len == 1) {
            if (c < 0x20 || c == 0x7F)
                p[i] = '?';
            i++;
            continue;
        }
        if (len == 0) {
            p[i++] = '?';
            continue;
        }
        bool ok = i + len <= n; /* else cut short at the end */
        for (size_t k = 1; k < len; k++)
            ok = ok && (p[i + k] & 0xC0) == 0x80;
        /* Overlong 3/4-byte forms, surrogates and > U+10FFFF. */
        if (ok && len == 3)
            ok = !(c == 0xE0 && p[i + 1] < 0xA0) && !(c == 0xED && p[i + 1] >= 0xA0);
        if (ok && len == 4)
            ok = !(c == 0xF0 && p[i + 1] < 0x90) && !(c == 0xF4 && p[i + 1] >= 0x90);
        if (!ok) {
            p[i++] = '?';
            continue;
        }
        i += len;
    }
}
