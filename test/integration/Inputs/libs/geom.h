#ifndef GEOM_H
#define GEOM_H
struct vec {
  double x, y;
};
/* Lives in the static library libgeom.a. */
struct vec vec_sub(struct vec a, struct vec b);
double vec_cross(struct vec a, struct vec b);
#endif
