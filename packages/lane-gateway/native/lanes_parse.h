/*
 * The lane of a request from its combined tracestate / baggage values, read exactly as @lanes/trace-context's
 * extractLane (and njs/lanes.js) do. Pure C over byte ranges: no nginx types, so it can be reasoned about alone.
 */
#ifndef LANES_PARSE_H
#define LANES_PARSE_H

#include <stddef.h>

/* header-value.ts MAX_HEADER_INPUT_LENGTH: a longer combined value is refused whole. */
#define LANES_MAX_INPUT 65536
/* lane-name.ts: a lowercase DNS label. */
#define LANES_MAX_LANE 63

typedef enum { LANES_TRACESTATE = 1, LANES_BAGGAGE = 2 } lanes_carrier_e;

/*
 * The lane in a combined tracestate value (the whole list validated, as TraceState.parse does). Writes the lane
 * into out (LANES_MAX_LANE bytes at least) and returns its length, or 0 when there is none.
 */
size_t lanes_from_tracestate(const unsigned char *s, size_t n, int level, unsigned char *out);

/* The lane in a combined baggage value (invalid members skipped, 8192-byte limit); 0 when none or conflicting. */
size_t lanes_from_baggage(const unsigned char *s, size_t n, unsigned char *out);

#endif
