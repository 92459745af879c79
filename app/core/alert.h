/* alert: the one parser of emergency alerts and the one place that decides what
 * the kiosk does with one. Reads a native hiroba alert (JSON, jansson) or a CAP
 * 1.0/1.1/1.2 document (XML, libxml2 with no network, no DTD, no entities) into
 * an immutable alert model, then alert_decide() turns (alert, kiosk policy, now)
 * into takeover / banner / drill / ignore / cancel with a human reason.
 * Input is untrusted: size limited before parsing, counts and strings limited
 * while parsing. It never verifies signatures (the caller runs trust_verify over
 * the exact bytes first, then parses those same bytes), never fetches anything,
 * never logs a document's problems (they are returned), never keeps a pointer
 * into the input.
 *
 * Native alert, format 1 (UTF-8 JSON object; unknown keys are errors):
 *   {"format": 1,                          required, 1
 *    "id": "kobe-2026-0042",               required, 1..256 bytes, no spaces
 *    "sender": "bousai@city.kobe.jp",      required, 1..256 bytes
 *    "sent": "2026-11-24T10:00:00+09:00",  required, RFC 3339 with a zone
 *    "status": "Actual",                   required: Actual|Exercise|System|Test|Draft
 *    "msgType": "Alert",                   required: Alert|Update|Cancel
 *    "references": ["kobe-2026-0041"],     ids of the same sender; required (>= 1)
 *                                          for Update and Cancel, else optional
 *    "event": {"ja": "避難指示"},           optional text
 *    "severity": "Extreme",                required unless Cancel (then "Unknown"):
 *                                          Extreme|Severe|Moderate|Minor|Unknown
 *    "urgency": "Immediate",               as severity: Immediate|Expected|Future|Past|Unknown
 *    "certainty": "Observed",              optional (default Observed):
 *                                          Observed|Likely|Possible|Unlikely|Unknown
 *    "expires": "2026-11-24T22:00:00+09:00", optional, RFC 3339, after sent
 *    "title": {"ja": "…", "en": "…"},      required unless Cancel; "ja" required
 *    "body", "instruction", "area": {…},   optional texts, same form
 *    "shelters": [{"name": {…}, "address": {…}}],  optional, name required
 *    "url": "https://…"}                   optional, https only
 * A text is an object of language codes (model_lang codes: ja, en, zh, ko,
 * ja-easy) to non-empty strings. Each language of "title" becomes one info
 * block ("ja" first); texts missing in that language fall back to "ja".
 *
 * CAP: the root must be <alert> in the CAP 1.2, 1.1 or 1.0 namespace (an Atom
 * feed is not an alert). identifier, sender, sent, status, msgType and scope
 * are required; Update and Cancel need non-empty references. Each <info> needs
 * category, event, urgency, severity and certainty with CAP's values; language
 * defaults to "en-US" as CAP says. Elements of other namespaces (XML-DSig
 * signatures) are skipped. A document with a DOCTYPE is rejected before any
 * entity is declared or loaded. */
#ifndef HIROBA_APP_CORE_ALERT_H
#define HIROBA_APP_CORE_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on untrusted input. */
#define ALERT_MAX_BYTES      (1024u * 1024) /* whole document, checked before parsing */
#define ALERT_MAX_STRING     (16u * 1024)   /* bytes, any text */
#define ALERT_MAX_SHORT      256            /* ids, senders, languages, enumerations */
#define ALERT_MAX_INFO       16
#define ALERT_MAX_AREAS      32 /* per info block */
#define ALERT_MAX_SHELTERS   32 /* per info block */
#define ALERT_MAX_REFERENCES 64
#define ALERT_REASON_MAX     240

/* Return values of the parsers. */
#define ALERT_INVALID (-1) /* err says why: the document is rejected */
#define ALERT_NOMEM   (-2)

typedef enum alert_source { ALERT_SOURCE_NATIVE, ALERT_SOURCE_CAP } alert_source;
typedef enum alert_status {
    ALERT_STATUS_ACTUAL,
    ALERT_STATUS_EXERCISE,
    ALERT_STATUS_SYSTEM,
    ALERT_STATUS_TEST,
    ALERT_STATUS_DRAFT,
} alert_status;
typedef enum alert_msg_type {
    ALERT_MSG_ALERT,
    ALERT_MSG_UPDATE,
    ALERT_MSG_CANCEL,
    ALERT_MSG_ACK,   /* CAP only */
    ALERT_MSG_ERROR, /* CAP only */
} alert_msg_type;
typedef enum alert_severity {
    ALERT_SEVERITY_EXTREME,
    ALERT_SEVERITY_SEVERE,
    ALERT_SEVERITY_MODERATE,
    ALERT_SEVERITY_MINOR,
    ALERT_SEVERITY_UNKNOWN,
} alert_severity;
typedef enum alert_urgency {
    ALERT_URGENCY_IMMEDIATE,
    ALERT_URGENCY_EXPECTED,
    ALERT_URGENCY_FUTURE,
    ALERT_URGENCY_PAST,
    ALERT_URGENCY_UNKNOWN,
} alert_urgency;
typedef enum alert_certainty {
    ALERT_CERTAINTY_OBSERVED,
    ALERT_CERTAINTY_LIKELY, /* CAP 1.0's "Very Likely" too */
    ALERT_CERTAINTY_POSSIBLE,
    ALERT_CERTAINTY_UNLIKELY,
    ALERT_CERTAINTY_UNKNOWN,
} alert_certainty;

