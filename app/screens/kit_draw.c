/* kit_draw: marks and pictograms as triangles (SDL_RenderGeometry), so the
 * software renderer draws them at any size without picture files. Not
 * anti-aliased, like ui/draw.h: shapes stay bold and simple so that the
 * stair steps do not show at kiosk distance. */
#include "app/screens/kit_draw.h"

#include <math.h>

#include "ui/draw.h"

#define PI_F       3.14159265f
#define MAX_SEGS   96
#define GEOM_VERTS (MAX_SEGS * 6)

static SDL_Vertex vert(float x, float y, SDL_Color c)
{
    SDL_Vertex v = {{x, y}, c, {0.0f, 0.0f}};
    return v;
}

static int segments(float radius)
{
    int n = (int)(radius * 0.8f);
    return n < 16 ? 16 : n > MAX_SEGS ? MAX_SEGS : n;
}

static void geometry(SDL_Renderer *r, const SDL_Vertex *v, int n)
{
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    SDL_RenderGeometry(r, NULL, v, n, NULL, 0);
}

void kit_draw_disc(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color c)
{
    if (radius <= 0.0f)
        return;
    SDL_Vertex v[GEOM_VERTS];
    int n = segments(radius), k = 0;
    for (int i = 0; i < n; i++) {
        float a0 = 2.0f * PI_F * (float)i / (float)n, a1 = 2.0f * PI_F * (float)(i + 1) / (float)n;
        v[k++] = vert(cx, cy, c);
        v[k++] = vert(cx + radius * cosf(a0), cy + radius * sinf(a0), c);
        v[k++] = vert(cx + radius * cosf(a1), cy + radius * sinf(a1), c);
    }
    geometry(r, v, k);
}

void kit_draw_ring(SDL_Renderer *r, float cx, float cy, float radius, float thickness, SDL_Color c)
{
    if (radius <= 0.0f || thickness <= 0.0f)
        return;
    float inner = radius - thickness > 0.0f ? radius - thickness : 0.0f;
    SDL_Vertex v[GEOM_VERTS];
    int n = segments(radius), k = 0;
    for (int i = 0; i < n; i++) {
        float a0 = 2.0f * PI_F * (float)i / (float)n, a1 = 2.0f * PI_F * (float)(i + 1) / (float)n;
        SDL_Vertex o0 = vert(cx + radius * cosf(a0), cy + radius * sinf(a0), c);
        SDL_Vertex o1 = vert(cx + radius * cosf(a1), cy + radius * sinf(a1), c);
        SDL_Vertex i0 = vert(cx + inner * cosf(a0), cy + inner * sinf(a0), c);
        SDL_Vertex i1 = vert(cx + inner * cosf(a1), cy + inner * sinf(a1), c);
        v[k++] = o0;
        v[k++] = o1;
        v[k++] = i1;
        v[k++] = o0;
        v[k++] = i1;
        v[k++] = i0;
    }
    geometry(r, v, k);
}

void kit_draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float thickness,
                   SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len <= 0.0f || thickness <= 0.0f)
        return;
    /* Half the thickness across and along (square ends), so joined lines
     * meet without notches. */
    float h = thickness / 2.0f, nx = -dy / len * h, ny = dx / len * h, ex = dx / len * h,
          ey = dy / len * h;
    SDL_Vertex v[6] = {
        vert(x0 - ex + nx, y0 - ey + ny, c), vert(x1 + ex + nx, y1 + ey + ny, c),
        vert(x1 + ex - nx, y1 + ey - ny, c), vert(x0 - ex + nx, y0 - ey + ny, c),
        vert(x1 + ex - nx, y1 + ey - ny, c), vert(x0 - ex - nx, y0 - ey - ny, c),
    };
    geometry(r, v, 6);
}

void kit_draw_triangle(SDL_Renderer *r, SDL_FPoint a, SDL_FPoint b, SDL_FPoint c, SDL_Color col)
{
    SDL_Vertex v[3] = {vert(a.x, a.y, col), vert(b.x, b.y, col), vert(c.x, c.y, col)};
    geometry(r, v, 3);
}

static void fill(SDL_Renderer *r, float x, float y, float w, float h, SDL_Color c)
{
    SDL_Vertex v[6] = {vert(x, y, c), vert(x + w, y, c),     vert(x + w, y + h, c),
                       vert(x, y, c), vert(x + w, y + h, c), vert(x, y + h, c)};
    geometry(r, v, 6);
}

