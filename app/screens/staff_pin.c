/* staff_pin: the staff view's PIN pad (see staff.h). Digits are kept only
 * while typed and wiped after each try; the PIN itself is never drawn (dots)
 * nor logged. Wrong PINs go through staff_lock: after the third in a row
 * the pad locks with a countdown, and the keys stay dead until it ends.
 *
 * Time for the lockout: the wall clock when the pad opens, plus the
 * monotonic time since (ctx->now_ms), so that a clock being set while the
 * pad is open neither ends nor stretches a lockout, and the saved state
 * (epoch seconds) survives restarts. */
#include "app/screens/staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/core/log.h"
#include "app/screens/kit.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

enum { KEY_CLEAR = STAFF_KEY_CLEAR, KEY_OK = STAFF_KEY_OK, KEY_CLOSE = STAFF_KEY_CLOSE };

typedef enum pad_message { MSG_PROMPT, MSG_WRONG, MSG_LOCKED } pad_message;

typedef struct pad {
    kit_ui ui;
    char digits[STAFF_PIN_MAX + 1];
    size_t n;
    int64_t wall0_s, mono0_ms; /* the time anchors (see above) */
    pad_message msg;
    int64_t shown_remaining; /* the countdown's value in the last frame */
} pad;

static int64_t pad_now(const pad *p, const screen_ctx *ctx)
{
    return p->wall0_s + (ctx->now_ms - p->mono0_ms) / 1000;
}

static int64_t remaining(pad *p, screen_ctx *ctx)
{
    return ctx->staff ? staff_lock_remaining(&ctx->staff->lock, pad_now(p, ctx)) : 0;
}

static void wipe(pad *p)
{
    sodium_memzero(p->digits, sizeof p->digits);
    p->n = 0;
}

static model_lang lang_of(const screen_ctx *ctx)
{
    return ctx->session ? ctx->session->lang : MODEL_LANG_JA;
}

/* fmt with its one %d replaced by n (never trusted as a printf format). */
static void put_number(char *buf, size_t cap, const char *fmt, long long n)
{
    const char *at = strstr(fmt, "%d");
    if (!at)
        snprintf(buf, cap, "%s", fmt);
    else
        snprintf(buf, cap, "%.*s%lld%s", (int)(at - fmt), fmt, n, at + 2);
}

/* Where everything goes: the message, the dots, 1 2 3 / 4 5 6 / 7 8 9 /
 * clear 0 OK as on a phone (keys of at least a touch target), and Close
 * apart from them at the bottom right. */
typedef struct pad_layout {
    SDL_Rect msg;
    int dots_y, dots_h;
    SDL_Rect keys[12]; /* by id: 0..9, KEY_CLEAR, KEY_OK */
    SDL_Rect close;
} pad_layout;

static pad_layout layout(const screen_ctx *ctx)
{
    kit_metrics m = kit_metrics_get(ctx);
    pad_layout L;
    int header = staff_header_height(ctx), area_h = ctx->height - header;
    int key_w = m.target * 16 / 10, key_h = m.target;
    int pad_w = 3 * key_w + 2 * m.gap, pad_h = 4 * key_h + 3 * m.gap;
    int msg_h = m.text_px * 2;
    L.dots_h = m.text_px * 3 / 2;
    int top = header + (area_h - (msg_h + L.dots_h + pad_h + 2 * m.gap)) / 2;
    int mw = pad_w * 2;
    L.msg = (SDL_Rect){(ctx->width - mw) / 2, top, mw, msg_h};
    L.dots_y = top + msg_h + m.gap;
    int x0 = (ctx->width - pad_w) / 2, y0 = L.dots_y + L.dots_h + m.gap;
    for (int k = 0; k < 12; k++) {
        int id = k < 9 ? k + 1 : k == 9 ? KEY_CLEAR : k == 10 ? 0 : KEY_OK;
        L.keys[id] = (SDL_Rect){x0 + (k % 3) * (key_w + m.gap), y0 + (k / 3) * (key_h + m.gap),
                                key_w, key_h};
    }
    int cw = key_w * 3 / 2;
    L.close = (SDL_Rect){ctx->width - cw - m.gap * 2, ctx->height - key_h - m.gap * 2, cw, key_h};
    return L;
}

SDL_Rect staff_pin_key_rect(const screen_ctx *ctx, int key)
{
    pad_layout L = layout(ctx);
    if (key == KEY_CLOSE)
        return L.close;
    return key >= 0 && key <= KEY_OK ? L.keys[key] : (SDL_Rect){0, 0, 0, 0};
}

