// Part of the imported directory imports/lib; b_pair.bpf.c includes it too.
#ifndef C_PAIR_H
#define C_PAIR_H

#define PAIR_BIAS 0

struct pair {
  int first;
  int second;
};

#endif
