/* alert_cap: reads one CAP 1.0/1.1/1.2 document (OASIS Common Alerting
 * Protocol) into the alert model with libxml2. The document is hostile until
 * proven otherwise: no network, no DTD (a DOCTYPE stops the parser before any
 * entity is declared, so nothing external is loaded and nothing expands),
 * size limited before parsing. Never follows a link, never logs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "app/core/alert.h"
#include "app/core/alert_private.h"

static const struct {
    const char *ns;
    int version;
} cap_namespaces[] = {
    {"urn:oasis:names:tc:emergency:cap:1.2", 12},
    {"urn:oasis:names:tc:emergency:cap:1.1", 11},
    {"http://www.incident.com/cap/1.0", 10},
};

typedef struct cap_ctx {
    alert *a;
    const xmlChar *ns;
    char *err;
    size_t errlen;
    int nomem;
} cap_ctx;

void alert_init(void)
{
    xmlInitParser();
}

/* SAX hook: the parser reached <!DOCTYPE. Stop before the internal subset is
 * read, so no entity (internal or external) is ever declared. */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
                       const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = ctx;
    int *seen = ctxt->_private;
    *seen = 1;
    xmlStopParser(ctxt);
}

static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *public_id,
                                       const xmlChar *system_id)
{
    return NULL;
}

static bool is_cap(const cap_ctx *c, xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, c->ns) &&
           (!name || xmlStrEqual(n->name, (const xmlChar *)name));
}

/* The trimmed text of n, copied into the alert; NULL when out of memory. */
static const char *text_of(cap_ctx *c, xmlNodePtr n, size_t max, int *too_long)
{
    xmlChar *s = xmlNodeGetContent(n);
    size_t len = s ? strlen((const char *)s) : 0;
    *too_long = len > max;
    const char *out = *too_long ? "" : alert_strdup_trim(c->a, s ? (const char *)s : "", len);
    xmlFree(s);
    if (!out)
        c->nomem = 1;
    return out;
}

/* The one child element called name: 0 and *out ("" when absent and optional),
 * or an error for a missing, repeated, empty or too long one. */
static int child_text(cap_ctx *c, xmlNodePtr parent, const char *where, const char *name,
                      bool required, size_t max, const char **out)
{
    xmlNodePtr found = NULL;
    *out = "";
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        if (!is_cap(c, n, name))
            continue;
        if (found)
            return alert_fail(c->err, c->errlen, "line %ld: %s<%s>: repeated", xmlGetLineNo(n),
                              where, name);
        found = n;
    }
    if (!found) {
        if (required)
            return alert_fail(c->err, c->errlen, "line %ld: %s<%s>: required", xmlGetLineNo(parent),
                              where, name);
        return 0;
    }
    int too_long;
    const char *s = text_of(c, found, max, &too_long);
    if (!s)
        return ALERT_NOMEM;
    if (too_long)
        return alert_fail(c->err, c->errlen, "line %ld: %s<%s>: longer than %zu bytes",
                          xmlGetLineNo(found), where, name, max);
    if (required && !s[0])
        return alert_fail(c->err, c->errlen, "line %ld: %s<%s>: empty", xmlGetLineNo(found), where,
                          name);
    *out = s;
    return 0;
}

static int child_enum(cap_ctx *c, xmlNodePtr parent, const char *where, const char *name,
                      const char *const *names, int *out)
{
    const char *s;
    int r = child_text(c, parent, where, name, true, ALERT_MAX_SHORT, &s);
    if (r)
        return r;
    /* CAP 1.0 spelled one certainty "Very Likely"; it means Likely. */
    if (names == alert_certainty_names && strcmp(s, "Very Likely") == 0)
        s = "Likely";
    *out = alert_enum_find(s, names, 5);
    if (*out < 0)
        return alert_fail(c->err, c->errlen, "%s<%s>: \"%.40s\" is not a CAP value", where, name,
                          s);
    return 0;
}

static int child_time(cap_ctx *c, xmlNodePtr parent, const char *where, const char *name,
                      bool required, bool *has, int64_t *out)
{
    const char *s;
    int r = child_text(c, parent, where, name, required, ALERT_MAX_SHORT, &s);
    if (r)
        return r;
    *has = s[0] != '\0';
    if (*has && alert_parse_time(s, out) != 0)
        return alert_fail(c->err, c->errlen, "%s<%s>: \"%.40s\" is not a date-time with a zone",
                          where, name, s);
    return 0;
}

