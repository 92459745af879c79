/* alerter_atom: the alerter's untrusted-input parsers that are not alerts:
 * an Atom feed of CAP entries (libxml2, no network, no DTD, no entities,
 * size-limited), the links it names (resolved against the feed's URL and
 * limited to https or the feed's own origin), and the trusted-prefix check
 * of ALERTS_SOURCE_CAP_TLS. The feed is only an index: nothing here decides
 * what is shown, and a link it yields is fetched and verified like any other
 * document. Never fetches, never logs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "app/core/alerter.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define STR(x)  #x
#define XSTR(x) STR(x)

/* ---- URLs ------------------------------------------------------------------------------ */

/* Length of "scheme://authority" at the start of url (lower-case http, https
 * or file), or 0 when url does not start like that. */
static size_t origin_len(const char *url)
{
    static const char *const schemes[] = {"https://", "http://", "file://"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncmp(url, schemes[i], n) == 0)
            return n + strcspn(url + n, "/?#");
    }
    return 0;
}

/* Every byte printable ASCII or UTF-8, no space, no backslash. */
static bool clean_bytes(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '\\')
            return false;
    return true;
}

static bool dot_segment(const char *seg, size_t n)
{
    /* ".", "..", and the same with %2e for any dot. */
    size_t dots = 0;
    for (size_t i = 0; i < n;) {
        if (seg[i] == '.') {
            i++;
        } else if (n - i >= 3 && seg[i] == '%' && seg[i + 1] == '2' &&
                   (seg[i + 2] == 'e' || seg[i + 2] == 'E')) {
            i += 3;
        } else {
            return false;
        }
        dots++;
    }
    return dots == 1 || dots == 2;
}

/* Whether the path of url (after its origin, before '?' or '#') has a "."
 * or ".." segment, which a server or curl would fold into another path. */
static bool has_dot_segment(const char *url, size_t origin)
{
    const char *p = url + origin;
    size_t path_len = strcspn(p, "?#");
    size_t i = 0;
    while (i < path_len) {
        if (p[i] == '/') {
            i++;
            continue;
        }
        size_t n = 0;
        while (i + n < path_len && p[i + n] != '/')
            n++;
        if (dot_segment(p + i, n))
            return true;
        i += n;
    }
    return false;
}

bool alerter_url_trusted(const char *prefix, const char *url)
{
    if (!prefix || !url || strncmp(prefix, "https://", 8) != 0 || strncmp(url, "https://", 8) != 0)
        return false;
    size_t n = strlen(prefix);
    size_t origin = origin_len(url);
    if (n <= 8 || strlen(url) > ALERTER_URL_MAX || !clean_bytes(url) || !origin ||
        strncmp(url, prefix, n) != 0 || has_dot_segment(url, origin))
        return false;
    /* The prefix must cover the whole authority ("https://city.example" must
     * not trust "https://city.example.evil.net/"), and end at a boundary. */
    if (n < origin)
        return false;
    char next = url[n];
    return prefix[n - 1] == '/' || next == '\0' || next == '/' || next == '?' || next == '#';
}

/* Resolves href against base into a new string; NULL with *why set when it
 * is not a link the alerter may follow, or *why NULL when out of memory. */
static char *resolve(const char *href, const char *base, const char **why)
{
    *why = NULL;
    size_t hlen = strlen(href);
    size_t borigin = origin_len(base);
    if (!hlen || hlen > ALERTER_URL_MAX || !clean_bytes(href)) {
        *why = "empty, too long, or white space in the link";
        return NULL;
    }
    if (!borigin) {
        *why = "the feed's own URL is not http, https or file";
        return NULL;
    }
    char *out = NULL;
    size_t cap = strlen(base) + hlen + 2;
    if (strchr(href, '#') || href[0] == '?') {
        *why = "a fragment or query-only link is not a document";
        return NULL;
    }
    size_t scheme =
        strspn(href, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    if (scheme > 0 && href[scheme] == ':') {
        if (!origin_len(href)) {
            *why = "not an http, https or file link";
            return NULL;
        }
        out = strdup(href);
    } else if (href[0] == '/' && href[1] == '/') {
        size_t colon = (size_t)(strchr(base, ':') - base);
        if ((out = malloc(cap)))
            snprintf(out, cap, "%.*s:%s", (int)colon, base, href);
    } else if (href[0] == '/') {
        if ((out = malloc(cap)))
            snprintf(out, cap, "%.*s%s", (int)borigin, base, href);
    } else {
        /* Relative to the feed's folder: its path up to the last '/'. */
        size_t path_end = borigin + strcspn(base + borigin, "?#");
        size_t dir = borigin;
        for (size_t i = borigin; i < path_end; i++)
            if (base[i] == '/')
                dir = i + 1;
        if ((out = malloc(cap)))
            snprintf(out, cap, "%.*s%s%s", (int)dir, base, dir == borigin ? "/" : "", href);
    }
    if (!out)
        return NULL;
    size_t origin = origin_len(out);
    if (!origin || strlen(out) > ALERTER_URL_MAX || origin == strlen(out) ||
        has_dot_segment(out, origin)) {
        *why = !origin                        ? "not an http, https or file link"
               : has_dot_segment(out, origin) ? "a \".\" or \"..\" segment in the link"
                                              : "too long, or no path";
        free(out);
        return NULL;
    }
    /* https anywhere; anything else only from the feed's own origin (a
     * plain-http feed may not send the kiosk to another plain-http host). */
    bool same_origin = origin == borigin && strncmp(out, base, origin) == 0;
    if (strncmp(out, "https://", 8) != 0 && !same_origin) {
        *why = "neither https nor the feed's own origin";
        free(out);
        return NULL;
    }
    return out;
}

/* ---- Atom ------------------------------------------------------------------------------ */

static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
                       const xmlChar *system_id)
{
    (void)name, (void)external_id, (void)system_id;
    xmlParserCtxtPtr ctxt = ctx;
    int *seen = ctxt->_private;
    *seen = 1;
    xmlStopParser(ctxt);
}