/* A key: a live button, or a dead one drawn in the closed colours with no
 * target (while locked). */
static void key(screen_ctx *ctx, pad *p, int id, SDL_Rect r, const char *label, bool live)
{
    if (live) {
        kit_button(ctx, &p->ui, id, r, label, lang_of(ctx), KIT_BUTTON, NULL);
        return;
    }
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    kit_draw_panel(ctx->renderer, r, m.radius, t->closed_bg, t->closed_bg, 0);
    const text_layout *l = kit_fit(ctx, label, lang_of(ctx), m.text_px, TEXT_WEIGHT_BOLD,
                                   TEXT_ALIGN_CENTER, r.w - m.gap, r.h, m.small_px);
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, r.x + m.gap / 2, r.y + (r.h - text_layout_height(l)) / 2,
                        t->closed_ink);
}

static void pad_draw(void *self, screen_ctx *ctx)
{
    pad *p = self;
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    kit_ui_begin(&p->ui);
    ui_draw_clear(ctx->renderer, t->paper);
    staff_header(ctx, kit_str(ctx, "staff.pin_title"), NULL);
    int64_t left = remaining(p, ctx);
    p->shown_remaining = left;
    bool locked = left > 0;
    pad_layout L = layout(ctx);

    /* The message: what to do, what went wrong, or how long to wait. */
    char text[200];
    const char *msg = kit_str(ctx, "staff.pin_prompt");
    SDL_Color ink = t->ink, bg = t->paper;
    if (locked) {
        put_number(text, sizeof text, kit_str(ctx, "staff.pin_locked"), left);
        msg = text;
        ink = t->warn_ink;
        bg = t->warn_bg;
    } else if (p->msg == MSG_WRONG) {
        msg = kit_str(ctx, "staff.pin_wrong");
        ink = t->warn_ink;
        bg = t->warn_bg;
    }
    SDL_Rect box = L.msg;
    int mw = box.w, msg_h = box.h;
    if (bg.r != t->paper.r || bg.g != t->paper.g || bg.b != t->paper.b)
        kit_draw_panel(ctx->renderer, box, m.radius, bg, bg, 0);
    const text_layout *l = kit_fit(ctx, msg, lang_of(ctx), m.text_px, TEXT_WEIGHT_BOLD,
                                   TEXT_ALIGN_CENTER, mw - 2 * m.gap, msg_h, m.small_px);
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, box.x + m.gap, box.y + (msg_h - text_layout_height(l)) / 2,
                        ink);

    /* One dot per possible digit, filled as they are typed. */
    int y = L.dots_y, dots_h = L.dots_h;
    float r = (float)m.text_px / 3.0f, step = r * 3.2f;
    float cx0 = (float)ctx->width / 2.0f - step * (STAFF_PIN_MAX - 1) / 2.0f;
    for (int i = 0; i < STAFF_PIN_MAX; i++) {
        float cx = cx0 + step * (float)i, cy = (float)y + (float)dots_h / 2.0f;
        if ((size_t)i < p->n)
            kit_draw_disc(ctx->renderer, cx, cy, r, t->ink);
        else
            kit_draw_ring(ctx->renderer, cx, cy, r, r / 3.0f, t->muted);
    }

    for (int id = 0; id <= KEY_OK; id++) {
        char label[4];
        snprintf(label, sizeof label, "%d", id);
        const char *name = id == KEY_CLEAR ? kit_str(ctx, "staff.pin_clear")
                           : id == KEY_OK  ? kit_str(ctx, "staff.pin_ok")
                                           : label;
        key(ctx, p, id, L.keys[id], name, !locked);
    }
    kit_button(ctx, &p->ui, KEY_CLOSE, L.close, kit_str(ctx, "staff.close"), lang_of(ctx),
               KIT_BUTTON, NULL);
}

static void try_pin(pad *p, screen_ctx *ctx)
{
    screen_staff *st = ctx->staff;
    staff_lock_result r = staff_lock_try(&st->lock, st->pin, p->digits, pad_now(p, ctx));
    wipe(p);
    if (r == STAFF_LOCK_LOCKED)
        return;
    int rc = staff_lock_save(ctx->store, &st->lock);
    if (rc != 0)
        LOG_WARN("staff", "cannot save the PIN lockout: %s", store_strerror(rc));
    if (r == STAFF_LOCK_RIGHT) {
        LOG_INFO("staff", "staff view opened");
        st->unlocked = true;
        screen_go(ctx, &staff_status_screen_ops);
        return;
    }
    int64_t left = staff_lock_remaining(&st->lock, pad_now(p, ctx));
    if (left > 0)
        LOG_WARN("staff", "wrong staff PIN (%u in a row): the pad is locked for %lld s",
                 (unsigned)st->lock.failures, (long long)left);
    else
        LOG_WARN("staff", "wrong staff PIN (%u in a row)", (unsigned)st->lock.failures);
    p->msg = MSG_WRONG;
}

