/* signage_board: live boards in the signage loop. A pack item of kind
 * MODEL_ITEM_BOARD shows the queue or vacancy board (boards.h) in the
 * loop's main area for its duration, in the boards' signage look (its own
 * heading, no touch targets, pages turning by themselves). Each showing
 * starts afresh on its first page. Never reads the pack item's board name
 * beyond the two the parser accepts. */
#include "app/screens/signage_private.h"

#include <string.h>

static bool is_queue(const model_item *it)
{
    return it && it->kind == MODEL_ITEM_BOARD && it->board &&
           strcmp(it->board, MODEL_BOARD_QUEUE) == 0;
}

static bool is_vacancy(const model_item *it)
{
    return it && it->kind == MODEL_ITEM_BOARD && it->board &&
           strcmp(it->board, MODEL_BOARD_VACANCY) == 0;
}

void signage_board_clear(signage *s)
{
    boards_queue_destroy(s->queue_board);
    boards_vacancy_destroy(s->vacancy_board);
    s->queue_board = NULL;
    s->vacancy_board = NULL;
}

void signage_board_start(signage *s, const model_item *it)
{
    if (it->kind != MODEL_ITEM_BOARD)
        return;
    /* A fresh board: page one, and the numbers it first sees are not news. */
    signage_board_clear(s);
    if (is_queue(it))
        s->queue_board = boards_queue_create(true);
    else if (is_vacancy(it))
        s->vacancy_board = boards_vacancy_create(true);
}

void signage_board_update(signage *s, screen_ctx *ctx)
{
    const model_item *it = s->cur.item;
    if (is_queue(it) && s->queue_board)
        boards_queue_update(s->queue_board, ctx);
    else if (is_vacancy(it) && s->vacancy_board)
        boards_vacancy_update(s->vacancy_board, ctx);
}

void signage_board_draw(signage *s, screen_ctx *ctx, const model_item *it, SDL_Rect area)
{
    if (is_queue(it) && s->queue_board)
        boards_queue_draw(s->queue_board, ctx, NULL, area);
    else if (is_vacancy(it) && s->vacancy_board)
        boards_vacancy_draw(s->vacancy_board, ctx, NULL, area);
}
