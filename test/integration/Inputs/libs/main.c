/* shapes CMD ARG: area|perimeter SHAPE, cross X1 Y1 X2 Y2, or maps PREFIX (how many
 * distinct files whose name starts with PREFIX this process has mapped). An unknown SHAPE
 * is not checked for: shape_area() then faults on a NULL pointer. */
#include "geom.h"
#include "shape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count_mapped(const char *prefix) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096], seen[16][1024];
  int n = 0;
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f)) {
    char *path = strchr(line, '/');
    if (!path)
      continue;
    path[strcspn(path, "\n")] = 0;
    const char *base = strrchr(path, '/') + 1;
    if (strncmp(base, prefix, strlen(prefix)) != 0)
      continue;
    int dup = 0;
    for (int i = 0; i < n; ++i)
      dup |= strcmp(seen[i], path) == 0;
    if (!dup && n < 16)
      snprintf(seen[n++], sizeof seen[0], "%s", path);
  }
  fclose(f);
  return n;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "area") == 0) {
    printf("area %s = %.2f\n", argv[2], shape_area(shape_find(argv[2])));
  } else if (argc == 3 && strcmp(argv[1], "perimeter") == 0) {
    printf("perimeter %s = %.2f\n", argv[2], shape_perimeter(shape_find(argv[2])));
  } else if (argc == 6 && strcmp(argv[1], "cross") == 0) {
    struct vec a = {atof(argv[2]), atof(argv[3])}, b = {atof(argv[4]), atof(argv[5])};
    struct vec d = vec_sub(b, a);
    printf("cross = %.2f, diff = (%.2f, %.2f)\n", vec_cross(a, b), d.x, d.y);
  } else if (argc == 3 && strcmp(argv[1], "maps") == 0) {
    printf("mapped %s*: %d\n", argv[2], count_mapped(argv[2]));
  } else {
    fprintf(stderr, "usage: shapes area|perimeter SHAPE | cross X1 Y1 X2 Y2 | maps PREFIX\n");
    return 2;
  }
  return 0;
}