/* A keyboard's key as a pad key, KIT_NONE for others. */
static int key_of(const SDL_Event *ev)
{
    if (ev->type != SDL_KEYDOWN)
        return KIT_NONE;
    SDL_Keycode k = ev->key.keysym.sym;
    if (k >= SDLK_0 && k <= SDLK_9)
        return (int)(k - SDLK_0);
    if (k >= SDLK_KP_1 && k <= SDLK_KP_9)
        return (int)(k - SDLK_KP_1) + 1;
    switch (k) {
    case SDLK_KP_0:
        return 0;
    case SDLK_BACKSPACE:
    case SDLK_DELETE:
        return KEY_CLEAR;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        return KEY_OK;
    case SDLK_ESCAPE:
        return KEY_CLOSE;
    default:
        return KIT_NONE;
    }
}

static bool pad_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    pad *p = self;
    int id = kit_ui_event(&p->ui, ctx, ev);
    if (id == KIT_NONE)
        id = key_of(ev);
    if (id == KIT_NONE)
        return kit_pointer_from_event(ctx, ev).kind != KIT_POINTER_NONE ||
               ev->type == SDL_KEYDOWN || ev->type == SDL_KEYUP;
    if (id == KEY_CLOSE) {
        wipe(p);
        staff_close(ctx);
        return true;
    }
    /* Keys are dead while locked (they have no targets then; this is in
     * case a press began just before). */
    if (remaining(p, ctx) > 0)
        return true;
    if (id >= 0 && id <= 9) {
        if (p->n < STAFF_PIN_MAX)
            p->digits[p->n++] = (char)('0' + id);
        p->msg = MSG_PROMPT;
    } else if (id == KEY_CLEAR) {
        wipe(p);
        p->msg = MSG_PROMPT;
    } else if (id == KEY_OK && p->n > 0) {
        try_pin(p, ctx);
    }
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
    return true;
}

static void pad_update(void *self, screen_ctx *ctx)
{
    pad *p = self;
    kit_ui_update(&p->ui, ctx);
    if (staff_idle(ctx)) {
        wipe(p);
        staff_close(ctx);
        return;
    }
    int64_t left = remaining(p, ctx);
    if (left != p->shown_remaining && ctx->frame)
        ui_frame_invalidate(ctx->frame);
    if (left > 0 && ctx->frame) {
        /* The countdown: look again when the next second begins. */
        int64_t into = (ctx->now_ms - p->mono0_ms) % 1000;
        ui_frame_wake_in(ctx->frame, (uint32_t)(1000 - into));
    }
}

static void *pad_enter(screen_ctx *ctx)
{
    screen_staff *st = ctx->staff;
    if (!st || !staff_pin_valid(st->pin)) {
        LOG_INFO("staff", "no staff view: staff_pin is not set to 4 to 8 digits");
        return NULL;
    }
    pad *p = calloc(1, sizeof *p);
    if (!p) {
        LOG_ERROR("staff", "out of memory");
        return NULL;
    }
    kit_ui_init(&p->ui);
    p->wall0_s = ctx->clock ? clock_now(ctx->clock).sec : 0;
    p->mono0_ms = ctx->now_ms;
    /* The saved lockout wins over what this run remembers: it is what a
     * restart would find. Without a store, the run's memory is all there is. */
    staff_lock saved;
    if (ctx->store && staff_lock_load(ctx->store, &saved) == 0)
        st->lock = saved;
    st->unlocked = false;
    /* Staff read the kiosk's own language, not the last resident's. */
    if (ctx->session) {
        screen_session_reset(ctx->session);
        ctx->lang = model_lang_code(ctx->session->lang);
    }
    LOG_INFO("staff", "PIN pad opened");
    return p;
}

static void pad_leave(void *self, screen_ctx *ctx)
{
    (void)ctx;
    pad *p = self;
    wipe(p);
    free(p);
}

const screen_ops staff_pin_screen_ops = {
    .name = "staff-pin",
    .enter = pad_enter,
    .event = pad_event,
    .update = pad_update,
    .draw = pad_draw,
    .leave = pad_leave,
};
