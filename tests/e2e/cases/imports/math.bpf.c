// Imported by import_bpf_c.bt: BPF C compiled into the tool's BPF program.
#include <stdbool.h>

int __add_one(int val) { return 1 + val; }

unsigned long long __scale(unsigned int value, unsigned char factor) { return (unsigned long long)value * factor; }

bool __is_negative(long v) { return v < 0; }

static int helper(int v) { return v * 3; }

int __triple(int v) { return helper(v); }
