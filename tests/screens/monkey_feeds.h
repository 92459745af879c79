/* monkey_feeds: the monkey test's dice and its live feeds. A seeded
 * generator (splitmix64: the same sequence on every machine, so a printed
 * seed replays a run), and feed documents made from the example feeds
 * (schemas/examples) with random changes a real queue or booking system
 * makes: numbers that move, counters and rooms that come and go, many of
 * them (more than a page), counters closing, slots changing state, days
 * dropping off, long names, names in one language only, reservation URLs
 * gone or long. Every document stays within the schema, so the real parser
 * is what turns it into a snapshot. Test-only code: never linked into the
 * kiosk. */
#ifndef HIROBA_TESTS_SCREENS_MONKEY_FEEDS_H
#define HIROBA_TESTS_SCREENS_MONKEY_FEEDS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

typedef struct monkey_rng {
    uint64_t state; /* the seed, then the generator's state */
} monkey_rng;

uint64_t monkey_next(monkey_rng *r);
/* 0 .. n-1 (0 when n <= 0). */
int monkey_rnd(monkey_rng *r, int n);
/* True percent times in a hundred. */
bool monkey_chance(monkey_rng *r, int percent);

/* A queue (example: the parsed schemas/examples/queue.json) or vacancy
 * document, changed at random, written at updated (epoch seconds, shown in
 * Japan's zone), as compact JSON text (caller frees), or NULL when out of
 * memory. example is not changed. */
char *monkey_queue_text(monkey_rng *r, const json_t *example, int64_t updated);
char *monkey_vacancy_text(monkey_rng *r, const json_t *example, int64_t updated);

/* The heaviest documents in the ways that cost a board most, within the
 * limits: FEEDS_MAX_COUNTERS open counters with every number given, from
 * serving number base on; FEEDS_MAX_FACILITIES rooms with one day of
 * FEEDS_MAX_SLOTS slots (the example's first day; a week of them would
 * pass the size limit). Every third is named with the longest name. */
char *monkey_queue_heaviest(const json_t *example, int base, int64_t updated);
char *monkey_vacancy_heaviest(const json_t *example, int64_t updated);

#endif
