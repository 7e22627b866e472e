#ifndef EFFECTIVEGAN_VECTOR_MATH_H
#define EFFECTIVEGAN_VECTOR_MATH_H
// Element-wise transcendental functions over arrays, vectorised with glibc's libmvec (AVX-512 or AVX2, chosen
// at run time; a scalar libm loop otherwise). libmvec's sin/cos/tanh are accurate to 4 ulp.

/// y[i] = sin(x[i]) for i < n. x and y may alias.
void vm_sin(const double *x, double *y, long n);
/// y[i] = cos(x[i]) for i < n. x and y may alias.
void vm_cos(const double *x, double *y, long n);
/// y[i] = tanh(x[i]) for i < n. x and y may alias.
void vm_tanh(const double *x, double *y, long n);
/// Which implementation runs: 512 (AVX-512), 256 (AVX2) or 64 (scalar libm).
int vm_vector_bits(void);

#endif
