#include "geom.h"

struct vec vec_sub(struct vec a, struct vec b) {
  struct vec r = {a.x - b.x, a.y - b.y};
  return r;
}

double vec_cross(struct vec a, struct vec b) { return a.x * b.y - a.y * b.x; }