void kit_draw_mark(SDL_Renderer *r, kit_mark mark, SDL_Rect box, SDL_Color c, SDL_Color bg)
{
    float s = (float)(box.w < box.h ? box.w : box.h);
    if (s <= 0.0f)
        return;
    float x = (float)box.x + ((float)box.w - s) / 2.0f,
          y = (float)box.y + ((float)box.h - s) / 2.0f;
    float t = s * 0.13f > 2.0f ? s * 0.13f : 2.0f; /* stroke */
    float cx = x + s / 2.0f, cy = y + s / 2.0f;
    switch (mark) {
    case KIT_MARK_CHECK:
        kit_draw_line(r, x + s * 0.16f, y + s * 0.54f, x + s * 0.40f, y + s * 0.78f, t, c);
        kit_draw_line(r, x + s * 0.40f, y + s * 0.78f, x + s * 0.86f, y + s * 0.24f, t, c);
        break;
    case KIT_MARK_CROSS:
        kit_draw_line(r, x + s * 0.2f, y + s * 0.2f, x + s * 0.8f, y + s * 0.8f, t, c);
        kit_draw_line(r, x + s * 0.8f, y + s * 0.2f, x + s * 0.2f, y + s * 0.8f, t, c);
        break;
    case KIT_MARK_CIRCLE:
        kit_draw_ring(r, cx, cy, s * 0.4f, t, c);
        break;
    case KIT_MARK_DASH:
        fill(r, x + s * 0.15f, cy - t / 2.0f, s * 0.7f, t, c);
        break;
    case KIT_MARK_BACK:
    case KIT_MARK_NEXT: {
        float dir = mark == KIT_MARK_BACK ? 1.0f : -1.0f;
        float tip = mark == KIT_MARK_BACK ? x + s * 0.12f : x + s * 0.88f;
        kit_draw_triangle(r, (SDL_FPoint){tip, cy},
                          (SDL_FPoint){tip + dir * s * 0.42f, cy - s * 0.34f},
                          (SDL_FPoint){tip + dir * s * 0.42f, cy + s * 0.34f}, c);
        float shaft_x = mark == KIT_MARK_BACK ? tip + s * 0.4f : x + s * 0.12f;
        fill(r, shaft_x, cy - t / 2.0f, s * 0.36f, t, c);
        break;
    }
    case KIT_MARK_HOME:
        kit_draw_triangle(r, (SDL_FPoint){cx, y + s * 0.08f},
                          (SDL_FPoint){x + s * 0.04f, y + s * 0.5f},
                          (SDL_FPoint){x + s * 0.96f, y + s * 0.5f}, c);
        fill(r, x + s * 0.18f, y + s * 0.48f, s * 0.64f, s * 0.44f, c);
        fill(r, cx - s * 0.1f, y + s * 0.64f, s * 0.2f, s * 0.28f, bg); /* the door */
        break;
    case KIT_MARK_GLOBE: {
        float rad = s * 0.44f, th = t * 0.6f > 2.0f ? t * 0.6f : 2.0f;
        kit_draw_ring(r, cx, cy, rad, th, c);
        fill(r, x + s * 0.06f, cy - th / 2.0f, s * 0.88f, th, c);
        fill(r, cx - th / 2.0f, y + s * 0.06f, th, s * 0.88f, c);
        /* The meridians: a narrower ring squeezed by drawing two arcs as
         * lines between points of an ellipse. */
        const int n = 24;
        for (int i = 0; i < n; i++) {
            float a0 = PI_F * 2.0f * (float)i / (float)n,
                  a1 = PI_F * 2.0f * (float)(i + 1) / (float)n;
            kit_draw_line(r, cx + rad * 0.45f * cosf(a0), cy + rad * sinf(a0),
                          cx + rad * 0.45f * cosf(a1), cy + rad * sinf(a1), th, c);
        }
        fill(r, x + s * 0.14f, cy - rad * 0.5f - th / 2.0f, s * 0.72f, th, c);
        fill(r, x + s * 0.14f, cy + rad * 0.5f - th / 2.0f, s * 0.72f, th, c);
        break;
    }
    case KIT_MARK_WARN:
        kit_draw_triangle(r, (SDL_FPoint){cx, y + s * 0.06f},
                          (SDL_FPoint){x + s * 0.02f, y + s * 0.92f},
                          (SDL_FPoint){x + s * 0.98f, y + s * 0.92f}, c);
        fill(r, cx - t * 0.45f, y + s * 0.34f, t * 0.9f, s * 0.32f, bg);
        fill(r, cx - t * 0.45f, y + s * 0.72f, t * 0.9f, t * 0.9f, bg);
        break;
    }
}

void kit_draw_panel(SDL_Renderer *r, SDL_Rect rect, int radius, SDL_Color fill_c, SDL_Color edge,
                    int edge_px)
{
    if (rect.w <= 0 || rect.h <= 0)
        return;
    if (edge_px <= 0 || 2 * edge_px >= rect.w || 2 * edge_px >= rect.h) {
        ui_draw_rounded_rect(r, rect, radius, fill_c);
        return;
    }
    ui_draw_rounded_rect(r, rect, radius, edge);
    SDL_Rect in = {rect.x + edge_px, rect.y + edge_px, rect.w - 2 * edge_px, rect.h - 2 * edge_px};
    ui_draw_rounded_rect(r, in, radius > edge_px ? radius - edge_px : 0, fill_c);
}
