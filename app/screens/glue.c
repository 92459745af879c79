/* glue: word joiners where a line must not break (glue.h). The text is cut
 * into atoms (a character, or a whole {base|reading} group), each rule marks
 * the links between neighbouring atoms that must hold, and a joiner is
 * written into every marked link that may take one. Signage, child care and
 * the boards once had a copy each; the options say where they differ. */
#include "app/screens/glue.h"

#include <stdlib.h>
#include <string.h>

typedef enum atom_kind {
    ATOM_CHAR,
    ATOM_GROUP,
    ATOM_OPAQUE, /* a | or } that is no group's, a { that could start one
                  * (a | follows before the next } or line end), or a byte
                  * that is not valid UTF-8: kept as it is and never glued,
                  * so that a joiner can neither make "{|}" a group nor
                  * change how a broken sequence is read */
    ATOM_SPACE,  /* a space, tab, U+3000 or a line end: phrases break there */
    ATOM_JOINER, /* a word joiner already in the text */
} atom_kind;

typedef struct atom {
    size_t start, len;
    size_t chars; /* characters a reader sees */
    atom_kind kind;
    int bracket; /* +1 opening, -1 closing, 0 neither */
    bool newline;
} atom;

/* Whether a group opens at text[open] == '{', by the markup parser's rule
 * (ui/text/markup.c): one '|', non-empty base and reading, the first '}'
 * closes it, no '{' or line end before. Sets *end past the '}', and
 * *bar_seen when a '|' came before whatever ended the look. */
static bool group_at(const char *text, size_t len, size_t open, size_t *end, size_t *base_len,
                     bool *bar_seen)
{
    size_t bars = 0, bar = 0;
    *bar_seen = false;
    for (size_t k = open + 1; k < len; k++) {
        switch (text[k]) {
        case '|':
            bars++;
            bar = k;
            *bar_seen = true;
            break;
        case '}':
            *end = k + 1;
            *base_len = bar - open - 1;
            return bars == 1 && bar > open + 1 && k > bar + 1;
        case '{':
        case '\n':
        case '\r':
            return false;
        default:
            break;
        }
    }
    return false;
}

static bool bytes_are(const char *a, size_t n, const char *s)
{
    return n == strlen(s) && memcmp(a, s, n) == 0;
}

/* Whether the character a[0..n) is one of the characters of marks. */
static bool one_of(const char *a, size_t n, const char *marks)
{
    for (const char *m = marks; m && *m;) {
        size_t k = 1;
        while (m[k] && ((unsigned char)m[k] & 0xC0) == 0x80)
            k++;
        if (k == n && memcmp(a, m, n) == 0)
            return true;
        m += k;
    }
    return false;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* +1 for an opening bracket, -1 for a closing one, else 0. */
static int bracket_of(const char *p, size_t n)
{
    static const char *const open[] = {"「", "『", "（", "(", "【", "〈", "《", "“"};
    static const char *const close[] = {"」", "』", "）", ")", "】", "〉", "》", "”"};
    /* Every bracket above is ( ) or starts E2 80, E3 80 or EF BC: rule the
     * other characters out before the table. This runs for every character
     * of every text the boards lay out, each time they are laid out (a
     * queue board fitting its grid lays out each counter's name dozens of
     * times): with the table alone, 64 counters with long names cost over
     * 100 ms a frame (found by tests/screens/test_monkey.c). */
    unsigned char c = (unsigned char)p[0], c1 = n > 1 ? (unsigned char)p[1] : 0;
    if (c < 0x80 ? c != '(' && c != ')'
                 : !((c == 0xE2 || c == 0xE3) && c1 == 0x80) && !(c == 0xEF && c1 == 0xBC))
        return 0;
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
        if (bytes_are(p, n, open[i]))
            return 1;
        if (bytes_are(p, n, close[i]))
            return -1;
    }
    return 0;
}

static atom atom_at(const char *text, size_t len, size_t i)
{
    atom a = {.start = i, .kind = ATOM_CHAR};
    size_t end = 0, base_len = 0;
    bool bar = false;
    if (text[i] == '{' && group_at(text, len, i, &end, &base_len, &bar)) {
        a.len = end - i;
        a.kind = ATOM_GROUP;
        a.chars = utf8_chars(text + i + 1, base_len);
        return a;
    }
    unsigned char c = (unsigned char)text[i];
    size_t n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    for (size_t k = 1; k < n; k++)
        if (i + k >= len || ((unsigned char)text[i + k] & 0xC0) != 0x80)
            n = 0;
    a.len = n ? n : 1;
    a.chars = 1;
    const char *p = text + i;
    /* A '{' with no '|' before the next '}', '{' or line end can start no
     * group, whatever joiners come after it: it is a character like any. */
    if (!n || (c == '{' && bar) || c == '|' || c == '}')
        a.kind = ATOM_OPAQUE;
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || bytes_are(p, a.len, "\xE3\x80\x80"))
        a.kind = ATOM_SPACE;
    else if (bytes_are(p, a.len, GLUE_JOINER))
        a.kind = ATOM_JOINER;
    a.newline = c == '\n' || c == '\r';
    a.bracket = bracket_of(p, a.len);
    return a;
}