/* CAP's spelling ("Actual", "Update", "Extreme", ...); out of range -> "". */
const char *alert_status_name(alert_status s);
const char *alert_msg_type_name(alert_msg_type t);
const char *alert_severity_name(alert_severity s);
const char *alert_urgency_name(alert_urgency u);
const char *alert_certainty_name(alert_certainty c);

typedef struct alert_shelter {
    const char *name;    /* non-empty */
    const char *address; /* "" when not given */
} alert_shelter;

/* One language's view of the alert. Strings are NUL-terminated valid UTF-8,
 * trimmed, never NULL ("" when absent). */
typedef struct alert_info {
    const char *language; /* "ja-JP", "en-CA", "ja" ... as written */
    const char *category; /* the first category ("Geo", "Met" ...); "" for native */
    const char *event;
    alert_urgency urgency;
    alert_severity severity;
    alert_certainty certainty;
    bool has_expires;
    int64_t expires; /* epoch seconds, when has_expires */
    const char *sender_name;
    const char *headline;
    const char *description;
    const char *instruction;
    const char *web;
    size_t n_areas;
    const char *const *areas; /* areaDesc of each <area>; native: the "area" text */
    size_t n_shelters;
    const alert_shelter *shelters; /* native only */
} alert_info;

typedef struct alert_reference {
    const char *sender;     /* CAP: as written; native: the alert's sender */
    const char *identifier; /* non-empty */
    bool has_sent;          /* native references carry no time */
    int64_t sent;
} alert_reference;

typedef struct alert_arena alert_arena;

/* Immutable once parsed; share a `const alert *` freely. Everything it points
 * to is owned by it. */
typedef struct alert {
    alert_source source;
    int cap_version; /* 10, 11 or 12 for CAP; 0 for native */
    const char *identifier;
    const char *sender;
    int64_t sent; /* epoch seconds */
    alert_status status;
    alert_msg_type msg_type;
    size_t n_references;
    const alert_reference *references;
    size_t n_info;
    const alert_info *info; /* in document order; may be 0 (CAP allows it) */
    alert_arena *arena;     /* private */
} alert;

/* Parses text[0..len): a native alert when the first byte after a UTF-8 BOM and
 * white space is '{', else CAP XML. Returns 0 with *out owning a new alert
 * (alert_destroy), or ALERT_INVALID / ALERT_NOMEM with *out NULL and a one-line
 * reason in err (NUL-terminated, cut to errlen). Thread-safe once alert_init
 * has run. Call it on bytes trust_verify has accepted, not on a re-read. */
int alert_parse(const void *text, size_t len, alert **out, char *err, size_t errlen);
int alert_parse_native(const void *text, size_t len, alert **out, char *err, size_t errlen);
int alert_parse_cap(const void *text, size_t len, alert **out, char *err, size_t errlen);
void alert_destroy(alert *a);

/* Initialises libxml2 once. main calls it before starting threads; the parsers
 * call it too (harmless when done). */
void alert_init(void);

/* ---- The decision ------------------------------------------------------------------ */

typedef enum alert_action {
    ALERT_ACTION_REJECT,   /* not understood: nothing changes on screen, logged */
    ALERT_ACTION_IGNORE,   /* understood, never shown (Test/Draft/System, drills off, expired) */
    ALERT_ACTION_CANCEL,   /* removes the alerts it references */
    ALERT_ACTION_BANNER,   /* a banner over the current screen */
    ALERT_ACTION_DRILL,    /* an exercise shown as 訓練 (form says banner or full screen) */
    ALERT_ACTION_TAKEOVER, /* the whole screen */
} alert_action;

/* "reject", "ignore", "cancel", "banner", "drill", "takeover". */
const char *alert_action_name(alert_action a);

typedef struct alert_policy {
    bool allow_drills;    /* show Exercise alerts (marked 訓練) */
    const char *language; /* the kiosk's language ("ja", "en", "ja-JP"); NULL: "ja" */
} alert_policy;

typedef struct alert_decision {
    alert_action action;
    bool full_screen;       /* takeover, or a drill that would be one */
    const alert_info *info; /* the block to show first; NULL unless shown or cancel */
    char reason[ALERT_REASON_MAX];
} alert_decision;

/* Decides what the kiosk does with a (NULL: an unparsed document: reject) at now
 * (epoch seconds). Info blocks that have expired by now are dropped; among the
 * rest the first in the kiosk's language (exact tag, then same primary
 * language: "ja" matches "ja-JP") wins, else the first. Borrows a; out->info
 * points into it. Never fails. */
void alert_decide(const alert *a, const alert_policy *policy, int64_t now, alert_decision *out);

#endif
