/*
 * Random and limit-sized inputs through lanes_parse.c, each in a buffer of exactly its length, built with
 * AddressSanitizer and UBSan by test/gateway-native-parse-asan.test.ts: any read past a buffer, overflow or
 * undefined behaviour aborts. Deterministic (fixed seed) so a failure reproduces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanes_parse.h"

static const char *pieces[] = {"ctx=lane:gray", "lane=gray", "lane=%61", "%", "%4", "=",    ",",        ";",
                               " ",             "\t",        "a@b=1",    "ctx=", "lane", "k=v;p=1", "\xff",
                               "\x01",          "ctx=lane:"};

int main(int argc, char **argv) {
  unsigned char out[LANES_MAX_LANE];
  long runs = argc > 1 ? atol(argv[1]) : 100000;
  size_t big = LANES_MAX_INPUT + 1, i;
  unsigned char *s;
  srand(1);
  for (long run = 0; run < runs; run++) {
    size_t n = 0, cap = (size_t)(rand() % 400);
    unsigned char *buf = malloc(cap + 1), *exact;
    while (n < cap) {
      const char *p;
      size_t k;
      if (rand() % 3 == 0) {
        buf[n++] = (unsigned char)(rand() % 256);
        continue;
      }
      p = pieces[rand() % (int)(sizeof pieces / sizeof *pieces)];
      k = strlen(p);
      if (n + k > cap) break;
      memcpy(buf + n, p, k);
      n += k;
    }
    exact = malloc(n > 0 ? n : 1);
    memcpy(exact, buf, n);
    if (lanes_from_tracestate(exact, n, 1 + rand() % 2, out) > LANES_MAX_LANE) return 2;
    if (lanes_from_baggage(exact, n, out) > LANES_MAX_LANE) return 2;
    free(exact);
    free(buf);
  }
  /* At and past the 64 KiB input limit. */
  s = malloc(big);
  for (i = 0; i < big; i++) s[i] = (unsigned char)"lane=a,"[i % 7];
  if (lanes_from_baggage(s, big, out) != 0 || lanes_from_baggage(s, big - 1, out) != 1) return 3;
  memset(s, 'k', big);
  memcpy(s, "ctx=lane:x,", 11);
  s[big - 2] = '=';
  s[big - 1] = '1';
  if (lanes_from_tracestate(s, big, 2, out) != 0 || lanes_from_tracestate(s, big - 1, 2, out) != 0) return 3;
  free(s);
  puts("ok");
  return 0;
}
