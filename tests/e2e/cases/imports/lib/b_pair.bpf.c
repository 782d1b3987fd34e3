// Part of the imported directory imports/lib; its header is found beside it.
#include "c_pair.h"

int pair_sum(int first, int second) {
  struct pair p = {.first = first, .second = second};
  return p.first + p.second + PAIR_BIAS;
}
