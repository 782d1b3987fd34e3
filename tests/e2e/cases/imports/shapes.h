// Imported by import_header.bt: its type definitions reach the script.
#ifndef SHAPES_H
#define SHAPES_H

#include <linux/types.h>

#define SHAPE_SIDES 4

typedef unsigned int shape_id_t;

enum shape_kind { SHAPE_SQUARE = 1, SHAPE_CIRCLE = 7 };

struct shape {
  shape_id_t id;
  enum shape_kind kind;
  long area;
  char name[12];
};

/* Declarations of functions and variables say nothing about types: they are skipped. */
int shape_count(void);
static inline int shape_double(int a) { return a * 2; }
extern struct shape shapes[4];

#endif