/* Short phrases from an opening bracket at depth 0 to its closing one, never
 * across a line of the source: the links from the opening bracket to the
 * closing one hold. */
static void mark_brackets(const atom *atoms, size_t n, bool *glue)
{
    size_t open = 0, chars = 0;
    int depth = 0;
    for (size_t k = 0; k < n; k++) {
        if (atoms[k].newline) {
            depth = 0;
            continue;
        }
        if (atoms[k].bracket > 0 && depth++ == 0) {
            open = k;
            chars = 0;
        }
        chars += atoms[k].chars;
        if (atoms[k].bracket < 0 && depth > 0 && --depth == 0 && chars <= GLUE_SHORT_BRACKETS)
            for (size_t g = open; g < k; g++)
                glue[g] = true;
    }
}

/* Whether the link between atoms a and b may take a joiner when a rule
 * wants one there: never beside markup or a broken byte, and beside a space
 * or a joiner only when the rule keeps a phrase whole past its spaces. */
static bool may_join(const atom *a, const atom *b, bool past_spaces)
{
    if (a->kind == ATOM_OPAQUE || b->kind == ATOM_OPAQUE)
        return false;
    return past_spaces || (a->kind != ATOM_SPACE && a->kind != ATOM_JOINER &&
                           b->kind != ATOM_SPACE && b->kind != ATOM_JOINER);
}

/* Phrases: every link but those after a break_after mark, before a
 * break_before mark, and at spaces; a run of held links longer than
 * phrase_max units is let go. */
static void mark_phrases(const char *text, const atom *atoms, size_t n, const glue_opts *o,
                         bool *glue)
{
    size_t run = 0; /* where the current run of held links starts */
    for (size_t k = 0; k + 1 < n; k++) {
        const atom *a = &atoms[k], *b = &atoms[k + 1];
        bool hold = may_join(a, b, false) && !one_of(text + a->start, a->len, o->break_after) &&
                    !one_of(text + b->start, b->len, o->break_before);
        if (hold)
            glue[k] = true;
        /* A run ends where a link does not hold (or at the text's end). */
        if (!hold || k + 2 == n) {
            size_t last = hold ? k + 1 : k; /* its last atom */
            if (o->phrase_max && last + 1 - run > o->phrase_max)
                for (size_t g = run; g < last; g++)
                    glue[g] = false;
            run = k + 1;
        }
    }
}

char *glue_text(const char *text, const glue_opts *opts)
{
    if (!text || !opts || (!opts->brackets && !opts->phrases))
        return NULL;
    size_t len = strlen(text), n = 0;
    for (size_t i = 0; i < len; n++)
        i += atom_at(text, len, i).len;
    if (n < 2)
        return NULL;
    atom *atoms = calloc(n, sizeof *atoms);
    bool *glue = calloc(n, sizeof *glue); /* a joiner after atoms[k]: brackets, then all */
    bool *phrases = calloc(n, sizeof *phrases);
    char *out = NULL;
    if (!atoms || !glue || !phrases)
        goto done;
    for (size_t i = 0, k = 0; i < len; k++) {
        atoms[k] = atom_at(text, len, i);
        i += atoms[k].len;
    }
    if (opts->brackets)
        mark_brackets(atoms, n, glue);
    if (opts->phrases)
        mark_phrases(text, atoms, n, opts, phrases);
    size_t joins = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        const atom *a = &atoms[k], *b = &atoms[k + 1];
        glue[k] = (glue[k] && may_join(a, b, opts->brackets_across_spaces)) || phrases[k];
        joins += glue[k];
    }
    if (!joins)
        goto done;
    out = malloc(len + joins * GLUE_JOINER_LEN + 1);
    if (!out)
        goto done;
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(out + o, text + atoms[k].start, atoms[k].len);
        o += atoms[k].len;
        if (k + 1 < n && glue[k]) {
            memcpy(out + o, GLUE_JOINER, GLUE_JOINER_LEN);
            o += GLUE_JOINER_LEN;
        }
    }
    out[o] = '\0';

done:
    free(atoms);
    free(glue);
    free(phrases);
    return out;
}
