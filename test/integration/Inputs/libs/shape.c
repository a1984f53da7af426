#include "shape.h"

#include <math.h>
#include <string.h>

static const struct shape shapes[] = {
    {"square", 4, {{0, 0}, {2, 0}, {2, 2}, {0, 2}}},
    {"triangle", 3, {{0, 0}, {4, 0}, {0, 3}}},
};

const struct shape *shape_find(const char *name) {
  for (unsigned i = 0; i < sizeof shapes / sizeof shapes[0]; ++i)
    if (strcmp(shapes[i].name, name) == 0)
      return &shapes[i];
  return NULL;
}

/* Shoelace formula. The caller's NULL (an unknown shape) faults on s->npoints. */
double shape_area(const struct shape *s) {
  double twice = 0;
  for (int i = 0; i < s->npoints; ++i)
    twice += s->points[i].x * s->points[(i + 1) % s->npoints].y -
             s->points[(i + 1) % s->npoints].x * s->points[i].y;
  return fabs(twice) / 2;
}

double shape_perimeter(const struct shape *s) {
  double p = 0;
  for (int i = 0; i < s->npoints; ++i) {
    const struct vec *a = &s->points[i], *b = &s->points[(i + 1) % s->npoints];
    p += hypot(b->x - a->x, b->y - a->y);
  }
  return p;
}
