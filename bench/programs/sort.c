/* Sorting: quicksort (recursive, insertion sort below 16) and top-down merge sort with a
 * scratch buffer, on pseudo-random arrays. */
#include "common.h"

#include <string.h>

static void insertion(int *a, long n) {
  for (long i = 1; i < n; i++) {
    int v = a[i];
    long j = i;
    while (j > 0 && a[j - 1] > v) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = v;
  }
}

static void quicksort(int *a, long n) {
  while (n > 16) {
    int p = a[n / 2];
    long i = 0, j = n - 1;
    for (;;) {
      while (a[i] < p)
        i++;
      while (a[j] > p)
        j--;
      if (i >= j)
        break;
      int t = a[i];
      a[i++] = a[j];
      a[j--] = t;
    }
    /* recurse into the smaller half, loop on the larger */
    if (j + 1 < n - j - 1) {
      quicksort(a, j + 1);
      a += j + 1;
      n -= j + 1;
    } else {
      quicksort(a + j + 1, n - j - 1);
      n = j + 1;
    }
  }
  insertion(a, n);
}

static void mergesort_rec(int *a, int *tmp, long n) {
  if (n <= 16) {
    insertion(a, n);
    return;
  }
  long h = n / 2;
  mergesort_rec(a, tmp, h);
  mergesort_rec(a + h, tmp, n - h);
  long i = 0, j = h, k = 0;
  while (i < h && j < n)
    tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
  while (i < h)
    tmp[k++] = a[i++];
  while (j < n)
    tmp[k++] = a[j++];
  memcpy(a, tmp, (size_t)n * sizeof *a);
}

int main(int argc, char **argv) {
  const long n = 200000;
  long rounds = scale(argc, argv, 70);
  int *a = malloc(n * sizeof *a), *tmp = malloc(n * sizeof *a);
  if (!a || !tmp)
    return 1;
  uint64_t sum = 0;
  for (long r = 0; r < rounds; r++) {
    for (long i = 0; i < n; i++)
      a[i] = (int)(rng() >> 33);
    if (r & 1)
      mergesort_rec(a, tmp, n);
    else
      quicksort(a, n);
    for (long i = 1; i < n; i++)
      if (a[i - 1] > a[i])
        return 2;
    sum = sum * 31 + (uint64_t)a[n / 3] + (uint64_t)a[n - 1];
  }
  printf("sort checksum: %016llx\n", (unsigned long long)sum);
  free(a);
  free(tmp);
  return 0;
}