static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *public_id,
                                       const xmlChar *system_id)
{
    (void)ctx, (void)public_id, (void)system_id;
    return NULL;
}

static bool is_atom(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns &&
           xmlStrEqual(n->ns->href, (const xmlChar *)ATOM_NS) &&
           xmlStrEqual(n->name, (const xmlChar *)name);
}

static bool is_cap_type(const xmlChar *type)
{
    return type &&
           (xmlStrcasecmp(type, (const xmlChar *)"application/cap+xml") == 0 ||
            xmlStrcasecmp(type, (const xmlChar *)"application/common-alerting-protocol+xml") == 0);
}

/* The entry's CAP link: the first typed as CAP, else the first alternate. */
static xmlChar *entry_href(xmlNodePtr entry)
{
    xmlNodePtr alternate = NULL;
    for (xmlNodePtr n = entry->children; n; n = n->next) {
        if (!is_atom(n, "link"))
            continue;
        xmlChar *type = xmlGetNoNsProp(n, (const xmlChar *)"type");
        bool cap = is_cap_type(type);
        xmlFree(type);
        if (cap)
            return xmlGetNoNsProp(n, (const xmlChar *)"href");
        xmlChar *rel = xmlGetNoNsProp(n, (const xmlChar *)"rel");
        if (!alternate && (!rel || xmlStrEqual(rel, (const xmlChar *)"alternate")))
            alternate = n;
        xmlFree(rel);
    }
    return alternate ? xmlGetNoNsProp(alternate, (const xmlChar *)"href") : NULL;
}

static void skip(alerter_atom *out, long line, const char *why)
{
    if (!out->skipped++)
        snprintf(out->first_skip, sizeof out->first_skip, "entry at line %ld: %s", line, why);
}

/* Adds the entry's link to out. Returns 0, or ALERT_NOMEM. */
static int take_entry(alerter_atom *out, xmlNodePtr entry, const char *feed_url)
{
    long line = xmlGetLineNo(entry);
    xmlChar *href = entry_href(entry);
    if (!href) {
        skip(out, line, "no CAP link");
        return 0;
    }
    const char *why;
    char *url = resolve((const char *)href, feed_url, &why);
    xmlFree(href);
    if (!url) {
        if (!why)
            return ALERT_NOMEM;
        skip(out, line, why);
        return 0;
    }
    for (size_t i = 0; i < out->n; i++) {
        if (strcmp(out->urls[i], url) == 0) { /* listed twice: fetched once */
            free(url);
            return 0;
        }
    }
    if (out->n == ALERTER_ATOM_MAX) {
        free(url);
        skip(out, line, "more than " XSTR(ALERTER_ATOM_MAX) " entries");
        return 0;
    }
    out->urls[out->n++] = url;
    return 0;
}

void alerter_atom_clear(alerter_atom *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->urls[i]);
    memset(a, 0, sizeof *a);
}

int alerter_atom_parse(const void *doc, size_t len, const char *feed_url, alerter_atom *out)
{
    memset(out, 0, sizeof *out);
    if (!doc || !feed_url || len == 0 || len > ALERT_MAX_BYTES)
        return 0;
    alert_init();
    int r = ALERT_NOMEM;
    int saw_dtd = 0;
    xmlDocPtr xdoc = NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        goto done;
    ctxt->_private = &saw_dtd;
    ctxt->sax->internalSubset = refuse_dtd;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->resolveEntity = refuse_entity;
    /* As alert_cap.c: no NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE. */
    xdoc = xmlCtxtReadMemory(ctxt, doc, (int)len, "feed.atom", NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = xdoc && !saw_dtd && ctxt->wellFormed ? xmlDocGetRootElement(xdoc) : NULL;
    if (!root || !is_atom(root, "feed")) {
        r = 0;
        goto done;
    }
    r = 1;
    for (xmlNodePtr n = root->children; n && r == 1; n = n->next)
        if (is_atom(n, "entry") && take_entry(out, n, feed_url) != 0)
            r = ALERT_NOMEM;
done:
    if (r != 1)
        alerter_atom_clear(out);
    xmlFreeDoc(xdoc);
    xmlFreeParserCtxt(ctxt);
    return r;
}