/* "sender,identifier,sent sender,identifier,sent ..." */
static int parse_references(cap_ctx *c, const char *s)
{
    size_t n = 0;
    alert_reference *list = alert_alloc(c->a, ALERT_MAX_REFERENCES, sizeof *list);
    if (!list)
        return ALERT_NOMEM;
    for (const char *p = s; *p;) {
        p += strspn(p, " \t\r\n");
        size_t k = strcspn(p, " \t\r\n");
        if (!k)
            break;
        if (n == ALERT_MAX_REFERENCES)
            return alert_fail(c->err, c->errlen, "<references>: more than %d",
                              ALERT_MAX_REFERENCES);
        const char *c1 = memchr(p, ',', k);
        const char *c2 = c1 ? memchr(c1 + 1, ',', k - (size_t)(c1 + 1 - p)) : NULL;
        if (!c1 || !c2 || c1 == p || c2 == c1 + 1)
            return alert_fail(c->err, c->errlen,
                              "<references>: \"%.*s\" is not sender,identifier,sent",
                              (int)(k > 60 ? 60 : k), p);
        alert_reference *ref = &list[n++];
        char *sent = alert_strdup_trim(c->a, c2 + 1, k - (size_t)(c2 + 1 - p));
        ref->sender = alert_strdup_trim(c->a, p, (size_t)(c1 - p));
        ref->identifier = alert_strdup_trim(c->a, c1 + 1, (size_t)(c2 - c1 - 1));
        if (!sent || !ref->sender || !ref->identifier)
            return ALERT_NOMEM;
        ref->has_sent = true;
        if (alert_parse_time(sent, &ref->sent) != 0)
            return alert_fail(c->err, c->errlen, "<references>: \"%.40s\" is not a date-time",
                              sent);
        p += k;
    }
    if (n == 0)
        return alert_fail(c->err, c->errlen, "<references>: present but empty");
    c->a->references = list;
    c->a->n_references = n;
    return 0;
}

static int parse_info(cap_ctx *c, xmlNodePtr node, size_t index, alert_info *in)
{
    char where[24];
    snprintf(where, sizeof where, "info[%zu] ", index);
    int r, urg, sev, cer;
    if ((r = child_text(c, node, where, "language", false, ALERT_MAX_SHORT, &in->language)) ||
        (r = child_text(c, node, where, "event", true, ALERT_MAX_SHORT, &in->event)) ||
        (r = child_enum(c, node, where, "urgency", alert_urgency_names, &urg)) ||
        (r = child_enum(c, node, where, "severity", alert_severity_names, &sev)) ||
        (r = child_enum(c, node, where, "certainty", alert_certainty_names, &cer)) ||
        (r = child_time(c, node, where, "expires", false, &in->has_expires, &in->expires)) ||
        (r = child_text(c, node, where, "senderName", false, ALERT_MAX_SHORT, &in->sender_name)) ||
        (r = child_text(c, node, where, "headline", false, ALERT_MAX_STRING, &in->headline)) ||
        (r = child_text(c, node, where, "description", false, ALERT_MAX_STRING,
                        &in->description)) ||
        (r = child_text(c, node, where, "instruction", false, ALERT_MAX_STRING,
                        &in->instruction)) ||
        (r = child_text(c, node, where, "web", false, ALERT_MAX_STRING, &in->web)))
        return r;
    if (!in->language[0])
        in->language = "en-US"; /* CAP's default */
    in->urgency = (alert_urgency)urg;
    in->severity = (alert_severity)sev;
    in->certainty = (alert_certainty)cer;
    in->category = NULL;
    const char **areas = alert_alloc(c->a, ALERT_MAX_AREAS, sizeof *areas);
    if (!areas)
        return ALERT_NOMEM;
    for (xmlNodePtr n = node->children; n; n = n->next) {
        if (is_cap(c, n, "category") && !in->category) {
            int too_long;
            in->category = text_of(c, n, ALERT_MAX_SHORT, &too_long);
            if (!in->category)
                return ALERT_NOMEM;
        } else if (is_cap(c, n, "area")) {
            if (in->n_areas == ALERT_MAX_AREAS)
                return alert_fail(c->err, c->errlen, "%s: more than %d <area>", where,
                                  ALERT_MAX_AREAS);
            if ((r = child_text(c, n, where, "areaDesc", true, ALERT_MAX_STRING,
                                &areas[in->n_areas])))
                return r;
            in->n_areas++;
        }
    }
    if (!in->category || !in->category[0])
        return alert_fail(c->err, c->errlen, "line %ld: %s<category>: required", xmlGetLineNo(node),
                          where);
    in->areas = areas;
    return 0;
}

