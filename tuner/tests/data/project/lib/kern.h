/* The library's interface: one small kernel per unit. */
#ifndef KERN_H
#define KERN_H

#include <stddef.h>
#include <stdint.h>

double vec_dot(const double *a, const double *b, size_t n);
void vec_axpy(double *y, const double *x, double a, size_t n);
void mat_mul(double *c, const double *a, const double *b, size_t n);
void sort_ints(int *v, size_t n);
uint32_t hash_bytes(const unsigned char *p, size_t n);
double stats_mean(const double *v, size_t n);
double stats_variance(const double *v, size_t n);
size_t sieve_count(size_t limit);
uint32_t crc32_bytes(const unsigned char *p, size_t n);
double poly_eval(const double *coef, size_t degree, double x);
size_t text_count_words(const char *s);

#endif