static int parse_alert(cap_ctx *c, xmlNodePtr root)
{
    alert *a = c->a;
    const char *status, *msg_type, *scope, *refs, *sent;
    int r;
    if ((r = child_text(c, root, "", "identifier", true, ALERT_MAX_SHORT, &a->identifier)) ||
        (r = child_text(c, root, "", "sender", true, ALERT_MAX_SHORT, &a->sender)) ||
        (r = child_text(c, root, "", "sent", true, ALERT_MAX_SHORT, &sent)) ||
        (r = child_text(c, root, "", "status", true, ALERT_MAX_SHORT, &status)) ||
        (r = child_text(c, root, "", "msgType", true, ALERT_MAX_SHORT, &msg_type)) ||
        (r = child_text(c, root, "", "scope", a->cap_version >= 11, ALERT_MAX_SHORT, &scope)))
        return r;
    if (alert_parse_time(sent, &a->sent) != 0)
        return alert_fail(c->err, c->errlen, "<sent>: \"%.40s\" is not a date-time with a zone",
                          sent);
    int st = alert_enum_find(status, alert_status_names, 5);
    int mt = alert_enum_find(msg_type, alert_msg_type_names, 5);
    if (st < 0)
        return alert_fail(c->err, c->errlen, "<status>: \"%.40s\" is not a CAP status", status);
    if (mt < 0)
        return alert_fail(c->err, c->errlen, "<msgType>: \"%.40s\" is not a CAP msgType", msg_type);
    a->status = (alert_status)st;
    a->msg_type = (alert_msg_type)mt;

    /* references: optional, but an empty element is an error, and an Update or
     * Cancel without them could not say what it replaces. */
    xmlNodePtr ref_node = NULL;
    for (xmlNodePtr n = root->children; n && !ref_node; n = n->next)
        if (is_cap(c, n, "references"))
            ref_node = n;
    if ((r = child_text(c, root, "", "references", false, 64 * ALERT_MAX_REFERENCES * 4, &refs)))
        return r;
    if (ref_node) {
        if ((r = parse_references(c, refs)))
            return r;
    } else if (a->msg_type == ALERT_MSG_UPDATE || a->msg_type == ALERT_MSG_CANCEL) {
        return alert_fail(c->err, c->errlen, "<references>: required for msgType %s", msg_type);
    }

    size_t n_info = 0;
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (is_cap(c, n, "info"))
            n_info++;
    if (n_info > ALERT_MAX_INFO)
        return alert_fail(c->err, c->errlen, "more than %d <info> blocks", ALERT_MAX_INFO);
    alert_info *info = alert_alloc(a, n_info + 1, sizeof *info);
    if (!info)
        return ALERT_NOMEM;
    size_t i = 0;
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (is_cap(c, n, "info")) {
            if ((r = parse_info(c, n, i, &info[i])))
                return r;
            i++;
        }
    a->info = info;
    a->n_info = n_info;
    return 0;
}

int alert_parse_cap(const void *text, size_t len, alert **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (len > ALERT_MAX_BYTES)
        return alert_fail(err, errlen, "too large: %zu bytes (at most %u)", len, ALERT_MAX_BYTES);
    if (len == 0)
        return alert_fail(err, errlen, "empty document");
    alert_init();
    int r = ALERT_NOMEM;
    int saw_dtd = 0;
    xmlDocPtr doc = NULL;
    cap_ctx c = {.err = err, .errlen = errlen};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        goto fail;
    ctxt->_private = &saw_dtd;
    ctxt->sax->internalSubset = refuse_dtd;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->resolveEntity = refuse_entity;
    /* No XML_PARSE_NOENT (substitution), DTDLOAD, DTDATTR, XINCLUDE or HUGE;
     * libxml2 2.9.14 has no XML_PARSE_NO_XXE, so refuse_dtd does that job. */
    doc = xmlCtxtReadMemory(ctxt, text, (int)len, "alert.cap", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (saw_dtd) {
        r = alert_fail(err, errlen, "DOCTYPE refused: alerts may not declare a DTD or entities");
        goto fail;
    }
    if (!doc || !ctxt->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[160] = "not well-formed";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            msg[strcspn(msg, "\r\n")] = '\0';
        }
        r = alert_fail(err, errlen, "invalid XML: line %d: %s", e ? e->line : 0, msg);
        goto fail;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int version = 0;
    for (size_t i = 0; root && root->ns && i < sizeof cap_namespaces / sizeof cap_namespaces[0];
         i++)
        if (xmlStrEqual(root->ns->href, (const xmlChar *)cap_namespaces[i].ns)) {
            version = cap_namespaces[i].version;
            c.ns = root->ns->href;
        }
    if (!root || !version || !xmlStrEqual(root->name, (const xmlChar *)"alert")) {
        r = alert_fail(err, errlen,
                       "root element <%.40s> in namespace \"%.80s\" is not a CAP alert",
                       root ? (const char *)root->name : "",
                       root && root->ns ? (const char *)root->ns->href : "");
        goto fail;
    }
    c.a = alert_new(ALERT_SOURCE_CAP);
    if (!c.a)
        goto fail;
    c.a->cap_version = version;
    r = parse_alert(&c, root);
    if (r == 0 && c.nomem)
        r = ALERT_NOMEM;
    if (r)
        goto fail;
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    *out = c.a;
    return 0;
fail:
    if (r == ALERT_NOMEM)
        alert_fail(err, errlen, "out of memory");
    alert_destroy(c.a);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return r;
}
